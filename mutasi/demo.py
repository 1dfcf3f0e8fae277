"""`mutasi demo`: one transfer through the whole lifecycle, using only the public HTTP APIs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import httpx

from mutasi import clock
from mutasi.auth.tokens import issue_token
from mutasi.seed.load import DEMO_PEOPLE, DEMO_TARGET
from mutasi.settings import Settings

Echo = Callable[[str], None]


class Demo:
    def __init__(self, settings: Settings, client: httpx.AsyncClient, echo: Echo) -> None:
        self.s, self.client, self.echo = settings, client, echo
        self.tokens = {
            label: issue_token(settings, **claims) for label, claims in DEMO_PEOPLE.items()
        }

    def url(self, service: str, path: str) -> str:
        port = {
            "proposal": self.s.proposal_port,
            "approval": self.s.approval_port,
            "notification": self.s.notification_port,
        }[service]
        return f"http://{self.s.bind_host}:{port}{path}"

    async def call(
        self, who: str, method: str, service: str, path: str, body: dict[str, Any] | None = None
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}", "Idempotency-Key": str(uuid4())}
        response = await self.client.request(
            method, self.url(service, path), json=body, headers=headers
        )
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json()

    async def wait_for(self, transfer_id: str, *statuses: str, timeout: float = 120) -> Any:
        for _ in range(int(timeout / 0.25)):
            response = await self.client.get(
                self.url("proposal", f"/transfers/{transfer_id}"),
                headers={"Authorization": f"Bearer {self.tokens['bkpsdm']}"},
            )
            if response.status_code == 200 and response.json()["status"] in statuses:
                return response.json()
            await asyncio.sleep(0.25)
        raise RuntimeError(f"transfer did not reach {statuses} within {timeout}s")

    async def run(self) -> None:
        nip = DEMO_PEOPLE["pegawai"]["nip"]
        employee = await self.call("bkpsdm", "GET", "proposal", f"/employees/{nip}")
        vacant = await self.call(
            "bkpsdm",
            "GET",
            "proposal",
            f"/positions?vacant=true&unit={employee['unit_code']}&limit=200",
        )
        # The demo cast's target first; once she has moved there, her old post is the vacancy.
        candidates = sorted(
            (p for p in vacant["items"] if p["code"] != employee["position_code"]),
            key=lambda p: p["code"] != DEMO_TARGET,
        )
        if not candidates:
            raise RuntimeError("tidak ada jabatan lowong di unit pegawai demo")
        target = candidates[0]
        self.echo(
            f"1. Pegawai: {employee['name']} (NIP {nip}), jabatan {employee['position_code']}"
            f" di {employee['unit_code']}"
        )
        self.echo(
            f"   Jabatan tujuan yang lowong: {target['name']} ({target['unit_code']}),"
            f" kebutuhan {target['needed']}, terisi {target['filled']}"
        )
        accepted = await self.call(
            "bkpsdm",
            "POST",
            "proposal",
            "/transfers",
            {
                "employee_nip": nip,
                "target_position_code": target["code"],
                "reasons": "Pemerataan beban kerja dan pengembangan karier",
                "expectations": "Memperkuat pelayanan publik di unit tujuan",
                "effective_date": clock.today().isoformat(),
                "justification": "Kebutuhan organisasi yang mendesak",
                "documents": ["proposal_letter", "skp_two_years", "last_decree"],
            },
        )
        tid = accepted["id"]
        self.echo(f"2. Usulan diajukan oleh BKPSDM: {tid}")
        checked = await self.wait_for(tid, "checked", "returned")
        if checked["status"] == "returned":
            raise RuntimeError(
                "usulan dikembalikan karena aturan wajib tidak terpenuhi; lihat"
                f" GET /transfers/{tid} dan jejak auditnya"
            )
        self.echo("3. Pemeriksaan aturan R1–R10 selesai (status: checked)")
        uploaded = await self.attach(tid)
        self.echo(f"   Berkas diunggah BKPSDM: {', '.join(uploaded)}")
        state = await self.call(
            "bkpsdm", "POST", "approval", f"/transfers/{tid}/verify", {"note": "Berkas lengkap"}
        )
        self.echo(f"4. Diverifikasi BKPSDM (status: {state['status']})")
        minutes = await self.hold_meeting(tid)
        self.echo(f"5. Rapat Tim Penilai Kinerja: {minutes['items'][0]['outcome']}")
        state = await self.call(
            "ppk", "POST", "approval", f"/transfers/{tid}/decision", {"outcome": "approved"}
        )
        self.echo(f"6. Disetujui PPK (status: {state['status']})")
        final = await self.wait_for(tid, "completed")
        self.echo(f"7. SK diterbitkan: {final['decree_number']}; TMT {final['effective_date']}")
        moved = await self.call("bkpsdm", "GET", "proposal", f"/employees/{nip}")
        self.echo(
            f"8. Berlaku: jabatan pegawai kini {moved['position_code']} di {moved['unit_code']}"
        )
        await asyncio.sleep(1)
        inbox = await self.call("pegawai", "GET", "notification", "/notifications")
        for item in inbox["items"]:
            if item["transfer_id"] == tid:
                self.echo(f"   Notifikasi pegawai: {item['subject']}")
        self.echo(f"Selesai: status akhir {final['status']}")

    async def attach(self, tid: str) -> list[str]:
        """A file for each document the checklist asks for: BKPSDM verifies the files, not
        the list the proposal declared (R10)."""
        path = f"/transfers/{tid}/attachments"
        listed = await self.call("bkpsdm", "GET", "proposal", path)
        uploaded = []
        for document in listed["required"]:
            if document["attached"]:
                continue
            code = document["code"]
            response = await self.client.post(
                self.url("proposal", path),
                headers={
                    "Authorization": f"Bearer {self.tokens['bkpsdm']}",
                    "Idempotency-Key": str(uuid4()),
                },
                files={"file": (f"{code}.pdf", _demo_pdf(document["label"]), "application/pdf")},
                data={"document_code": code},
            )
            if response.status_code >= 400:
                raise RuntimeError(f"POST {path} -> {response.status_code}: {response.text}")
            uploaded.append(document["label"])
        return uploaded

    async def hold_meeting(self, tid: str) -> Any:
        """A one-member meeting of the Tim Penilai Kinerja that recommends the transfer."""
        member = DEMO_PEOPLE["tim_penilai"]
        meeting = await self.call(
            "bkpsdm",
            "POST",
            "approval",
            "/meetings",
            {
                "title": "Rapat Tim Penilai Kinerja (demo)",
                "place": "Ruang Rapat BKPSDM",
                "scheduled_on": clock.today().isoformat(),
                "quorum": 1,
                "members": [
                    {"sub": member["sub"], "name": "Anggota Tim Penilai", "nip": member["nip"]}
                ],
            },
        )
        path = f"/meetings/{meeting['id']}"
        await self.call("bkpsdm", "POST", "approval", f"{path}/agenda", {"transfer_id": tid})
        await self.call(
            "tim_penilai",
            "POST",
            "approval",
            f"{path}/votes",
            {"votes": [{"transfer_id": tid, "vote": "recommend"}]},
        )
        return await self.call("bkpsdm", "POST", "approval", f"{path}/close", {})


def _demo_pdf(title: str) -> bytes:
    """A minimal PDF standing in for a scanned letter (the demo has no real documents)."""
    return f"%PDF-1.4\n% {title} (contoh)\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".encode()


async def run_demo(settings: Settings, echo: Echo) -> int:
    async with httpx.AsyncClient(timeout=30) as client:
        try:
            await Demo(settings, client, echo).run()
        except (RuntimeError, httpx.HTTPError) as exc:
            echo(f"Demo gagal / failed: {exc}")
            return 1
    return 0
