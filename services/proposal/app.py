"""Proposal service: master data, proposals and self-applications, revision, withdrawal."""

from __future__ import annotations

from fastapi import FastAPI

from mutasi.settings import Settings, get_settings
from mutasi.web.app import create_service_app
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
    public,
    tenants,
    transfers,
    vacancies,
    workload,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        "Mutasi — layanan usulan (proposal service)",
        "Usulan mutasi, permohonan sendiri, perbaikan dan penarikan; data induk pegawai.",
        settings or get_settings(),
        [
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
        ],
    )
