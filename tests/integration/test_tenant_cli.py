"""`mutasi tenant add` from a shell: the same event and configuration as the API's."""

from __future__ import annotations

import json
from uuid import uuid4

from tests.integration.import_support import run_cli


async def test_a_government_added_from_the_shell_is_recorded_and_shown(settings, pool):
    slug = f"kabupaten-uji-{uuid4().hex[:6]}"
    added = run_cli(
        settings, "tenant", "add", "--slug", slug, "--name", "Kabupaten Uji", "--kind",
        "kabupaten", "--province", "Maluku", "--capital", "Masohi", "--time-zone", "WIT",
        "--ppk-name", "Abdul Mukti Keliobas", "--ppk-title", "Bupati Uji",
        "--bkpsdm-name", "Sitti Rahma", "--holiday", "2026-05-15",
        "--incentive-policy", '{"housing_min_km": 120, "housing_support_idr": 1500000}',
        "--by", "admin@kemendagri", "--reason", "Bergabung",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    changed = run_cli(settings, "tenant", "set", slug, "public_page=false", "--by", "admin")
    assert changed.returncode == 0, changed.stderr
    assert "diubah / changed: public_page" in changed.stdout
    shown = run_cli(settings, "tenant", "show", slug)
    config = json.loads(shown.stdout)
    assert (config["time_zone"], config["extra_holidays"]) == ("WIT", ["2026-05-15"])
    assert config["incentive_policy"]["housing_support_idr"] == 1500000
    assert config["public_page"] is False
    entries = await pool.fetch(
        "SELECT event_type, actor_id, actor_role FROM event_log WHERE stream = $1 ORDER BY version",
        f"tenant/{slug}",
    )
    assert [tuple(e) for e in entries] == [
        ("tenant.registered", "admin@kemendagri", "national_admin"),
        ("tenant.configured", "admin", "national_admin"),
    ]


async def test_a_zone_that_is_not_wib_wita_or_wit_is_refused_and_nothing_recorded(settings, pool):
    refused = run_cli(
        settings, "tenant", "add", "--slug", "kota-x-bad", "--name", "Kota X", "--kind", "kota",
        "--province", "X", "--capital", "X", "--time-zone", "GMT", "--ppk-name", "A",
        "--ppk-title", "B", "--bkpsdm-name", "C",
    )  # fmt: skip
    assert refused.returncode != 0
    assert "GMT" in refused.stderr  # names what it refused
    assert await pool.fetchval("SELECT count(*) FROM tenants WHERE slug = 'kota-x-bad'") == 0
