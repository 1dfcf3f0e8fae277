"""Approval service: verification, meetings, consent, pertek, decisions, decrees, the inbox."""

from __future__ import annotations

from fastapi import FastAPI

from mutasi.settings import Settings, get_settings
from mutasi.web.app import create_service_app
from services.approval.routes import (
    audit,
    decrees,
    meetings,
    minutes,
    steps,
    tasks,
    timeline,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        "Mutasi — layanan persetujuan (approval service)",
        "Verifikasi, rapat tim penilai, persetujuan PPK, SK, dan kotak masuk tugas.",
        settings or get_settings(),
        [
            steps.router,
            tasks.router,
            meetings.router,
            minutes.router,
            decrees.router,
            audit.router,
            timeline.router,
        ],
    )
