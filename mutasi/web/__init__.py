"""What every FastAPI service shares: problem+json errors, auth dependencies, health checks."""
