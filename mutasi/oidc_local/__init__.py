"""The local OpenID Connect issuer of `make run` and the tests (never used in production)."""
