"""An unknown query parameter is an error, never silently ignored.

`GET /transfers?q=…` used to answer with the unfiltered list when `q` did not exist, so the
person believed the search had worked. Every service checks the query string against the
parameters its matched route declares and answers 422 problem+json naming the unknown ones.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from mutasi.errors import InvalidInput

_DECLARED: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = set()
    for field in dependant.query_params:
        model = field.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):  # a query-parameter model
            names |= {f.alias or name for name, f in model.model_fields.items()}
        else:
            names.add(field.alias)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def declared_query(route: Any) -> frozenset[str]:
    key = id(route)
    if key not in _DECLARED:
        names = _query_names(route.dependant) if isinstance(route, APIRoute) else set()
        _DECLARED[key] = frozenset(names)
    return _DECLARED[key]


async def refuse_unknown_query(request: Request) -> None:
    route = request.scope.get("route")
    if route is None:
        return
    unknown = sorted(set(request.query_params) - declared_query(route))
    if unknown:
        names = ", ".join(unknown)
        raise InvalidInput(
            f"Parameter tidak dikenal: {names}",
            f"Unknown query parameter(s): {names}",
            unknown=unknown,
        )
