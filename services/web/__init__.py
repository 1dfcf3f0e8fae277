"""The web application people use (SPEC §10): server-rendered pages over the three APIs."""
