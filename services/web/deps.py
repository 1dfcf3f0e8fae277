"""What every page handler gets: the signed-in person, their API calls, rendering, CSRF.

`Signed` is the dependency of every page behind sign-in: without a live session it sends
the browser to sign in and then back to the page it wanted. `Posted` adds the CSRF check
every form post must pass (the token from the session, in the form or the htmx header).
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from services.web.api import Api, NotVisible
from services.web.navigation import menu
from services.web.person import Person
from services.web.session import Session, SessionStore

COOKIE = "mutasi_sesi"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class NeedSignIn(Exception):
    def __init__(self, wanted: str) -> None:
        self.wanted = wanted


class CsrfRefused(Exception):
    """A form post without the session's CSRF token."""


class PageNotFound(Exception):
    """Not a page this person may open: answered exactly like an unknown address."""


def wanted_path(request: Request) -> str:
    """The page to come back to after sign-in (for htmx: the page the fragment is on)."""
    current = request.headers.get("HX-Current-URL")
    if current and request.headers.get("HX-Request"):
        path = current.split("://", 1)[-1]
        path = path[path.find("/") :] if "/" in path else "/"
    else:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return safe_next(path)


def safe_next(value: str | None) -> str:
    """Only a path on this site: never `//host`, a scheme, or a backslash trick."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def sign_in_url(wanted: str) -> str:
    return f"/masuk?next={quote(wanted, safe='')}"


@dataclass
class Page:
    request: Request
    session: Session
    person: Person
    api: Api
    templates: Jinja2Templates

    @property
    def token(self) -> str:
        return self.session.access_token

    async def get(self, service: str, path: str, **params: Any) -> Any:
        return await self.api.get(service, path, self.token, **params)

    async def post(
        self, service: str, path: str, body: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        return await self.api.post(service, path, self.token, body, **kwargs)

    async def until_visible(self, transfer_id: str, attempts: int = 100) -> None:
        """A proposal is accepted (202) before its workflow has recorded it; wait until the
        transfer can be read, so the page it leads to is not a 404 for a moment."""
        for _ in range(attempts):
            try:
                await self.get("proposal", f"/transfers/{transfer_id}")
                return
            except NotVisible:
                await asyncio.sleep(0.1)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return render(self.request, self.templates, template, status, self, **context)

    def require(self, allowed: bool) -> None:
        """A page not for this person is answered as if it did not exist (404)."""
        if not allowed:
            raise PageNotFound()


def render(
    request: Request,
    templates: Jinja2Templates,
    template: str,
    status: int = 200,
    page: Page | None = None,
    **context: Any,
) -> HTMLResponse:
    person = page.person if page else None
    base = {
        "person": person,
        "csrf_token": page.session.csrf if page else "",
        "menu": menu(person, request.url.path) if person else [],
        "zone": (page.session.claims.get("zoneinfo") if page else None) or "Asia/Jakarta",
        "fresh_key": str(uuid.uuid4()),  # a form's Idempotency-Key: a resubmission is one step
    }
    return templates.TemplateResponse(request, template, base | context, status_code=status)


async def _session(request: Request) -> Session | None:
    store: SessionStore = request.app.state.sessions
    return store.get(request.cookies.get(COOKIE))


async def signed_in(request: Request) -> Page:
    session = await _session(request)
    if session is None:
        raise NeedSignIn(wanted_path(request))
    state = request.app.state
    return Page(request, session, Person.of(session.claims), state.api, state.templates)


async def csrf_checked(request: Request, page: Annotated[Page, Depends(signed_in)]) -> Page:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, page.session.csrf):
        raise CsrfRefused()
    return page


Signed = Annotated[Page, Depends(signed_in)]
Posted = Annotated[Page, Depends(csrf_checked)]
