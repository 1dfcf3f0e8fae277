"""A proposer attaches the documents a transfer requires (R10); the files' SHA-256 is in the
log, the checklist shows what is there, and only those who may see the transfer get them."""

from __future__ import annotations

import hashlib

import pytest

from mutasi import clock
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _file(name: str, data: bytes, code: str) -> dict:
    return {
        "files": {"file": (name, data, "application/octet-stream")},
        "data": {"document_code": code},
    }


async def _returned_for_documents(settings, pool):  # noqa: ANN001, ANN202
    case = await movable_case(pool)
    who = people(settings, case)
    response = await who["hr"].propose(
        case.nip,
        case.target_position,
        clock.today().isoformat(),
        justification="Kebutuhan organisasi",
    )
    transfer_id = response.json()["id"]
    await who["hr"].wait_status(transfer_id, "returned")  # R10: nothing attached yet
    return who, transfer_id


async def test_attached_documents_complete_the_checklist_and_their_hash_is_in_the_log(
    settings, pool
):
    who, transfer_id = await _returned_for_documents(settings, pool)
    path = f"/transfers/{transfer_id}/attachments"
    uploaded = {}
    for code in DOCUMENTS:
        content = PDF + code.encode()
        r = await who["hr"].call("POST", "proposal", path, **_file(f"{code}.pdf", content, code))
        assert r.status_code == 201, r.text
        assert r.json()["sha256"] == hashlib.sha256(content).hexdigest()
        assert r.json()["content_type"] == "application/pdf"
        uploaded[code] = (r.json(), content)

    listing = (await who["employee"].call("GET", "proposal", path)).json()
    assert {d["code"]: d["attached"] for d in listing["required"]} == dict.fromkeys(DOCUMENTS, True)
    logged = await pool.fetch(
        "SELECT event_type, payload FROM event_log WHERE stream = $1", f"attachment/{transfer_id}"
    )
    assert {e["payload"]["document_code"]: e["payload"]["sha256"] for e in logged} == {
        code: meta["sha256"] for code, (meta, _) in uploaded.items()
    }
    assert {e["event_type"] for e in logged} == {"attachment.added"}

    meta, content = uploaded["last_decree"]
    download = await who["employee"].call("GET", "proposal", f"{path}/{meta['id']}")
    assert download.content == content and download.headers["x-content-sha256"] == meta["sha256"]

    revised = await who["hr"].call(
        "POST",
        "proposal",
        f"/transfers/{transfer_id}/revise",
        json={"documents": DOCUMENTS, "reason": "Berkas dilengkapi"},
    )
    assert revised.status_code == 200, revised.text
    [_, check] = (
        await who["hr"].call("GET", "proposal", f"/transfers/{transfer_id}/checks")
    ).json()["items"]
    assert "R10" not in {f["code"] for f in check["failures"]}
    after = (await who["hr"].call("GET", "proposal", path)).json()
    assert all(d["declared"] and d["attached"] for d in after["required"])


async def test_uploading_the_same_file_twice_records_it_once(settings, pool):
    who, transfer_id = await _returned_for_documents(settings, pool)
    path = f"/transfers/{transfer_id}/attachments"
    first = await who["hr"].call("POST", "proposal", path, **_file("skp.png", PNG, "skp_two_years"))
    again = await who["hr"].call("POST", "proposal", path, **_file("skp.png", PNG, "skp_two_years"))
    assert first.json() == again.json() and first.json()["content_type"] == "image/png"
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM event_log WHERE stream = $1", f"attachment/{transfer_id}"
        )
        == 1
    )


async def test_wrong_type_size_or_document_is_refused_with_a_problem(settings, pool):
    who, transfer_id = await _returned_for_documents(settings, pool)
    path = f"/transfers/{transfer_id}/attachments"
    cases = [
        (_file("surat.docx", b"PK\x03\x04 not a pdf", "proposal_letter"), 415),
        (_file("besar.pdf", PDF + b"0" * settings.attachment_max_bytes, "proposal_letter"), 413),
        (_file("surat.pdf", PDF, "surat_cinta"), 422),
    ]
    for upload, status in cases:
        response = await who["hr"].call("POST", "proposal", path, **upload)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert (await who["hr"].call("GET", "proposal", path)).json()["items"] == []


async def test_only_those_who_may_see_the_transfer_reach_its_attachments(settings, pool):
    who, transfer_id = await _returned_for_documents(settings, pool)
    path = f"/transfers/{transfer_id}/attachments"
    meta = (
        await who["hr"].call("POST", "proposal", path, **_file("sk.pdf", PDF, "last_decree"))
    ).json()
    outsider = Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan")
    other_nip = await pool.fetchval(
        "SELECT nip FROM employees WHERE tenant = 'kota-sorong' AND nip <> $1 ORDER BY nip LIMIT 1",
        who["employee"].nip,
    )
    colleague = Person(settings, "kota-sorong", ["employee"], f"nip:{other_nip}", nip=other_nip)
    for person in (outsider, colleague):
        for url in (path, f"{path}/{meta['id']}"):
            assert (await person.call("GET", "proposal", url)).status_code == 404
        sneaked = await person.call("POST", "proposal", path, **_file("x.pdf", PDF, "last_decree"))
        assert sneaked.status_code == 404


async def test_declared_documents_without_their_files_are_not_verified(settings, pool):
    """Issue 14, defect 3: a proposal declaring its documents but uploading no file passed
    R10 and was verified. BKPSDM now verifies the files of each required kind."""
    case = await movable_case(pool)
    who = people(settings, case)
    response = await who["hr"].propose(
        case.nip,
        case.target_position,
        clock.today().isoformat(),
        justification="Kebutuhan organisasi",
        documents=DOCUMENTS,  # declared, none uploaded
    )
    transfer_id = response.json()["id"]
    await who["hr"].wait_status(transfer_id, "checked")
    verify = f"/transfers/{transfer_id}/verify"
    refused = await who["hr"].call("POST", "approval", verify, json={"note": "Lengkap"})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/documents-incomplete")
    assert "SKP 2 tahun terakhir" in problem["title"] and problem["missing"] == DOCUMENTS
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "checked"

    path = f"/transfers/{transfer_id}/attachments"
    for code in DOCUMENTS[:2]:
        await who["hr"].call("POST", "proposal", path, **_file(f"{code}.pdf", PDF, code))
    still = await who["hr"].call("POST", "approval", verify, json={"note": "Lengkap"})
    assert still.status_code == 409 and still.json()["missing"] == ["last_decree"]
    await who["hr"].call("POST", "proposal", path, **_file("sk.pdf", PDF + b"sk", "last_decree"))
    verified = await who["hr"].call("POST", "approval", verify, json={"note": "Lengkap"})
    assert verified.status_code == 200, verified.text
