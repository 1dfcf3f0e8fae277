"""Each service's OpenAPI page (Swagger UI) with its script and stylesheet served locally.

FastAPI's default /docs loads Swagger UI from a CDN, which leaves the page blank on an
offline intranet; here the same page takes the files from swagger-ui-dist (npm lockfile).
"""

from __future__ import annotations

from typing import Literal

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from mutasi.web.assets import SWAGGER_UI, require_asset
from mutasi.web.deps import public

ASSET_PREFIX = "/docs/assets"
Asset = Literal["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"]


def install_docs(app: FastAPI) -> None:
    """Add GET /docs and its assets; the app must be built with docs_url=None."""

    async def docs(_request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSET_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSET_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{ASSET_PREFIX}/favicon-32x32.png",
        )

    app.add_route("/docs", docs, include_in_schema=False)

    @app.get(
        ASSET_PREFIX + "/{name}",
        include_in_schema=False,
        dependencies=[Depends(public("the API documentation page's script and stylesheet"))],
    )
    async def asset(name: Asset) -> FileResponse:
        return FileResponse(require_asset(SWAGGER_UI / name), headers=_CACHE)


_CACHE = {"Cache-Control": "public, max-age=86400"}
