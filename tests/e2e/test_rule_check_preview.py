"""POST /rule-checks: the rule check before submitting, over HTTP on the running stack.

The preview says what the workflow's check will record (same loading, same rules), records
nothing, refuses what a proposal would refuse, and tells another government's PPK met / not
met of the employee's personal rules — never the facts — before the origin consents.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from mutasi import clock
from mutasi.disclosure import PERSONAL_RULES, WITHHELD_ID
from mutasi.domain.model import INTER_GOVERNMENT_DOCUMENTS
from mutasi.seed.cast import DemoCast
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")
CAST = DemoCast.for_kota_sorong()
CODES = [f"R{n}" for n in range(1, 11)]
DATE = re.compile(r"\d{2}-\d{2}-\d{4}")  # DD-MM-YYYY, as the rules' messages write dates


async def _check(person: Person, body: dict[str, Any], expected: int = 200) -> dict[str, Any]:
    r = await person.call("POST", "proposal", "/rule-checks", json=body)
    assert r.status_code == expected, r.text
    return dict(r.json())


def _messages(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["code"], f["message"]) for f in found]


async def test_the_preview_says_what_the_check_then_records_and_records_nothing(settings, pool):
    case = await movable_case(pool)
    hr = people(settings, case)["hr"]
    body = {"employee_nip": case.nip, "target_position_code": case.target_position,
            "documents": DOCUMENTS}  # fmt: skip

    preview = await _check(hr, body)
    assert [r["code"] for r in preview["rules"]] == CODES
    assert not preview["withheld"] and preview["kind"] == "within_government"
    assert await pool.fetchval(
        "SELECT count(*) FROM transfers WHERE employee_nip = $1", case.nip
    ) == 0  # fmt: skip
    recorded_of_them = "SELECT count(*) FROM event_log WHERE payload->>'employee_nip' = $1"
    assert await pool.fetchval(recorded_of_them, case.nip) == 0

    justification = "Kebutuhan organisasi" if preview["justification_missing"] else None
    r = await hr.propose(case.nip, case.target_position, clock.today().isoformat(),
                         justification=justification, documents=DOCUMENTS)  # fmt: skip
    tid = str(r.json()["id"])
    await hr.wait_status(tid, "checked", "returned")
    recorded = (await hr.call("GET", "proposal", f"/transfers/{tid}/checks")).json()["items"][0]
    broken = [r for r in preview["rules"] if not r["passed"]]
    hard = [r for r in broken if r["severity"] == "hard"]
    soft = [r for r in broken if r["justification_needed"]]
    assert _messages(recorded["failures"]) == _messages(hard)
    assert _messages(recorded["warnings"]) == _messages(soft)
    assert recorded["passed"] == preview["passed"]
    assert recorded["match_score"] == preview["match_score"]
    assert [w["code"] for w in soft] == preview["justification_missing"]


async def test_a_hard_rule_is_shown_with_the_fact_that_decides_it(settings):
    hr = Person(settings, "kota-sorong", ["hr_officer"], "bkpsdm@kota-sorong")
    preview = await _check(
        hr, {"employee_nip": CAST.sanctioned_nip, "target_position_code": CAST.target_position_code}
    )
    assert not preview["passed"]
    r4 = next(r for r in preview["rules"] if r["code"] == "R4")
    assert not r4["passed"] and "hukuman disiplin" in r4["message"]
    assert DATE.search(r4["message"])  # the sanction's end date: the deciding fact
    r10 = next(r for r in preview["rules"] if r["code"] == "R10")
    assert not r10["passed"]  # no document named


async def test_another_governments_ppk_learns_met_or_not_met_never_the_facts(settings, pool):
    ppk = Person(settings, "kota-palembang", ["approver"], "ppk@kota-palembang")
    post = await pool.fetchval(
        "SELECT position_code FROM position_filled WHERE tenant = 'kota-palembang'"
        " AND filled < needed ORDER BY position_code LIMIT 1"
    )
    body = {
        "employee_nip": CAST.sanctioned_nip,
        "origin_tenant": "kota-sorong",
        "target_position_code": post,
        "documents": [d.code for d in INTER_GOVERNMENT_DOCUMENTS],
    }
    preview = await _check(ppk, body)
    assert preview["withheld"] and preview["match_score"] is None
    assert not preview["passed"]
    rules = {r["code"]: r for r in preview["rules"]}
    assert rules["R4"]["message"] == f"Hukuman disiplin: {WITHHELD_ID}"
    for code, (title, _) in PERSONAL_RULES.items():
        shown = rules[code]["message"]
        assert shown in (f"{title}: terpenuhi", f"{title}: {WITHHELD_ID}"), shown
        assert not DATE.search(shown) and "tahun" not in shown
    # Sorong's own BKPSDM reads the same employee's facts.
    own = await _check(
        Person(settings, "kota-sorong", ["hr_officer"], "bkpsdm@kota-sorong"),
        {"employee_nip": CAST.sanctioned_nip, "target_position_code": CAST.target_position_code},
    )
    own_r4 = next(r for r in own["rules"] if r["code"] == "R4")
    assert DATE.search(own_r4["message"])


async def test_who_may_not_propose_may_not_preview_either(settings, pool):
    case = await movable_case(pool)
    body = {"employee_nip": case.nip, "target_position_code": case.target_position}
    other_unit = Person(settings, case.tenant, ["supervisor"], "atasan-lain", unit="zz-lain")
    await _check(other_unit, body, 404)  # as if the NIP were unknown
    hr_elsewhere = Person(settings, "kota-palembang", ["hr_officer"], "bkpsdm@kota-palembang")
    await _check(hr_elsewhere, body | {"origin_tenant": case.tenant}, 403)  # the PPK asks
    auditor = Person(settings, case.tenant, ["auditor"], "inspektorat")
    await _check(auditor, body, 403)
