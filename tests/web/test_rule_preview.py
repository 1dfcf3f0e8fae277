"""Usulan baru: "Periksa aturan" shows R1–R10 with their deciding facts before submitting —
without JavaScript (the whole page again, the form as it was filled) and as the fragment htmx
swaps in under the form. Nothing is proposed by checking."""

from __future__ import annotations

import re

import pytest

from mutasi.seed.cast import DemoCast
from tests.web.visitor import Visitor

CAST = DemoCast.for_kota_sorong()


@pytest.fixture
async def hr(web: str):
    visitor = Visitor(web)
    await visitor.sign_in("kota-sorong:hr_officer", "/usulan/baru")
    yield visitor
    await visitor.close()


async def _form(visitor: Visitor, nip: str) -> dict[str, str]:
    page = await visitor.get(f"/usulan/baru?nip={nip}")
    assert page.status_code == 200
    return {
        "csrf_token": visitor.csrf(page),
        "nip": nip,
        "target_position_code": CAST.target_position_code,
        "reasons": "Penyegaran",
        "expectations": "",
        "justification": "",
    }


async def test_checking_without_javascript_shows_each_rule_and_keeps_the_form(hr, pool):
    form = await _form(hr, CAST.sanctioned_nip)
    page = await hr.client.post("/usulan/baru/periksa", data=form)
    assert page.status_code == 200
    assert "Aturan wajib dilanggar: usulan akan dikembalikan" in page.text
    rows = re.findall(r"<strong>(R\d+)</strong>", page.text.split('id="rule-preview"')[1])
    assert rows == [f"R{n}" for n in range(1, 11)]
    assert "hukuman disiplin" in page.text  # R4's deciding fact, the sanction
    assert ">Penyegaran</textarea>" in page.text  # what was typed is still there
    assert await pool.fetchval(
        "SELECT count(*) FROM transfers WHERE employee_nip = $1", CAST.sanctioned_nip
    ) == 0  # fmt: skip


async def test_htmx_gets_only_the_fragment_and_needs_the_csrf_token(hr):
    form = await _form(hr, CAST.eligible_nip)
    token = form.pop("csrf_token")
    fragment = await hr.client.post(
        "/usulan/baru/periksa", data=form, headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Hasil pemeriksaan aturan" in fragment.text
    refused = await hr.client.post("/usulan/baru/periksa", data=form)
    assert refused.status_code == 403
