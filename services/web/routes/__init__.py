"""Page areas: one router (and its templates) per area, wired in services/web/app.py."""
