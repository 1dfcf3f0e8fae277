"""Scenario helpers: a person with a token talking to the public HTTP APIs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx

from mutasi.auth.tokens import issue_token
from mutasi.settings import Settings


@dataclass
class Person:
    settings: Settings
    tenant: str
    roles: list[str]
    sub: str
    unit: str | None = None
    nip: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        token = issue_token(
            self.settings,
            sub=self.sub,
            tenant=self.tenant,
            roles=self.roles,
            unit=self.unit,
            nip=self.nip,
        )
        return {"Authorization": f"Bearer {token}"}

    def _url(self, service: str, path: str) -> str:
        port = {
            "proposal": self.settings.proposal_port,
            "approval": self.settings.approval_port,
            "notification": self.settings.notification_port,
        }[service]
        return f"http://127.0.0.1:{port}{path}"

    async def call(
        self,
        method: str,
        service: str,
        path: str,
        *,
        json: Any = None,
        key: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = self.headers | ({"Idempotency-Key": key} if key else {})
        async with httpx.AsyncClient(timeout=30) as client:
            return await client.request(
                method, self._url(service, path), json=json, headers=headers, **kwargs
            )

    async def propose(
        self, nip: str, position: str, effective: str, **extra: Any
    ) -> httpx.Response:
        body = {
            "employee_nip": nip,
            "target_position_code": position,
            "reasons": "Penyegaran dan pemerataan beban kerja",
            "expectations": "Memperkuat pelayanan di unit tujuan",
            "effective_date": effective,
            **extra,
        }
        return await self.call("POST", "proposal", "/transfers", json=body, key=str(uuid4()))

    async def transfer(self, transfer_id: str) -> httpx.Response:
        return await self.call("GET", "proposal", f"/transfers/{transfer_id}")

    async def wait_status(
        self, transfer_id: str, *statuses: str, timeout: float = 60
    ) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        last: Any = None
        while asyncio.get_running_loop().time() < deadline:
            response = await self.transfer(transfer_id)
            if response.status_code == 200:
                last = response.json()
                if last["status"] in statuses:
                    return dict(last)
            await asyncio.sleep(0.2)
        raise AssertionError(f"transfer {transfer_id} never reached {statuses}; last: {last}")
