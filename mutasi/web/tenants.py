"""Which governments exist, as far as a token is concerned (issue 15, finding 14).

A valid signature proves the issuer wrote the claims, not that the government they name is
one of ours: a token for `kota-atlantis` used to get 200 with empty lists, telling its holder
the account works. Such a caller is not ours (401). A slug once found stays known for the
process's life (governments are never removed); one not yet known is looked up — one indexed
read, and only for tokens our issuer signed — so a government registered a moment ago can
sign in at once.
"""

from __future__ import annotations

import asyncpg

from mutasi.lifecycle import BKN_TENANT


class KnownTenants:
    def __init__(self) -> None:
        self._known: set[str] = {BKN_TENANT}

    async def contains(self, pool: asyncpg.Pool, slug: str) -> bool:
        if slug in self._known:
            return True
        if await pool.fetchval("SELECT EXISTS (SELECT 1 FROM tenants WHERE slug = $1)", slug):
            self._known.add(slug)
            return True
        return False
