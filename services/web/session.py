"""Server-side sessions: the browser holds only a random id in an HttpOnly cookie.

Each session is one small JSON file under `<var>/web/sessions`, named by the SHA-256 of its
id (a directory listing reveals no cookie). Files survive a restart of the web service and
can be shared by replicas on one volume. A session ends at sign-out, at its expiry, or when
the access token it holds expires — whichever comes first.

A session read once is kept in memory and served again while its file is unchanged (one
stat per request instead of a read and a JSON parse): a sign-out on another replica deletes
the file, and the next request here finds it gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SWEEP_EVERY_S = 600.0
MEMORY_MAX = 10_000  # sessions kept read in memory


@dataclass
class Session:
    id: str
    access_token: str
    claims: dict[str, Any]  # sub, tenant, roles, unit, nip, name, tenant_name, unit_name
    csrf: str
    expires_at: float
    created_at: float


class SessionStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._swept = 0.0
        self._read_before: dict[Path, tuple[int, Session]] = {}  # path -> (mtime_ns, session)

    def _path(self, kind: str, key: str) -> Path:
        digest = hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()
        return self.directory / f"{kind}-{digest}.json"

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
        tmp.replace(path)  # atomic: a reader never sees half a session

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if data.get("expires_at", 0) <= time.time():
            path.unlink(missing_ok=True)
            return None
        return data

    def create(self, access_token: str, claims: dict[str, Any], expires_at: float) -> Session:
        self._sweep()
        session = Session(
            id=secrets.token_urlsafe(32),
            access_token=access_token,
            claims=claims,
            csrf=secrets.token_urlsafe(32),
            expires_at=expires_at,
            created_at=time.time(),
        )
        self._write(self._path("s", session.id), asdict(session))
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id or len(session_id) > 100:
            return None
        path = self._path("s", session_id)
        try:
            changed = path.stat().st_mtime_ns
        except OSError:
            self._read_before.pop(path, None)
            return None
        known = self._read_before.get(path)
        if known is not None and known[0] == changed and known[1].expires_at > time.time():
            return known[1]
        data = self._read(path)
        if not data:
            self._read_before.pop(path, None)
            return None
        session = Session(**data)
        if len(self._read_before) >= MEMORY_MAX:
            self._read_before.clear()  # rare: a cold read of each live session follows
        self._read_before[path] = (changed, session)
        return session

    def delete(self, session_id: str | None) -> None:
        if session_id and len(session_id) <= 100:
            path = self._path("s", session_id)
            self._read_before.pop(path, None)
            path.unlink(missing_ok=True)

    def put_pending(self, state: str, data: dict[str, Any], ttl_s: float) -> None:
        """A sign-in under way: PKCE verifier, nonce and the page wanted, keyed by state."""
        self._write(self._path("p", state), {**data, "expires_at": time.time() + ttl_s})

    def take_pending(self, state: str) -> dict[str, Any] | None:
        """The pending sign-in of this state, once: a replayed callback finds nothing."""
        path = self._path("p", state)
        data = self._read(path)
        path.unlink(missing_ok=True)
        return data

    def _sweep(self) -> None:
        now = time.time()
        if now - self._swept < SWEEP_EVERY_S:
            return
        self._swept = now
        for path in self.directory.glob("*.json"):
            self._read(path)  # deletes what has expired
