"""Stateful fuzzing along the resources a client creates and then uses: a meeting (agenda,
votes, closing) and a webhook subscription (read, change, rotate its secret, deliveries).

FastAPI emits no OpenAPI links, so they are added here from (method, path) to the operations
that take the created resource's id; schemathesis then chains calls along them.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from mutasi.settings import Settings
from services.approval.app import create_app as approval_app
from services.notification.app import create_app as notification_app
from tests.fuzz.test_openapi_fuzz import CHECKS

STATEFUL = settings(
    max_examples=8,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
MEETING = (
    "post",
    "/meetings",
    "201",
    "meeting_id",
    [
        ("get", "/meetings/{meeting_id}"),
        ("post", "/meetings/{meeting_id}/agenda"),
        ("post", "/meetings/{meeting_id}/votes"),
        ("post", "/meetings/{meeting_id}/close"),
    ],
)
SUBSCRIPTION = (
    "post",
    "/webhook-subscriptions",
    "201",
    "subscription_id",
    [
        ("get", "/webhook-subscriptions/{subscription_id}"),
        ("patch", "/webhook-subscriptions/{subscription_id}"),
        ("post", "/webhook-subscriptions/{subscription_id}/rotate-secret"),
        ("get", "/webhook-subscriptions/{subscription_id}/deliveries"),
        ("post", "/webhook-subscriptions/{subscription_id}/redrive"),
    ],
)


def linked_schema(create_app, link) -> schemathesis.BaseSchema:  # noqa: ANN001 - see above
    """The service's OpenAPI with the created resource's `id` linked to its operations."""
    spec: dict[str, Any] = create_app(Settings()).openapi()
    method, path, status, parameter, targets = link
    links = spec["paths"][path][method]["responses"][status].setdefault("links", {})
    for target_method, target_path in targets:
        operation = spec["paths"][target_path][target_method]
        links[operation["operationId"]] = {
            "operationId": operation["operationId"],
            "parameters": {parameter: "$response.body#/id"},
        }
    return schemathesis.openapi.from_dict(spec)


def _run(schema: schemathesis.BaseSchema, base_url: str, headers: dict[str, str]) -> None:
    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):  # noqa: ANN001, ANN202 - schemathesis hook
            return {"base_url": base_url, "headers": headers}

        def validate_response(
            self,
            response,
            case,
            additional_checks=None,  # noqa: ANN001, ANN201
            **kwargs,
        ):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Workflow.run(settings=STATEFUL)


def test_meetings_scheduled_filled_voted_and_closed_in_any_order(fuzz_headers, base_urls):
    _run(linked_schema(approval_app, MEETING), base_urls["approval"], fuzz_headers)


def test_webhook_subscriptions_created_changed_and_rotated_in_any_order(fuzz_headers, base_urls):
    _run(linked_schema(notification_app, SUBSCRIPTION), base_urls["notification"], fuzz_headers)
