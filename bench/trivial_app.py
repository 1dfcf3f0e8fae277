"""The floor of the API benchmark: a trivial FastAPI endpoint served exactly as our services
are (uvicorn, one process, no access log), validating a body of the proposal's shape and
answering 202 — everything a request costs before Mutasi's own work."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from uuid import uuid4

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


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
    app = FastAPI()

    @app.post("/transfers", status_code=202, response_model=Accepted)
    async def submit(body: Body) -> Accepted:
        return Accepted(id=str(uuid4()), status="submitted")

    return app


async def _serve(port: int) -> None:
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
