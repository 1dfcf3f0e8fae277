"""A government's incentive policy applied to one posting (SPEC §11): which allowances a
transfer carries, in the words the notice and the decree print.

Pure: the caller measures the distance (home to the new post, whole km). An unknown distance
earns nothing — an allowance is granted on a fact, not a guess; BKPSDM can still add one by
hand in the proposal's reasons.
"""

from __future__ import annotations

from mutasi.domain.tenant_config import IncentivePolicy


def rupiah(amount: int) -> str:
    """Rp 1.500.000: Indonesian thousands separators."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def incentives_for(policy: IncentivePolicy, km: int | None) -> list[str]:
    """The allowances a posting `km` from home earns under `policy`, each with its reason."""
    if km is None:
        return []
    earned = []
    grants = (
        ("Tunjangan transport", policy.transport_min_km, policy.transport_allowance_idr),
        ("Bantuan perumahan", policy.housing_min_km, policy.housing_support_idr),
    )
    for name, threshold, amount in grants:
        if threshold is not None and amount and km >= threshold:
            earned.append(
                f"{name} {rupiah(amount)} per bulan (penempatan {km} km dari domisili;"
                f" kebijakan instansi: mulai {threshold} km)"
            )
    return earned
