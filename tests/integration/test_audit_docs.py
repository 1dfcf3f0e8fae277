"""docs/audit.md stays true: its worked examples recompute, its verifier snippet works."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi.audit.queries import export_chunks
from mutasi.log.canonical import canonical_json
from tests.integration.log_scenario import as_superuser, chain_of, new_tenant

DOC = (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text()
EXAMPLES = re.findall(r"```json\n(\{\"actor\".*?)\n```\nSHA-256: `([0-9a-f]{64})`", DOC)


def test_each_worked_example_is_canonical_and_hashes_as_written():
    assert len(EXAMPLES) == 2
    for text, digest in EXAMPLES:
        assert canonical_json(json.loads(text)) == text.encode()
        assert hashlib.sha256(text.encode()).hexdigest() == digest
    assert json.loads(EXAMPLES[1][0])["prev_hash"] == EXAMPLES[0][1]


def test_the_checkpoint_example_signature_verifies_with_the_example_key():
    signed = re.search(r"```json\n(\{\"hash\".*?)\n```", DOC)
    key = re.search(r"Public key \(raw, base64\): `([^`]+)`", DOC)
    signature = re.search(r"Signature \(base64\): `([^`]+)`", DOC)
    assert signed and key and signature
    assert json.loads(signed[1])["hash"] == EXAMPLES[1][1]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key[1]))
    public.verify(base64.b64decode(signature[1]), signed[1].encode())  # raises if wrong


async def test_the_do_it_yourself_verifier_accepts_an_export_and_catches_a_change(
    pool, admin_pool, tmp_path
):
    snippet = re.search(r"```python\n(.*?)```", DOC, re.S)
    assert snippet
    namespace: dict[str, object] = {}
    exec(snippet[1], namespace)  # noqa: S102 - the documented code, run as written
    verify_export = namespace["verify_export"]
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)

    async def export() -> str:
        path = tmp_path / f"{tenant}.jsonl"
        path.write_bytes(b"".join([c async for c in export_chunks(pool, tenant, "jsonl")]))
        return str(path)

    assert verify_export(await export()) == f"intact; head {chain[-1].hash}"
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET actor_id = 'orang-lain' WHERE sequence = $1", [chain[2].sequence]),
    )
    assert verify_export(await export()) == f"hash mismatch at sequence {chain[2].sequence}"
