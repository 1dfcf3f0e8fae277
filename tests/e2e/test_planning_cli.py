"""BKPSDM from a terminal: `mutasi import assessments` and `mutasi plan …` — candidates,
a plan drafted, optimised again and approved (its lines become proposals), each line's files
uploaded (the plan then verifies them), another plan cancelled."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from uuid import UUID

import pytest
from openpyxl import load_workbook

from mutasi import clock
from mutasi.domain.model import TransferKind, required_documents
from tests.e2e.scenario import PDF
from tests.integration.import_support import run_cli
from tests.integration.planning_support import import_file, jambi

pytestmark = pytest.mark.usefixtures("stack")
POST = "diskominfo.pranata-komputer-ahli-muda"


async def test_assessments_candidates_and_a_plan_from_the_cli(settings, pool, tmp_path):
    place = await jambi(pool)
    for kind in ("employees", "positions"):
        await import_file(pool, place, kind)
    # The sample's assessments a year earlier, so no valid row lies after any run date.
    data = place.files["assessments"].replace(b"-2026", b"-2025").replace(b"2026-", b"2025-")
    path = tmp_path / "penilaian.csv"
    path.write_bytes(data)
    imported = run_cli(settings, "import", "assessments", path, "--tenant", place.tenant)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip().endswith(
        "25 diimpor (25 baru, 0 diperbarui), 0 tidak berubah, 1 duplikat, 0 konflik, 6 ditolak"
    )
    assert "baris 31: ditolak — Tanggal Penilaian" in imported.stdout

    ranked = run_cli(settings, "plan", "candidates", POST, "--tenant", place.tenant, "--limit", "2")
    assert ranked.returncode == 0, ranked.stderr
    top = [line for line in ranked.stdout.splitlines() if re.match(r"^\d\. ", line)]
    assert len(top) == 2 and all("S1 Teknik Informatika" in line for line in top)
    assert (
        "Bidang pendidikan: syarat Teknik Informatika, aktual Teknik Informatika" in ranked.stdout
    )

    tmt = (clock.today() + timedelta(days=14)).isoformat()  # on the session's clock
    options = ["--title", "Rencana dari terminal", "--start", tmt, "--max-moves", "2"]
    drafted = run_cli(settings, "plan", "draft", "--tenant", place.tenant, *options)
    assert drafted.returncode == 0, drafted.stderr
    assert "optimised" in drafted.stdout.splitlines()[0]
    assert "gap 0.00" in drafted.stdout and "greedy" in drafted.stdout
    plan_id = re.search(r"\(([0-9a-f-]{36})\)", drafted.stdout).group(1)
    shown = run_cli(settings, "plan", "show", plan_id, "--tenant", place.tenant)
    assert shown.returncode == 0 and len(re.findall(r"^\d\. ", shown.stdout, re.M)) == 2
    document = tmp_path / "rencana.xlsx"
    written = run_cli(settings, "report", "plan", plan_id, "--tenant", place.tenant,
                      "--out", document)  # fmt: skip
    assert written.returncode == 0, written.stderr
    listed = list(load_workbook(document)["Baris rencana"].iter_rows(values_only=True))
    assert listed[0][:3] == ("No", "NIP", "Nama") and len(listed) == 3  # header + 2 moves
    recap = tmp_path / "rekap.pdf"
    written = run_cli(settings, "report", "transfers", "--tenant", place.tenant, "--from",
                      "2026-01-01", "--to", "2026-12-31", "--out", recap)  # fmt: skip
    assert written.returncode == 0 and recap.read_bytes().startswith(b"%PDF"), written.stderr
    # BKPSDM optimises again on today's data and approves: each line becomes a proposal,
    # checked, that waits for its files (R10) before the plan verifies it.
    again = run_cli(settings, "plan", "optimise", plan_id, "--tenant", place.tenant)
    assert again.returncode == 0, again.stderr
    assert re.search(r"optimised, revisi [2-9]", again.stdout.splitlines()[0]), again.stdout
    approved = run_cli(settings, "plan", "approve", plan_id, "--tenant", place.tenant,
                       "--effective-date", tmt)  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    assert "approved" in approved.stdout.splitlines()[0] or "in_progress" in approved.stdout
    await _lines_shown(settings, plan_id, place.tenant, "checked")
    assert await pool.fetchval(
        "SELECT count(*) FROM plan_lines l JOIN transfers t ON t.id = l.transfer_id"
        " WHERE l.plan_id = $1 AND t.status = 'checked'",
        UUID(plan_id),
    ) == 2  # fmt: skip

    # BKPSDM uploads each line's files from the terminal; the plan then verifies the lines.
    letter = tmp_path / "berkas.pdf"
    letter.write_bytes(PDF)
    codes = [d.code for d in required_documents(TransferKind.WITHIN_GOVERNMENT)]
    for line in (1, 2):
        for code in codes:
            sent = run_cli(settings, "plan", "attach", plan_id, str(line), code, letter,
                           "--tenant", place.tenant)  # fmt: skip
            assert sent.returncode == 0, sent.stderr
            assert sent.stdout.startswith(f"Berkas {code} diunggah: berkas.pdf"), sent.stdout
    refused = run_cli(settings, "plan", "attach", plan_id, "9", codes[0], letter,
                      "--tenant", place.tenant)  # fmt: skip
    assert refused.returncode == 1 and "belum menjadi usulan" in refused.stderr
    await _lines_shown(settings, plan_id, place.tenant, "verified")

    # Another plan, cancelled; a cancelled plan cannot be cancelled again.
    drafted = run_cli(settings, "plan", "draft", "--tenant", place.tenant, "--title",
                      "Rencana yang dibatalkan", "--start", tmt, "--max-moves", "1")  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    plan_id = re.search(r"\(([0-9a-f-]{36})\)", drafted.stdout).group(1)
    cancelled = run_cli(
        settings, "plan", "cancel", plan_id, "--tenant", place.tenant, "--reason", "Uji"
    )
    assert cancelled.returncode == 0, cancelled.stderr
    assert "cancelled" in cancelled.stdout.splitlines()[0]
    again = run_cli(settings, "plan", "cancel", plan_id, "--tenant", place.tenant, "--reason", "x")
    assert again.returncode == 1 and "gagal" in again.stderr


async def _lines_shown(settings, plan_id: str, tenant: str, status: str) -> None:  # noqa: ANN001
    """`mutasi plan show` until both lines' proposals are in `status`."""
    for _ in range(120):
        shown = run_cli(settings, "plan", "show", plan_id, "--tenant", tenant)
        statuses = re.findall(r"^\d\. .*\[(\w+)\]$", shown.stdout, re.M)
        if len(statuses) == 2 and set(statuses) == {status}:
            return
        await asyncio.sleep(1)
    raise AssertionError(f"the lines' proposals never {status}: {shown.stdout}")
