"""Every route of every service, read from the apps' own route tables (no server started)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from mutasi.components import SERVICES
from mutasi.settings import Settings

# FastAPI's own documentation routes; they carry no data.
DOCUMENTATION_PATHS = {"/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"}


@dataclass(frozen=True)
class RouteInfo:
    service: str
    method: str
    path: str
    actions: tuple[str, ...]  # the policy actions its `require(...)` dependencies name
    public_reason: str | None  # why it answers without a token, when `public(...)`
    has_body: bool

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def __str__(self) -> str:
        return f"{self.service} {self.method} {self.path}"


def build_apps(settings: Settings) -> dict[str, FastAPI]:
    """Each service's app, as `create_app` builds it; lifespans are not run."""
    return {
        name: importlib.import_module(module).create_app(settings)
        for name, module in SERVICES.items()
    }


def _markers(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _markers(sub)


def route_infos(service: str, app: FastAPI) -> list[RouteInfo]:
    infos = []
    for route in iter_route_contexts(app.routes):  # included routers, with their prefixes
        if not isinstance(route.original_route, APIRoute):
            continue
        calls = list(_markers(route.dependant))
        actions = {getattr(c, "policy_action", None) for c in calls} - {None}
        reasons = {getattr(c, "public_reason", None) for c in calls} - {None}
        has_body = route.body_field is not None or "requestBody" in (route.openapi_extra or {})
        for method in sorted(set(route.methods or ()) - {"HEAD", "OPTIONS"}):
            infos.append(
                RouteInfo(
                    service,
                    method,
                    str(route.path),
                    tuple(sorted(actions)),
                    next(iter(reasons), None),
                    has_body,
                )
            )
    return infos


def raw_route_paths(app: FastAPI) -> set[str]:
    """Paths of routes that are not API routes (FastAPI's documentation pages only)."""
    return {
        str(route.path)
        for route in iter_route_contexts(app.routes)
        if not isinstance(route.original_route, APIRoute)
    }


def all_routes(settings: Settings) -> list[RouteInfo]:
    return [info for name, app in build_apps(settings).items() for info in route_infos(name, app)]
