"""Schemathesis against each service's own OpenAPI: whatever a client sends, no 5xx, every
answer as documented, and every error an RFC 9457 problem+json.

The schema is the one each app serves at /openapi.json (built here from the same app, since
pytest collects before the session stack has ports); the requests go to the live services.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from mutasi.settings import Settings
from services.approval.app import create_app as approval_app
from services.notification.app import create_app as notification_app
from services.proposal.app import create_app as proposal_app

EXAMPLES = 10
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _schema(create_app) -> schemathesis.BaseSchema:  # noqa: ANN001 - a service's factory
    return schemathesis.openapi.from_dict(create_app(Settings()).openapi())


proposal = _schema(proposal_app)
approval = _schema(approval_app)
notification = _schema(notification_app)


# The HTTP server's own answer to a request it cannot parse (e.g. a fuzzed `content-length:
# xY#` header): sent before any application code runs, so it cannot be problem+json.
PROTOCOL_ERROR = b"Invalid HTTP request received."


def problem_json_on_errors(ctx, response, case):  # noqa: ANN001, ANN201 - schemathesis check
    if response.status_code == 400 and response.content == PROTOCOL_ERROR:
        return
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), (
            f"error {response.status_code} is {content_type}, not problem+json"
        )
        body = response.json()
        assert {"type", "title", "status", "detail"} <= set(body), body
        assert body["status"] == response.status_code


# What the API promises, not how strictly it validates: the data-acceptance checks would call
# domain refusals (a CSV that is not one, from > to) "schema-valid data rejected".
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
    problem_json_on_errors,
]


def _call(case, base_url: str, headers: dict[str, str]) -> None:  # noqa: ANN001 - a Case
    # A generated Content-Length ("xY#") is refused by the HTTP parser before any app sees
    # it (uvicorn's plain-text 400): transport, not API. The client computes the real one.
    if case.headers:
        case.headers = {k: v for k, v in case.headers.items() if k.lower() != "content-length"}
    case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)


@proposal.parametrize()
@FUZZ
def test_proposal_service(case, fuzz_headers, base_urls):
    _call(case, base_urls["proposal"], fuzz_headers)


@approval.parametrize()
@FUZZ
def test_approval_service(case, fuzz_headers, base_urls):
    _call(case, base_urls["approval"], fuzz_headers)


@notification.parametrize()
@FUZZ
def test_notification_service(case, fuzz_headers, base_urls):
    _call(case, base_urls["notification"], fuzz_headers)
