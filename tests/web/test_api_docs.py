"""Each service's OpenAPI page works offline: Swagger UI comes from the service itself."""

from __future__ import annotations

import re

import httpx
import pytest


@pytest.mark.parametrize("service", ["proposal", "approval", "notification"])
async def test_the_api_docs_page_loads_its_script_and_style_from_the_service(
    stack, settings, service
):
    base = f"http://127.0.0.1:{getattr(settings, f'{service}_port')}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources, page.text
        assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
        for source in sources:
            asset = await client.get(source)
            assert asset.status_code == 200 and len(asset.content) > 500, source
        script = await client.get("/docs/assets/swagger-ui-bundle.js")
        assert "SwaggerUIBundle" in script.text
        # only the three files of the page, nothing else of node_modules
        assert (await client.get("/docs/assets/package.json")).status_code == 422
