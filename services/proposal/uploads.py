"""Reading one uploaded file from a multipart form, refusing it early when it is too large.

The body is counted while it streams in, so an oversized upload is refused (413) without
being spooled whole; a declared Content-Length over the limit is refused before reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from mutasi.attachments import UnsupportedMediaType
from mutasi.errors import InvalidInput, TooLarge
from mutasi.web.text import ONE_LINE

# Room for the multipart boundaries, part headers and small text fields around the file.
FORM_OVERHEAD = 64 * 1024


def multipart_body(*fields: str) -> dict[str, Any]:
    """OpenAPI `requestBody` of a multipart form with a `file` and these text fields."""
    properties: dict[str, Any] = {"file": {"type": "string", "format": "binary"}}
    # Each field is one line (its values are codes of a closed list, mutasi.attachments).
    properties |= {name: {"type": "string", "pattern": ONE_LINE} for name in fields}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", *fields],
                        "properties": properties,
                    }
                }
            },
        }
    }


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str | None
    fields: dict[str, str]


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        f"Berkas terlalu besar; batas {limit:,} byte",
        f"The file is too large; the limit is {limit:,} bytes",
        limit_bytes=limit,
    )


async def read_upload(request: Request, limit: int) -> Upload:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise UnsupportedMediaType(
            "Kirim berkas sebagai multipart/form-data", "Send the file as multipart/form-data"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise _too_large(limit)
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit + FORM_OVERHEAD:
            raise _too_large(limit)
        return message

    form = await Request(request.scope, counted).form(max_files=1, max_fields=10)
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise InvalidInput(
                "Berkas wajib dilampirkan pada kolom 'file'",
                "A file is required in the form field 'file'",
                field="file",
            )
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise _too_large(limit)
        if not data:
            raise InvalidInput("Berkas kosong", "The file is empty", field="file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return Upload(data, file.filename, fields)
    finally:
        await form.close()
