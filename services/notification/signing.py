"""Webhook signatures in the Standard Webhooks format (docs/webhooks.md).

The signed content is `<webhook-id>.<webhook-timestamp>.<body>`; the signature is
`v1,<base64 HMAC-SHA256>` keyed with the secret's decoded bytes. During a secret rotation's
grace period a delivery carries one signature per valid secret, space-separated, so a
subscriber may switch secrets whenever it likes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
TOLERANCE_S = 5 * 60  # a subscriber should refuse timestamps further off (replays)


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(
    secrets_in_force: list[str], webhook_id: str, timestamp: int, body: bytes
) -> str:
    return " ".join(sign(s, webhook_id, timestamp, body) for s in secrets_in_force)


def verify(
    secret: str, webhook_id: str, timestamp: int, body: bytes, header: str, now: int | None = None
) -> bool:
    """What a subscriber does: any one of the header's v1 signatures matches, and it is fresh."""
    if now is not None and abs(now - timestamp) > TOLERANCE_S:
        return False
    expected = sign(secret, webhook_id, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split())
