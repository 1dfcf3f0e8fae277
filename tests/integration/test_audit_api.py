"""The auditor's HTTP API, served by the approval service (run in-process on the real servers)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi.auth.tokens import issue_token
from mutasi.log.canonical import canonical_json
from mutasi.log.checkpoints import Checkpoint, Checkpointer
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from services.approval.app import create_app
from tests.event_examples import example
from tests.integration.log_scenario import as_superuser, chain_of, new_tenant, register_tenant


@pytest_asyncio.fixture(scope="module")
async def api(settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://approval") as client:
            yield client


def _as(settings, tenant: str, role: str = "auditor") -> dict[str, str]:  # noqa: ANN001
    token = issue_token(settings, sub=f"{role}@{tenant}", tenant=tenant, roles=[role])
    return {"Authorization": f"Bearer {token}"}


async def _transfer_with_history(pool, tenant: str) -> str:  # noqa: ANN001
    transfer_id = str(uuid4())
    stream = f"transfer/{transfer_id}"
    steps = [
        (
            "transfer.submitted",
            Actor("spv-1", "supervisor"),
            "Penyegaran organisasi",
            example("transfer.submitted"),
        ),
        ("transfer.checked", Actor("system", "system"), None, example("transfer.checked")),
        ("transfer.verified", Actor("hr-1", "hr_officer"), "Berkas lengkap", {"step": "verify"}),
    ]
    for event_type, actor, reason, payload in steps:
        async with pool.acquire() as conn, conn.transaction():
            await append(
                conn,
                tenant,
                [NewEvent(stream, event_type, payload, actor, reason)],
                projector=ReadModels(),
            )
    return transfer_id


async def test_the_trail_tells_who_did_what_when_in_which_role_and_why(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    transfer_id = await _transfer_with_history(pool, tenant)
    response = await api.get(f"/audit/transfers/{transfer_id}/trail", headers=_as(settings, tenant))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(i["action"], i["actor_id"], i["role"], i["reason"]) for i in items] == [
        ("transfer.submitted", "spv-1", "supervisor", "Penyegaran organisasi"),
        ("transfer.checked", "system", "system", None),
        ("transfer.verified", "hr-1", "hr_officer", "Berkas lengkap"),
    ]
    assert [i["prev_hash"] for i in items[1:]] == [i["hash"] for i in items[:-1]]
    assert all(i["time"].endswith("Z") and i["sequence"] for i in items)
    page = await api.get(
        f"/audit/transfers/{transfer_id}/trail?limit=2&offset=2", headers=_as(settings, tenant)
    )
    assert [i["action"] for i in page.json()["items"]] == ["transfer.verified"]


async def test_only_the_tenants_own_auditor_reads_the_trail(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    transfer_id = await _transfer_with_history(pool, tenant)
    path = f"/audit/transfers/{transfer_id}/trail"
    stranger = await register_tenant(pool, new_tenant())
    other = await api.get(path, headers=_as(settings, stranger))
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["type"].endswith("/not-found")
    assert (await api.get(path, headers=_as(settings, tenant, "hr_officer"))).status_code == 403
    assert (await api.get(path)).status_code == 401


async def test_verify_over_http_names_the_first_broken_entry(api, pool, admin_pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    chain = await chain_of(pool, tenant)
    clean = (await api.get("/audit/verify", headers=_as(settings, tenant))).json()
    # A registered government may get a checkpoint entry of its own meanwhile (the relay).
    assert clean["ok"] and clean["chain"]["entries"] >= len(chain)
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET reason = 'diubah' WHERE sequence = $1", [chain[4].sequence]),
    )
    # Full: if the relay signed a checkpoint before the first verification, a default one
    # would read only what came after it, and this edit (hash left alone) lies before.
    body = (await api.get("/audit/verify?full=true", headers=_as(settings, tenant))).json()
    broken = body["chain"]["broken"]
    assert not body["ok"]
    assert (broken["sequence"], broken["stream"], broken["version"], broken["reason"]) == (
        chain[4].sequence,
        chain[4].stream,
        chain[4].version,
        "hash mismatch",
    )
    assert broken["message"].startswith("Isi entri telah diubah")
    later = await api.get(
        f"/audit/verify?from={chain[5].sequence}&to={chain[-1].sequence}",
        headers=_as(settings, tenant),
    )
    assert later.json()["ok"] and later.json()["chain"]["entries"] >= len(chain) - 5
    reversed_range = await api.get(
        f"/audit/verify?from={chain[5].sequence}&to=1", headers=_as(settings, tenant)
    )
    assert reversed_range.status_code == 422


async def test_checkpoints_page_and_verify_with_the_served_public_key(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    checkpointer = Checkpointer(pool, settings)
    for _ in range(3):
        await chain_of(pool, tenant, streams=1, per_stream=2)
        await checkpointer.checkpoint(tenant)
    first = await api.get("/audit/checkpoints?limit=2", headers=_as(settings, tenant))
    assert first.status_code == 200 and first.json()["next_offset"] == 2
    rest = await api.get("/audit/checkpoints?limit=2&offset=2", headers=_as(settings, tenant))
    assert rest.json()["next_offset"] is None
    signed = [Checkpoint.from_dict(c) for c in first.json()["items"] + rest.json()["items"]]
    assert [c.sequence for c in signed] == sorted(c.sequence for c in signed)
    served = (await api.get("/audit/public-key")).json()  # no token: the key is public
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(served["public_key"]))
    assert hashlib.sha256(key.public_bytes_raw()).hexdigest()[:16] == served["key_id"]
    assert all(c.key_id == served["key_id"] and c.signature_valid(key) for c in signed)


async def test_the_jsonl_export_lets_an_auditor_recompute_every_hash(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    chain = await chain_of(pool, tenant)
    response = await api.get("/audit/export?format=jsonl", headers=_as(settings, tenant))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.text.splitlines()
    assert [json.loads(line)["sequence"] for line in lines][: len(chain)] == [
        e.sequence for e in chain
    ]
    previous = "0" * 64
    for line in lines:
        entry = json.loads(line)
        claimed = entry.pop("hash")
        assert hashlib.sha256(canonical_json(entry)).hexdigest() == claimed
        assert entry["prev_hash"] == previous and entry["tenant"] == tenant
        previous = claimed


async def test_the_csv_export_has_one_row_per_entry(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    chain = await chain_of(pool, tenant)
    response = await api.get("/audit/export?format=csv", headers=_as(settings, tenant))
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))[: len(chain)]  # and checkpoints
    assert [int(r["sequence"]) for r in rows] == [e.sequence for e in chain]
    assert [r["hash"] for r in rows] == [e.hash for e in chain]
    assert json.loads(rows[0]["payload"]) == chain[0].payload
    stranger = await register_tenant(pool, new_tenant())
    foreign = await api.get("/audit/export?format=csv", headers=_as(settings, stranger))
    assert list(csv.DictReader(io.StringIO(foreign.text))) == []


async def test_an_export_range_beyond_32_bits_answers_whole(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    chain = await chain_of(pool, tenant)
    empty = await api.get("/audit/export?format=csv&from=2147483648", headers=_as(settings, tenant))
    assert empty.status_code == 200 and list(csv.DictReader(io.StringIO(empty.text))) == []
    whole = await api.get("/audit/export?format=jsonl&to=2147483648", headers=_as(settings, tenant))
    sequences = [json.loads(line)["sequence"] for line in whole.text.splitlines()]
    assert sequences[: len(chain)] == [e.sequence for e in chain]


async def test_verify_over_http_reads_only_what_is_new_unless_asked_for_all(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant())
    await chain_of(pool, tenant)
    await Checkpointer(pool, settings).checkpoint(tenant, force=True)
    first = (await api.get("/audit/verify", headers=_as(settings, tenant))).json()
    assert first["ok"] and first["mode"] == "full" and first["trusted_from"] is None
    assert first["chain"]["first_sequence"] is not None
    trusted = first["trusted_now"]
    assert trusted is not None
    await chain_of(pool, tenant, streams=1, per_stream=2)
    again = (await api.get("/audit/verify", headers=_as(settings, tenant))).json()
    assert again["ok"] and again["mode"] == "incremental"
    assert again["trusted_from"] == trusted
    # The relay signs this registered government's head now and then: count what was read.
    # Sequences are shared by every government: the next of this one's may be further on.
    read = await pool.fetchrow(
        "SELECT count(*) AS entries, min(sequence) AS first FROM event_log"
        " WHERE tenant = $1 AND sequence > $2 AND sequence <= $3",
        tenant,
        trusted["sequence"],
        again["chain"]["last_sequence"],
    )
    assert again["chain"]["first_sequence"] == read["first"]
    assert again["chain"]["entries"] == read["entries"] >= 2
    full = (await api.get("/audit/verify?full=true", headers=_as(settings, tenant))).json()
    assert full["ok"] and full["mode"] == "full"
    assert full["chain"]["first_sequence"] == first["chain"]["first_sequence"]
