"""Many transfers at once through the public HTTP APIs: propose, verify, a meeting of the Tim
Penilai Kinerja, the PPK's decision, and the system's own steps until completion."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from bench.cases import JUSTIFICATION, Case
from bench.driver import Api, StatusBoard, StepFailed
from bench.meetings import Meetings
from mutasi import clock

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class Lifecycles:
    """Drives each transfer along the happy path; meetings gather transfers in batches."""

    def __init__(
        self,
        api: Api,
        board: StatusBoard,
        *,
        meeting_size: int = 20,
        meeting_window_s: float = 0.5,
        full_meetings: bool = False,
    ) -> None:
        """`full_meetings`: each government's transfers driven at once share meetings of
        `meeting_size` (bench/meetings.py), instead of those verified within the window."""
        self.api, self.board = api, board
        self.meetings = Meetings(api, meeting_size, meeting_window_s)
        self.full_meetings = full_meetings

    async def propose(self, case: Case) -> str:
        body = {
            "employee_nip": case.nip,
            "target_position_code": case.target_position,
            "reasons": "Penyegaran dan pemerataan beban kerja",
            "expectations": "Memperkuat pelayanan di unit tujuan",
            "effective_date": clock.today().isoformat(),
            "justification": JUSTIFICATION,
            "documents": list(case.documents),
        }
        response = await self.api.call(
            "POST",
            "proposal",
            "/transfers",
            tenant=case.tenant,
            role="hr_officer",
            json=body,
            key=str(uuid4()),
        )
        return str(response.json()["id"])

    async def complete(self, case: Case) -> str:
        """Propose, and take every human step until the transfer is completed."""
        if self.full_meetings:
            self.meetings.expect(case.tenant)  # before any await: all are counted at once
        try:
            transfer_id = await self._verified(case)
        except BaseException:
            if self.full_meetings:  # it will not come to a meeting: hold the others'
                self.meetings.forget(case.tenant)
            raise
        await self.meetings.recommend(case.tenant, transfer_id)
        await self.step(case.tenant, transfer_id, "decision", "approver", {"outcome": "approved"})
        await self.board.wait(transfer_id, "completed")
        return transfer_id

    async def _verified(self, case: Case) -> str:
        transfer_id = await self.propose(case)
        await self.board.wait(transfer_id, "checked")
        await self.attach(case, transfer_id)
        try:
            await self.step(case.tenant, transfer_id, "verify", "hr_officer", {"note": "Lengkap"})
        except StepFailed as refused:  # "checked" was seen on the way to "returned"
            raise StepFailed(
                f"{refused}; rules: {await self.findings(case, transfer_id)}"
            ) from refused
        return transfer_id

    async def attach(self, case: Case, transfer_id: str) -> None:
        """A file for each declared document: BKPSDM verifies the files (R10), not the list."""
        path = f"/transfers/{transfer_id}/attachments"
        for code in case.documents:
            # Through Api.call, retried like every step: a kept-alive connection the server
            # had just closed answered httpx.ReadError here and failed the whole benchmark.
            await self.api.call(
                "POST",
                "proposal",
                path,
                tenant=case.tenant,
                role="hr_officer",
                key=f"{transfer_id}/{code}",
                ok=(201,),
                files={"file": (f"{code}.pdf", PDF + code.encode(), "application/pdf")},
                data={"document_code": code},
            )

    async def findings(self, case: Case, transfer_id: str) -> list[str]:
        """The failed rules of the transfer's last check, as BKPSDM reads them."""
        response = await self.api.call(
            "GET",
            "proposal",
            f"/transfers/{transfer_id}/checks",
            tenant=case.tenant,
            role="hr_officer",
        )
        checks = response.json()["items"]
        return [f"{f['code']}: {f['message']}" for f in checks[-1]["failures"]] if checks else []

    async def step(
        self, tenant: str, transfer_id: str, step: str, role: str, body: dict[str, Any]
    ) -> None:
        await self.api.call(
            "POST",
            "approval",
            f"/transfers/{transfer_id}/{step}",
            tenant=tenant,
            role=role,
            json=body,
            key=str(uuid4()),
            settle=(409,),
        )
