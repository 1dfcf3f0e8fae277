"""A government's configuration as a value: zones, officials, validation of changes."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from mutasi.domain.tenant_config import (
    IncentivePolicy,
    Official,
    TenantConfiguration,
    TenantConfigured,
    TimeZone,
)


def _config(**changes: object) -> TenantConfiguration:
    base = {
        "slug": "kota-makassar",
        "name": "Kota Makassar",
        "kind": "kota",
        "province": "Sulawesi Selatan",
        "capital": "Kota Makassar",
        "time_zone": "WITA",
        "ppk": {"name": "Andi Wijaya", "title": "Wali Kota Makassar"},
        "bkpsdm_head": {
            "name": "Siti Rahma",
            "title": "Kepala BKPSDM",
            "nip": "197203152000032001",
        },
    }
    return TenantConfiguration.model_validate(base | changes)


def test_each_indonesian_zone_names_its_iana_zone_and_back():
    assert [z.iana for z in TimeZone] == ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
    assert _config().iana_time_zone == "Asia/Makassar"
    assert TimeZone.from_iana("Asia/Jayapura") is TimeZone.WIT
    assert TimeZone.from_iana("Asia/Pontianak") is TimeZone.WIB


def test_defaults_are_what_a_new_government_gets_without_saying():
    config = _config()
    assert config.public_page is True
    assert config.extra_holidays == ()
    assert config.incentive_policy == IncentivePolicy()
    assert config.decree_number_format == "800.1.3.3/{seq:04d}/BKPSDM/{year}"


def test_an_officials_nip_is_eighteen_digits_and_spaces_are_dropped():
    assert Official(name="A", title="B", nip="19720315 200003 2 001").nip == "197203152000032001"
    with pytest.raises(ValidationError):
        Official(name="A", title="B", nip="12345")


@pytest.mark.parametrize(
    "bad",
    [{"slug": "Kota Makassar"}, {"time_zone": "UTC+8"}, {"kind": "desa"}, {"sla_working_days": 0}],
)
def test_a_bad_setting_is_refused(bad: dict[str, object]):
    with pytest.raises(ValidationError):
        _config(**bad)


def test_a_change_is_validated_as_a_whole_and_its_differences_named():
    config = _config()
    changed = config.with_changes(
        public_page=False,
        extra_holidays=[date(2026, 11, 9)],
        incentive_policy={"transport_min_km": 50},
    )
    assert changed.differences(config) == ["extra_holidays", "incentive_policy", "public_page"]
    assert changed.extra_holidays == (date(2026, 11, 9),)
    with pytest.raises(ValidationError):
        config.with_changes(time_zone="GMT")


def test_the_configured_event_names_at_least_one_change():
    with pytest.raises(ValidationError):
        TenantConfigured(**_config().model_dump(), changed=())
