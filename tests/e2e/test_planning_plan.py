"""Provinsi Jambi's BKPSDM imports its assessments, drafts a transfer plan, edits and approves
it; the panel reviews its lines in a meeting, the PPK decides, and every proposal completes."""

from __future__ import annotations

import asyncio
import io
from typing import Any
from uuid import UUID, uuid4

import pytest
from openpyxl import load_workbook

from mutasi import clock
from tests.e2e.api_client import Person
from tests.e2e.meeting_scenario import schedule
from tests.e2e.scenario import attach_required
from tests.integration.planning_support import FILES, read
from tests.unit.documents.pdf_text import shown_text
from workflows.plan.activities import FILES_POLL

pytestmark = pytest.mark.usefixtures("stack")
TENANT = "provinsi-jambi"
UNITS = ["diskominfo", "bpkad", "dinkes", "bkpsdm", "dishub", "disdikbud"]


async def _import_sample(hr: Person) -> dict[str, Any]:
    """BKPSDM uploads the three files of the sample, in order, as the web page does."""
    reports = {}
    for kind in ("employees", "positions", "assessments"):
        upload = {"file": (FILES[kind], read(kind), "text/csv")}
        answer = await hr.call("POST", "proposal", f"/imports/{kind}", files=upload)
        assert answer.status_code == 200, answer.text
        reports[kind] = answer.json()
    return reports


async def _until(check, what: str, timeout: float = 120) -> Any:  # noqa: ANN001
    deadline = asyncio.get_running_loop().time() + timeout
    last = None
    while asyncio.get_running_loop().time() < deadline:
        if (last := await check()) and last[0]:
            return last[1]
        await asyncio.sleep(0.5)
    raise AssertionError(f"never {what}; last: {last}")


