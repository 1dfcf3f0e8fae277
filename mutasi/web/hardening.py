"""Request limits and response headers every service applies before any route runs.

A body larger than allowed is refused with 413 problem+json: at once when its declared
Content-Length says so, otherwise as soon as the streamed bytes pass the limit — nothing
oversized is ever buffered whole. JSON bodies get a small limit; multipart uploads the largest
upload limit (the upload routes then apply their own, exact one). Text that cannot be stored
(NUL, control characters) is refused by the body's string types, not here: a check of the
bytes depended on the Content-Type's spelling (mutasi.web.text).
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutasi.web.problems import problem

# Room for multipart boundaries, part headers and the small text fields around a file.
FORM_OVERHEAD = 64 * 1024
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",  # a JSON or PDF answer is never sniffed as HTML
    "cache-control": "no-store",  # personnel data stays out of shared caches
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def too_large(limit: int, path: str) -> JSONResponse:
    return problem(
        413,
        "payload-too-large",
        "Isi permintaan terlalu besar",
        f"Isi permintaan melebihi {limit:,} bait".replace(",", "."),
        path,
        detail_en=f"The request body exceeds {limit:,} bytes",
        limit_bytes=limit,
    )


class RequestLimits:
    def __init__(self, app: ASGIApp, *, body_max_bytes: int, upload_max_bytes: int) -> None:
        self.app = app
        self.body_max_bytes = body_max_bytes
        self.upload_max_bytes = upload_max_bytes + FORM_OVERHEAD

    def limit_for(self, headers: Headers) -> int:
        multipart = headers.get("content-type", "").startswith("multipart/form-data")
        return self.upload_max_bytes if multipart else self.body_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await too_large(limit, scope["path"])(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            body = message.get("body", b"")
            received += len(body)
            if received > limit:
                # Raised inside the route's body read, so the app's handler answers 413.
                raise HTTPException(413)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    response_headers.setdefault(name, value)
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)
