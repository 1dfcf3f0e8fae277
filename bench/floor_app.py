"""The floors of the API benchmark: trivial endpoints served exactly as our services are
(uvicorn, one process, no access log, the same pool size), doing only the work a request of
that kind cannot avoid (SPEC §9):

- `POST /transfers`: validate a body of the proposal's shape and start a no-op workflow on the
  same Temporal server (task queue `bench-floor`, run by the floor worker), answer 202;
- `GET /transfers`, `GET /vacancies`, `GET /tasks`: one indexed read of a page (the API's
  default page size) of the tenant's transfers, posts or open transfers, answered as JSON.

No token, no policy, no rules: what ours spends beyond these is Mutasi's own work.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import uuid4

import uvicorn
from fastapi import FastAPI, Request
from pydantic import BaseModel
from temporalio.client import Client

from bench import floor
from mutasi.db import create_pool
from mutasi.domain.lifecycle import OPEN
from mutasi.settings import get_settings
from mutasi.transfers import TRANSFER_COLUMNS
from mutasi.web.deps import Page

PAGE = Page().limit  # the API's default page, as ours answers it


class Body(BaseModel):
    employee_nip: str
    target_position_code: str
    reasons: str
    expectations: str
    effective_date: date
    justification: str | None = None
    documents: list[str] = []


class Accepted(BaseModel):
    id: str
    status: str


def create_app() -> FastAPI:
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await create_pool(settings)
        app.state.temporal = await Client.connect(
            settings.temporal_address, namespace=settings.temporal_namespace
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/transfers", status_code=202, response_model=Accepted)
    async def submit(body: Body, request: Request) -> Accepted:
        transfer_id = str(uuid4())
        await request.app.state.temporal.start_workflow(
            floor.NOOP_WORKFLOW, id=f"floor-{transfer_id}", task_queue=floor.TASK_QUEUE
        )
        return Accepted(id=transfer_id, status="submitted")

    @app.get("/transfers")
    async def transfers(tenant: str, request: Request) -> dict[str, Any]:
        rows = await request.app.state.pool.fetch(
            f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE tenant = $1 LIMIT {PAGE + 1}",
            tenant,
        )
        return {"items": [dict(r) for r in rows[:PAGE]]}

    @app.get("/vacancies")
    async def vacancies(tenant: str, request: Request) -> dict[str, Any]:
        rows = await request.app.state.pool.fetch(
            "SELECT code, name, unit_code, kind, class, needed FROM positions"
            f" WHERE tenant = $1 ORDER BY code LIMIT {PAGE + 1}",
            tenant,
        )
        return {"items": [dict(r) for r in rows[:PAGE]]}

    @app.get("/tasks")
    async def tasks(tenant: str, request: Request) -> dict[str, Any]:
        rows = await request.app.state.pool.fetch(
            f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE target_tenant = $1"
            f" AND status = ANY($2::text[]) LIMIT {PAGE + 1}",
            tenant,
            [s.value for s in OPEN],
        )
        return {"items": [dict(r) for r in rows[:PAGE]]}

    return app


async def _serve(port: int) -> None:
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