async def test_a_plan_for_provinsi_jambi_is_approved_and_its_proposals_complete(settings, pool):
    people = {
        role: Person(settings, TENANT, [role], f"{role}@{TENANT}")
        for role in ("hr_officer", "approver")
    }
    hr, ppk = people["hr_officer"], people["approver"]
    counts = (await _import_sample(hr))["assessments"]["counts"]
    assert (counts["imported"], counts["duplicates"], counts["refused"]) == (25, 1, 6)
    panel = [Person(settings, TENANT, ["panel_member"], f"tim-{k}@{TENANT}") for k in (1, 2)]
    today = clock.today().isoformat()
    spec = {
        "title": "Rencana Mutasi Semester I",
        "scope": {"units": UNITS, "period_start": today},
        "rules": {"max_moves": 4, "max_moves_out_per_unit": 2, "min_staffing_ratio": 0.5},
    }
    drafted = await hr.call("POST", "proposal", "/plans", json=spec, key=str(uuid4()))
    assert drafted.status_code == 201, drafted.text
    plan_id = drafted.json()["id"]

    async def optimised() -> tuple[bool, dict]:
        plan = (await hr.call("GET", "proposal", f"/plans/{plan_id}")).json()
        return plan["status"] == "optimised" and plan["revision"] >= 1, plan

    plan = await _until(optimised, "optimised")
    objective = plan["objective"]
    assert objective["gap"] == 0 and 0 < objective["optimum"]["moves"] <= 4
    assert objective["optimum"]["value"] >= objective["greedy"]["value"]
    lines = (await hr.call("GET", "proposal", f"/plans/{plan_id}/lines")).json()["items"]
    assert len(lines) == objective["optimum"]["moves"]
    assert all(line["transfer_id"] is None for line in lines)
    assert all(line["target_position_name"] and line["target_unit_name"] for line in lines)

    # BKPSDM keeps one person where they are and optimises again.
    kept = lines[0]["employee_nip"]
    spec["rules"]["excluded_employees"] = [kept]
    edited = await hr.call("PUT", "proposal", f"/plans/{plan_id}", json=spec, key=str(uuid4()))
    assert edited.status_code == 200, edited.text
    assert (edited.json()["revision"], edited.json()["status"]) == (2, "optimised")
    lines = (await hr.call("GET", "proposal", f"/plans/{plan_id}/lines")).json()["items"]
    assert kept not in {line["employee_nip"] for line in lines}

    meeting_id = await schedule(hr, panel)
    await _incentive_policy(settings, POLICY)  # the government pays for far postings
    approved = await hr.call(
        "POST", "proposal", f"/plans/{plan_id}/approve",
        json={"effective_date": today, "meeting_id": meeting_id}, key=str(uuid4()),
    )  # fmt: skip
    assert approved.status_code == 200, approved.text

    async def lines_now(wanted: str) -> tuple[bool, list]:
        items = (await hr.call("GET", "proposal", f"/plans/{plan_id}/lines")).json()["items"]
        return all(i["transfer_status"] == wanted for i in items), items

    # R10 as for any proposal: each line waits, checked, for its files before the plan
    # verifies it (a declared checklist is not a file).
    lines = await _until(lambda: lines_now("checked"), "all lines checked, waiting for files")
    await asyncio.sleep(2 * FILES_POLL.total_seconds())  # the plan has looked, more than once
    assert all(line["transfer_status"] == "checked" for line in await _lines(hr, plan_id))
    for line in lines:
        await attach_required(hr, line["transfer_id"])
    lines = await _until(lambda: lines_now("on_agenda"), "all lines on the meeting's agenda")
    transfers = [line["transfer_id"] for line in lines]
    for member in panel:
        votes = {"votes": [{"transfer_id": t, "vote": "recommend"} for t in transfers]}
        cast = await member.call(
            "POST", "approval", f"/meetings/{meeting_id}/votes", json=votes, key=str(uuid4())
        )
        assert cast.status_code == 200, cast.text
    closed = await hr.call("POST", "approval", f"/meetings/{meeting_id}/close", json={})
    assert closed.status_code == 200, closed.text
    for transfer_id in transfers:
        await ppk.wait_status(transfer_id, "recommended")
        decided = await ppk.call(
            "POST", "approval", f"/transfers/{transfer_id}/decision",
            json={"outcome": "approved"}, key=str(uuid4()),
        )  # fmt: skip
        assert decided.status_code == 200, decided.text
    for transfer_id in transfers:
        await hr.wait_status(transfer_id, "completed", timeout=120)
    await _incentive_policy(settings, {})  # as the seed has it, for the other tests
    await _incentives_granted(settings, pool, lines)

    async def completed() -> tuple[bool, dict]:
        found = (await hr.call("GET", "proposal", f"/plans/{plan_id}")).json()
        return found["status"] == "completed", found

    await _until(completed, "completed")
    moved = await pool.fetch(
        "SELECT nip, position_code FROM employees WHERE tenant = $1 AND nip = ANY($2::text[])",
        TENANT,
        [line["employee_nip"] for line in lines],
    )
    where = {r["nip"]: r["position_code"] for r in moved}
    assert where == {line["employee_nip"]: line["target_position_code"] for line in lines}
    events = await pool.fetch(
        "SELECT event_type FROM event_log WHERE stream = $1 ORDER BY version", f"plan/{plan_id}"
    )
    kinds = [e["event_type"] for e in events]
    assert kinds[:4] == ["plan.drafted", "plan.optimised", "plan.edited", "plan.optimised"]
    assert kinds[4] == "plan.approved" and kinds[-1] == "plan.completed"
    assert kinds.count("plan.line_proposed") == len(lines)
    await _reports(settings, hr, plan_id, meeting_id, lines, today)


POLICY = {"transport_min_km": 0, "transport_allowance_idr": 750_000,
          "housing_min_km": 100, "housing_support_idr": 2_000_000}  # fmt: skip


async def _incentive_policy(settings, policy: dict) -> None:  # noqa: ANN001
    admin = Person(settings, "nasional", ["national_admin"], "admin@kemendagri")
    body = {"incentive_policy": policy, "reason": "Kebijakan insentif penempatan jauh"}
    changed = await admin.call("PATCH", "proposal", f"/tenants/{TENANT}", json=body)
    assert changed.status_code == 200, changed.text


