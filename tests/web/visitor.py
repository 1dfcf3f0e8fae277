"""A visitor of the web application without a browser: cookies, redirects, forms.

Signs in through the local OIDC issuer exactly as a browser does (authorize page, chosen
person, callback), so HTTP-level tests exercise the real flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import httpx

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
PERSON = re.compile(r'name="person" value="([^"]+)"')


@dataclass
class Visitor:
    base_url: str
    client: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.AsyncClient(base_url=self.base_url, follow_redirects=True, timeout=60)

    async def close(self) -> None:
        await self.client.aclose()

    async def get(self, path: str, **kwargs: object) -> httpx.Response:
        return await self.client.get(path, **kwargs)  # type: ignore[arg-type]

    async def choose(self, issuer_page: httpx.Response, person: str) -> httpx.Response:
        """On the issuer's sign-in page, pick the first person whose id starts with `person`
        (`kota-sorong:hr_officer`, or a full id)."""
        html = issuer_page.text
        params = {k: unescape(v) for k, v in HIDDEN.findall(html)}
        chosen = next(p for p in PERSON.findall(html) if unescape(p).startswith(person))
        return await self.client.post("/oidc/authorize", data=params | {"person": unescape(chosen)})

    async def sign_in(self, person: str, wanted: str = "/") -> httpx.Response:
        page = await self.get(f"/masuk?next={wanted}")
        return await self.choose(page, person)

    def csrf(self, page: httpx.Response) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, "no CSRF token on the page"
        return found.group(1)
