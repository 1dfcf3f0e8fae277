"""Problems speak Indonesian first (issue 14, defect 9): `title` and `detail` in the words a
BKPSDM officer uses, with no raw slugs; English only alongside (`detail_en`, `msg_en`)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field
from temporalio.exceptions import ApplicationError

from mutasi.domain.lifecycle import TransferStatus
from mutasi.errors import IllegalTransition
from mutasi.lifecycle import Caller, TransferInput
from mutasi.web.problems import install_problem_handlers
from workflows.transfer import steps


class Body(BaseModel):
    effective_date: date
    reasons: str = Field(max_length=10)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/t")
    async def take(body: Body) -> dict[str, str]:
        raise IllegalTransition("Langkah tidak dapat dilakukan", "Step not allowed")

    return app


async def _post(json: dict[str, object]) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post("/t", json=json)


async def test_a_validation_problem_says_what_is_wrong_in_indonesian():
    r = await _post({"reasons": "x" * 11})
    problem = r.json()
    assert r.status_code == 422 and problem["title"] == "Data yang dikirim tidak valid"
    messages = {e["loc"][-1]: e["msg"] for e in problem["errors"]}
    assert messages == {
        "effective_date": "wajib diisi",
        "reasons": "terlalu panjang (paling banyak 10 karakter)",
    }
    assert "Field required" in {e["msg_en"] for e in problem["errors"]}
    assert problem["detail"].startswith("Periksa isian: effective_date (wajib diisi)")
    assert "Field required" not in problem["detail"]


async def test_a_refusal_is_indonesian_in_title_and_detail_with_english_alongside():
    problem = (await _post({"effective_date": "2026-12-01", "reasons": "ok"})).json()
    assert problem["title"] == problem["detail"] == "Langkah tidak dapat dilakukan"
    assert problem["detail_en"] == "Step not allowed"


@pytest.mark.parametrize("status", list(TransferStatus))
def test_a_step_refused_names_the_status_in_words_not_its_code(status):
    refused = steps.not_now("decide", status)
    indonesian = str(refused.message).split(" / ")[0]
    assert f"'{status.value}'" not in indonesian and "_" not in indonesian
    assert "keputusan PPK" in indonesian


def test_the_government_that_must_act_is_named_in_words_not_by_slug():
    t = steps_transfer()
    for status, caller, says in [
        (TransferStatus.CONSENTED, Caller("x", "kota-palembang", ["bkn_officer"]), "oleh BKN"),
        (
            TransferStatus.RECOMMENDED,
            Caller("x", "kota-palembang", ["approver"]),
            "oleh PPK instansi asal",
        ),
    ]:
        with pytest.raises(ApplicationError) as refused:
            steps.check_step(_step_of(status), caller, t, status, _pending(t, status))
        indonesian = str(refused.value.message).split(" / ")[0]
        assert indonesian.endswith(says) and "bkn bkn" not in indonesian.lower()


def steps_transfer() -> TransferInput:
    return TransferInput(
        "t-1", "kota-sorong", "kota-palembang", "between_provinces", "198503142010011002",
        "Budi", "p1", "u1", "p2", "u2", "alasan", "harapan", "2026-12-01",
        Caller("ppk", "kota-palembang", ["approver"]),
    )  # fmt: skip


def _pending(t: TransferInput, status: TransferStatus):  # noqa: ANN202
    return steps.pending_step(t, status, unjustified=False)


def _step_of(status: TransferStatus) -> str:
    return {TransferStatus.CONSENTED: "pertek", TransferStatus.RECOMMENDED: "consent"}[status]