async def _incentives_granted(settings, pool, lines: list) -> None:  # noqa: ANN001
    """The policy applied to each line's proposal by distance, recorded with the proposal,
    told to the employee in the decree's notice and printed in the decree."""
    for line in lines:
        [submitted] = await pool.fetch(
            "SELECT payload FROM event_log WHERE stream = $1 AND event_type = 'transfer.submitted'",
            f"transfer/{line['transfer_id']}",
        )
        incentives = submitted["payload"]["incentives"]
        assert incentives[0].startswith("Tunjangan transport Rp 750.000 per bulan"), incentives
        far = line["distance_km"] is not None and line["distance_km"] >= 100
        assert any(i.startswith("Bantuan perumahan Rp 2.000.000") for i in incentives) == far

        async def noticed(line: dict = line) -> tuple[bool, str | None]:
            body = await pool.fetchval(
                "SELECT body FROM notifications WHERE transfer_id = $1 AND recipient = $2"
                " AND event_type = 'transfer.decree_issued'",
                UUID(line["transfer_id"]), f"nip:{line['employee_nip']}",
            )  # fmt: skip
            return body is not None, body

        notice = await _until(noticed, "told the employee of the decree")
        assert "Tunjangan transport Rp 750.000" in notice
        nip = line["employee_nip"]
        employee = Person(settings, TENANT, ["employee"], f"pegawai-{nip}", nip=nip)
        decree = await employee.call("GET", "approval", f"/transfers/{line['transfer_id']}/decree")
        assert decree.status_code == 200
        assert "Tunjangan transport Rp 750.000" in " ".join(shown_text(decree.content).split())


async def _reports(settings, hr: Person, plan_id: str, meeting_id: str, lines: list, today: str):  # noqa: ANN001, ANN202
    """The plan as a document, the period's recap and the meeting's minutes, as BKPSDM and
    an auditor download them (an employee may not)."""
    document = await hr.call("GET", "proposal", f"/plans/{plan_id}/document.xlsx")
    assert document.status_code == 200, document.text
    book = load_workbook(io.BytesIO(document.content))
    staffing = [[c.value for c in r] for r in book["Beban kerja per unit sebelum da"].iter_rows()]
    assert staffing[0][:4] == ["Unit", "Kebutuhan (ABK)", "Sebelum", "Sesudah"]
    changed = [row for row in staffing[1:] if row[2] != row[3]]
    assert changed and sum(row[3] - row[2] for row in changed) == 0  # people moved, none lost
    listed = [[c.value for c in r] for r in book["Baris rencana"].iter_rows()][1:]
    assert {row[1] for row in listed} == {line["employee_nip"] for line in lines}
    assert {row[-1] for row in listed} == {"completed"}
    pdf = await hr.call("GET", "proposal", f"/plans/{plan_id}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    auditor = Person(settings, TENANT, ["auditor"], f"auditor@{TENANT}")
    recap = await auditor.call(
        "GET", "proposal", f"/reports/transfers.xlsx?from={today}&to={today}"
    )
    assert recap.status_code == 200, recap.text
    book = load_workbook(io.BytesIO(recap.content))
    rows = [[c.value for c in r] for r in book["Daftar usulan"].iter_rows()][1:]
    done = {row[1] for row in rows if row[6] == "Selesai"}
    assert {line["employee_nip"] for line in lines} <= done
    steps = {
        r[0]: r
        for r in ([c.value for c in x] for x in book["Waktu proses per langkah"].iter_rows())
    }
    assert steps["Verifikasi BKPSDM"][1] >= len(lines)
    minutes = await hr.call("GET", "approval", f"/meetings/{meeting_id}/minutes.pdf")
    assert minutes.status_code == 200 and minutes.content.startswith(b"%PDF")
    nip = lines[0]["employee_nip"]
    employee = Person(settings, TENANT, ["employee"], f"pegawai-{nip}", nip=nip)
    assert (await employee.call("GET", "proposal", "/reports/transfers.pdf")).status_code == 403


async def _lines(hr: Person, plan_id: str) -> list:
    return (await hr.call("GET", "proposal", f"/plans/{plan_id}/lines")).json()["items"]
