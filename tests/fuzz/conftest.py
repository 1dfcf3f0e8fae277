"""The token and the live services' addresses the fuzz tests send their requests to."""

from __future__ import annotations

import pytest

from mutasi.auth.tokens import issue_token
from mutasi.embedded.stack import Stack

# A government where fuzzing cannot disturb the stories other tests tell.
FUZZ_TENANT = "kabupaten-bengkulu-selatan"
# Every role at once, so each operation is reached past its authorization.
ROLES = ["hr_officer", "approver", "panel_member", "auditor", "supervisor", "employee"]


@pytest.fixture(scope="session")
def fuzz_headers(stack: Stack) -> dict[str, str]:
    token = issue_token(
        stack.settings,
        sub="fuzz@bengkulu-selatan",
        tenant=FUZZ_TENANT,
        roles=ROLES,
        unit="bkpsdm",
        nip="198503152010011001",
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def base_urls(stack: Stack) -> dict[str, str]:
    s = stack.settings
    return {
        name: f"http://127.0.0.1:{port}"
        for name, port in (
            ("proposal", s.proposal_port),
            ("approval", s.approval_port),
            ("notification", s.notification_port),
        )
    }
