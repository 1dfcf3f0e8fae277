"""`mutasi audit …` as an auditor runs it: a separate process reading the settings' servers."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from mutasi.embedded.stack import settings_env
from mutasi.log.checkpoints import Checkpointer
from tests.integration.log_scenario import as_superuser, chain_of, new_tenant, rewrite_history
from tests.integration.test_audit_api import _transfer_with_history


async def _mutasi(settings, *args: str) -> subprocess.CompletedProcess[str]:  # noqa: ANN001
    command = [sys.executable, "-m", "mutasi.cli", "audit", *args]
    env = {**os.environ, **settings_env(settings)}
    return await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
    )


async def test_verify_exits_non_zero_and_names_the_first_broken_entry(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    clean = await _mutasi(settings, "verify", "--tenant", tenant, "--checkpoints", "db")
    assert clean.returncode == 0, clean.stderr
    assert "UTUH" in clean.stdout
    await as_superuser(
        admin_pool, ("DELETE FROM event_log WHERE sequence = $1", [chain[6].sequence])
    )
    broken = await _mutasi(settings, "verify", "--tenant", tenant, "--checkpoints", "db")
    assert broken.returncode == 1
    assert f"urutan {chain[7].sequence}, stream {chain[7].stream}" in broken.stdout
    assert "broken link" in broken.stdout and "Rantai terputus" in broken.stdout


async def test_verify_against_a_kept_checkpoint_file_proves_a_rewrite(
    pool, admin_pool, settings, tmp_path
):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await Checkpointer(pool, settings).checkpoint(tenant)
    listed = await _mutasi(settings, "checkpoints", "--tenant", tenant)
    kept = tmp_path / "checkpoints.jsonl"
    kept.write_text(listed.stdout)
    assert len(kept.read_text().splitlines()) == 1
    await rewrite_history(
        admin_pool, tenant, chain[0].sequence, lambda e: {**e.payload, "catatan": "ditulis ulang"}
    )
    result = await _mutasi(
        settings, "verify", "--tenant", tenant, "--checkpoints", str(kept), "--json"
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["chain"]["ok"] and not report["checkpoints"]["ok"]
    assert report["checkpoints"]["broken"]["sequence"] == chain[-1].sequence
    assert report["checkpoints"]["broken"]["reason"] == "hash differs"


async def test_trail_and_export_for_the_auditor(pool, settings, tmp_path):
    tenant = new_tenant()
    transfer_id = await _transfer_with_history(pool, tenant)
    trail = await _mutasi(settings, "trail", "--tenant", tenant, "--transfer", transfer_id)
    assert trail.returncode == 0, trail.stderr
    lines = trail.stdout.splitlines()
    assert [line.split()[2] for line in lines] == [
        "transfer.submitted",
        "transfer.checked",
        "transfer.verified",
    ]
    assert "spv-1 (supervisor)  Penyegaran organisasi" in lines[0]
    out = tmp_path / "log.csv"
    exported = await _mutasi(
        settings, "export", "--tenant", tenant, "--format", "csv", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(Path(out).open(encoding="utf-8")))
    assert [r["event_type"] for r in rows] == [
        "transfer.submitted",
        "transfer.checked",
        "transfer.verified",
    ]
    unknown = await _mutasi(settings, "trail", "--tenant", new_tenant(), "--transfer", transfer_id)
    assert unknown.returncode == 1 and "tidak ditemukan" in unknown.stderr


async def test_verify_reads_the_published_checkpoints_from_nats_by_default(pool, settings):
    from mutasi.messaging.jetstream import connect, ensure_stream
    from tests.integration.log_scenario import publish_all

    tenant = new_tenant()
    await chain_of(pool, tenant)
    await Checkpointer(pool, settings).checkpoint(tenant)
    nc = await connect(settings, name="test-audit-cli")
    js = nc.jetstream()
    await ensure_stream(js, settings)
    await publish_all(pool, js, tenant)
    await nc.close()
    result = await _mutasi(settings, "verify", "--tenant", tenant, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["checkpoints"]["source"] == "nats" and report["checkpoints"]["checked"] == 1


async def test_a_second_verify_reads_only_the_entries_since_the_verified_checkpoint(
    pool, settings, tmp_path
):
    tenant = new_tenant()
    await chain_of(pool, tenant)
    checkpoint = await Checkpointer(pool, settings).checkpoint(tenant)
    trust = ("--checkpoints", "db", "--trust-dir", str(tmp_path / "trust"))
    first = await _mutasi(settings, "verify", "--tenant", tenant, *trust)
    assert first.returncode == 0, first.stderr
    assert "(seluruh rantai)" in first.stdout
    await chain_of(pool, tenant, streams=1, per_stream=2)
    again = await _mutasi(settings, "verify", "--tenant", tenant, *trust)
    assert again.returncode == 0, again.stderr
    assert f"3 entri baru sejak checkpoint urutan {checkpoint.sequence}" in again.stdout
    full = await _mutasi(settings, "verify", "--tenant", tenant, *trust, "--full", "--json")
    assert json.loads(full.stdout)["mode"] == "full"
