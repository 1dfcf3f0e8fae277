"""The one error type the domain raises: a stable code plus a message in both languages.

Callers (API, CSV import, workflows) show `message_id` to users and log `code`; the code is a
contract and never changes once published.
"""

from __future__ import annotations

from typing import Any


class DomainError(ValueError):
    """A domain input that cannot be accepted."""

    def __init__(self, code: str, message_id: str, message_en: str, **details: Any) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_id = message_id
        self.message_en = message_en
        self.details = details
