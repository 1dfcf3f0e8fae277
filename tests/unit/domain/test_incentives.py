"""The incentive policy applied to a posting: thresholds inclusive, an unpaid incentive or an
unknown distance earns nothing, amounts printed in rupiah."""

from mutasi.domain.incentives import incentives_for
from mutasi.domain.tenant_config import IncentivePolicy

POLICY = IncentivePolicy(
    transport_min_km=50,
    transport_allowance_idr=1_500_000,
    housing_min_km=150,
    housing_support_idr=2_000_000,
)


def test_a_near_posting_earns_nothing():
    assert incentives_for(POLICY, 49) == []


def test_the_transport_allowance_starts_at_its_threshold():
    assert incentives_for(POLICY, 50) == [
        "Tunjangan transport Rp 1.500.000 per bulan (penempatan 50 km dari domisili;"
        " kebijakan instansi: mulai 50 km)"
    ]


def test_a_far_posting_earns_both():
    earned = incentives_for(POLICY, 212)
    assert [e.split(" Rp")[0] for e in earned] == ["Tunjangan transport", "Bantuan perumahan"]
    assert "Rp 2.000.000 per bulan (penempatan 212 km" in earned[1]


def test_no_policy_or_no_distance_earns_nothing():
    assert incentives_for(IncentivePolicy(), 500) == []
    assert incentives_for(POLICY, None) == []
    unpaid = IncentivePolicy(transport_min_km=10, transport_allowance_idr=None)
    assert incentives_for(unpaid, 500) == []
