"""Proposal service: master data, proposals and self-applications, revision, withdrawal.

Besides the API it runs the intake's starter, which starts the workflows of accepted
proposals (services/proposal/intake.py).
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import FastAPI

from mutasi.settings import Settings, get_settings
from mutasi.web.app import create_service_app
from services.proposal.intake import Starter
from services.proposal.routes import (
    aspirations,
    assessments,
    attachments,
    candidates,
    checks,
    employees,
    imports,
    master,
    planning_settings,
    plans,
    preview,
    public,
    reports,
    tenants,
    transfers,
    vacancies,
    workload,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    async def start(app: FastAPI) -> None:
        app.state.stop = asyncio.Event()
        starter = Starter(app.state.pool, app.state.temporal, settings)
        app.state.starter = asyncio.create_task(starter.run(app.state.stop), name="intake")

    async def stop(app: FastAPI) -> None:
        app.state.stop.set()
        # What it was starting stays pending and is started by the next run.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(app.state.starter, timeout=8)

    return create_service_app(
        "Mutasi — layanan usulan (proposal service)",
        "Usulan mutasi, permohonan sendiri, perbaikan dan penarikan; data induk pegawai.",
        settings,
        [
            preview.router,
            transfers.router,
            master.router,
            employees.router,
            imports.router,
            vacancies.router,
            workload.router,
            attachments.router,
            checks.router,
            assessments.router,
            tenants.router,
            candidates.router,
            aspirations.router,
            planning_settings.router,
            public.router,
            plans.router,
            reports.router,
        ],
        on_start=start,
        on_stop=stop,
    )
