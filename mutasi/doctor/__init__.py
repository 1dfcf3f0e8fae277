"""Set-up checks: the lockfile against the venv, and `mutasi doctor`."""
