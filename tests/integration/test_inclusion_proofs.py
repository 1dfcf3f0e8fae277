"""Finding 7: one employee proves their entry is in the log, offline, without the whole log.

Each checkpoint signs the Merkle tree head (RFC 6962) of the tenant's entries; a proof is the
entry, its audit path and that signed checkpoint. `mutasi audit prove` makes and checks one;
`GET /audit/entries/{sequence}/proof` gives one to whoever may see the entry
(tests/security/test_inclusion_proof_api.py).
"""

from __future__ import annotations

import asyncio
import json

from mutasi.audit.proofs import build_proof, check_proof
from mutasi.log.checkpoints import Checkpointer, public_key, public_key_path
from mutasi.log.merkle import leaf_hash, root
from tests.integration.import_support import run_cli
from tests.integration.log_scenario import chain_of, new_tenant


async def _signed_chain(pool, settings):  # noqa: ANN001, ANN202
    tenant = new_tenant("proof")
    chain = await chain_of(pool, tenant, streams=3, per_stream=5)
    checkpoint = await Checkpointer(pool, settings).checkpoint(tenant)
    assert checkpoint is not None
    return tenant, chain, checkpoint


async def test_a_checkpoint_signs_the_merkle_root_of_every_entry_up_to_it(pool, settings):
    tenant, chain, checkpoint = await _signed_chain(pool, settings)
    assert checkpoint.length == len(chain)
    assert checkpoint.root == root([leaf_hash(e.hash) for e in chain]).hex()
    assert checkpoint.tree_head_valid(public_key(settings))
    # The next one extends the stored frontier: the same root as the whole tree.
    more = await chain_of(pool, tenant, streams=1, per_stream=3)
    later = await Checkpointer(pool, settings).checkpoint(tenant)
    hashes = await pool.fetch(
        "SELECT hash FROM event_log WHERE tenant = $1 ORDER BY sequence", tenant
    )
    assert later.length == len(hashes) - 1 == len(chain) + 1 + len(more)  # + own entries
    assert later.root == root([leaf_hash(r["hash"]) for r in hashes[: later.length]]).hex()


async def test_a_proof_holds_offline_and_a_changed_entry_or_key_does_not(pool, settings):
    tenant, chain, _ = await _signed_chain(pool, settings)
    proof = await build_proof(pool, tenant, chain[7].sequence)
    key = public_key(settings)
    assert check_proof(json.loads(json.dumps(proof)), key) == []
    assert len(proof["audit_path"]) <= 5  # log2 of the tree, not the log

    forged = json.loads(json.dumps(proof))
    forged["entry"]["reason"] = "Disetujui tanpa rapat"
    assert "the entry's hash does not match its content" in check_proof(forged, key)
    moved = json.loads(json.dumps(proof)) | {"leaf_index": proof["leaf_index"] + 1}
    assert "the audit path does not lead to the signed root" in check_proof(moved, key)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger = Ed25519PrivateKey.generate().public_key()
    assert any("signature" in p for p in check_proof(proof, stranger))


async def test_mutasi_audit_prove_writes_a_proof_and_checks_it_offline(pool, settings, tmp_path):
    tenant, chain, _ = await _signed_chain(pool, settings)
    out = tmp_path / "bukti.json"
    made = await asyncio.to_thread(
        run_cli,
        settings,
        *("audit", "prove", "--tenant", tenant, "--sequence", str(chain[3].sequence)),
        *("--out", out),
    )
    assert made.returncode == 0, made.stderr
    key = public_key_path(settings)
    checked = await asyncio.to_thread(
        run_cli, settings, "audit", "prove", "--check", out, "--public-key", key
    )
    assert checked.returncode == 0 and "SAH" in checked.stdout, checked.stderr
    document = json.loads(out.read_text())
    document["entry"]["payload"] = {"n": 99}
    out.write_text(json.dumps(document))
    refused = await asyncio.to_thread(
        run_cli, settings, "audit", "prove", "--check", out, "--public-key", key
    )
    assert refused.returncode == 1 and "TIDAK SAH" in refused.stderr
