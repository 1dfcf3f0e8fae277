"""Bearer tokens (RS256) and the policy of who may do what."""
