"""Browser assets from the npm lockfile (package.json, installed by `make` with npm ci).

Nothing is loaded from a CDN: the services serve these files themselves, so the API docs
and the web pages work on a government intranet without the internet.
"""

from __future__ import annotations

from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
SWAGGER_UI = NODE_MODULES / "swagger-ui-dist"
HTMX = NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"


class AssetsMissing(RuntimeError):
    """node_modules is absent: `make` (npm ci) was not run."""


def require_asset(path: Path) -> Path:
    if not path.is_file():
        raise AssetsMissing(
            f"{path} tidak ada; jalankan `make` (npm ci) / missing: run `make` (npm ci)"
        )
    return path
