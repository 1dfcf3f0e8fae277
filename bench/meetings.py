"""Meetings of the Tim Penilai Kinerja for the driver: transfers verified close together are
discussed in one meeting (up to `size` items), every member recommends, the meeting closes.

Which transfers share a meeting: by default those that reach it within `window_s` of the
first. The benchmarks say instead how many of each government's transfers will come
(`expect`), and a meeting waits until it is full or every expected one has come, as BKPSDM
puts the day's verified proposals on one agenda. With the time window alone, 50 transfers of
one government became 29 meetings once issue 14 had each transfer upload its files before
verification: verifications spread over minutes, and a 0.5 s window caught one or two.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from uuid import uuid4

from bench.driver import PANEL, Api, StepFailed
from mutasi import clock

STRAGGLER_S = 120.0


class Meetings:
    def __init__(self, api: Api, size: int, window_s: float) -> None:
        self.api, self.size, self.window_s = api, size, window_s
        self._gathering: dict[str, list[tuple[str, asyncio.Future[None]]]] = {}
        self._held: set[asyncio.Task[None]] = set()
        self.held = 0
        self.meeting_ids: list[str] = []
        self._expected: Counter[str] = Counter()  # transfers of a government still to come

    def expect(self, tenant: str) -> None:
        """One more transfer of `tenant` will come to a meeting."""
        self._expected[tenant] += 1

    def forget(self, tenant: str) -> None:
        """An expected transfer will not come (it failed before): hold what has gathered."""
        self._expected[tenant] -= 1
        batch = self._gathering.get(tenant)
        if batch and len(batch) >= min(self.size, self._expected[tenant]):
            self._flush(tenant, batch)

    async def recommend(self, tenant: str, transfer_id: str) -> None:
        """Return once a closed meeting has recommended the transfer."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        batch = self._gathering.setdefault(tenant, [])
        batch.append((transfer_id, future))
        expected = self._expected[tenant]
        if len(batch) == 1:  # with expectations, only a safety net for a lost straggler
            window = self.window_s if not expected else max(self.window_s, STRAGGLER_S)
            asyncio.get_running_loop().call_later(window, self._flush, tenant, batch)
        if len(batch) >= (min(self.size, expected) if expected else self.size):
            self._flush(tenant, batch)
        await future

    def _flush(self, tenant: str, batch: list[tuple[str, asyncio.Future[None]]]) -> None:
        if self._gathering.get(tenant) is not batch:
            return  # already held
        del self._gathering[tenant]
        if self._expected[tenant]:
            self._expected[tenant] = max(0, self._expected[tenant] - len(batch))
        task = asyncio.create_task(self._hold(tenant, batch))
        self._held.add(task)
        task.add_done_callback(self._held.discard)

    async def _hold(self, tenant: str, batch: list[tuple[str, asyncio.Future[None]]]) -> None:
        try:
            outcomes = await self._meeting(tenant, [t for t, _ in batch])
            self.held += 1
        except Exception as exc:  # noqa: BLE001 - every waiting transfer hears why
            for _, future in batch:
                future.set_exception(exc)
            return
        for transfer_id, future in batch:
            if outcomes.get(transfer_id) == "recommended":
                future.set_result(None)
            else:
                future.set_exception(
                    StepFailed(f"meeting outcome for {transfer_id}: {outcomes.get(transfer_id)}")
                )

    async def _meeting(self, tenant: str, transfer_ids: list[str]) -> dict[str, str]:
        members = [
            {"sub": f"panel-{k}@{tenant}", "name": f"Anggota Tim Penilai {k}"} for k in range(PANEL)
        ]
        body = {
            "title": "Rapat Tim Penilai Kinerja",
            "scheduled_on": clock.today().isoformat(),
            "place": "Ruang rapat BKPSDM",
            "members": members,
            "quorum": 2,
        }
        call = self.api.call
        created = await call(
            "POST",
            "approval",
            "/meetings",
            tenant=tenant,
            role="hr_officer",
            json=body,
            key=str(uuid4()),
        )
        self.meeting_ids.append(str(created.json()["id"]))
        path = f"/meetings/{created.json()['id']}"
        # As a browser would open the new meeting's page: it shows once it is recorded.
        await call(
            "GET", "approval", path, tenant=tenant, role="hr_officer", settle=(404,), settle_s=60
        )
        for transfer_id in transfer_ids:
            await call(
                "POST",
                "approval",
                f"{path}/agenda",
                tenant=tenant,
                role="hr_officer",
                json={"transfer_id": transfer_id},
                key=str(uuid4()),
                settle=(404, 409),
            )
        ballot = {"votes": [{"transfer_id": t, "vote": "recommend"} for t in transfer_ids]}
        await asyncio.gather(
            *(
                call(
                    "POST",
                    "approval",
                    f"{path}/votes",
                    tenant=tenant,
                    role="panel_member",
                    sub=member["sub"],
                    json=ballot,
                    key=str(uuid4()),
                )
                for member in members
            )
        )
        closed = await call(
            "POST",
            "approval",
            f"{path}/close",
            tenant=tenant,
            role="hr_officer",
            json={},
            key=str(uuid4()),
        )
        return {item["transfer_id"]: item["outcome"] for item in closed.json()["items"]}
