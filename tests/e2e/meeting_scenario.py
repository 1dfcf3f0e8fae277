"""A meeting of the Tim Penilai Kinerja over HTTP, as BKPSDM and the panel hold it."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

from mutasi import clock
from tests.e2e.api_client import Person


async def schedule(hr: Person, members: list[Person], quorum: int | None = None) -> str:
    body: dict[str, Any] = {
        "title": "Rapat Tim Penilai Kinerja",
        "scheduled_on": clock.today().isoformat(),
        "place": "Ruang Rapat BKPSDM",
        "members": [
            {"sub": m.sub, "name": f"Anggota {m.sub}"} | ({"nip": m.nip} if m.nip else {})
            for m in members
        ],
    }
    if quorum is not None:
        body["quorum"] = quorum
    r = await hr.call("POST", "approval", "/meetings", json=body, key=str(uuid4()))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def hold(
    hr: Person, members: list[Person], transfer_ids: list[str], vote: str = "recommend"
) -> dict[str, Any]:
    """Schedule, put every transfer on the agenda, every member votes `vote`, close."""
    meeting_id = await schedule(hr, members)
    gate = asyncio.Semaphore(10)

    async def put_on_agenda(transfer_id: str) -> None:
        async with gate:
            r = await hr.call(
                "POST",
                "approval",
                f"/meetings/{meeting_id}/agenda",
                json={"transfer_id": transfer_id},
                key=str(uuid4()),
            )
        assert r.status_code == 200, r.text

    await asyncio.gather(*(put_on_agenda(t) for t in transfer_ids))
    for member in members:
        r = await member.call(
            "POST",
            "approval",
            f"/meetings/{meeting_id}/votes",
            json={"votes": [{"transfer_id": t, "vote": vote} for t in transfer_ids]},
            key=str(uuid4()),
        )
        assert r.status_code == 200, r.text
    r = await hr.call(
        "POST", "approval", f"/meetings/{meeting_id}/close", json={}, key=str(uuid4())
    )
    assert r.status_code == 200, r.text
    return dict(r.json())
