"""Errors the application raises below the API; the web layer maps them to problem+json."""

from __future__ import annotations

from typing import Any

PROBLEM_BASE = "https://mutasi.go.id/problems/"


class MutasiError(Exception):
    """A refusal with a stable type, an HTTP status and messages in Indonesian and English."""

    status = 400
    slug = "bad-request"

    def __init__(self, message_id: str, message_en: str, **extra: Any) -> None:
        super().__init__(message_en)
        self.message_id, self.message_en, self.extra = message_id, message_en, extra

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug


class NotFound(MutasiError):
    status, slug = 404, "not-found"


class Forbidden(MutasiError):
    status, slug = 403, "forbidden"


class Unauthorized(MutasiError):
    status, slug = 401, "unauthorized"


class InvalidInput(MutasiError):
    status, slug = 422, "invalid-input"


class Conflict(MutasiError):
    status, slug = 409, "conflict"


class IllegalTransition(MutasiError):
    status, slug = 409, "illegal-transition"


class JustificationRequired(MutasiError):
    status, slug = 409, "justification-required"


class TooLarge(MutasiError):
    status, slug = 413, "payload-too-large"


class Unavailable(MutasiError):
    status, slug = 503, "unavailable"


class TooManyRequests(MutasiError):
    """The caller (or their address) used up its budget; `retry_after_s` says when to retry."""

    status, slug = 429, "too-many-requests"
