"""The receiving government's incentive policy applied to one proposal: the distance from the
employee's domicile to the new post's unit, then mutasi.domain.incentives."""

from __future__ import annotations

from mutasi.domain.incentives import incentives_for
from mutasi.planning.places import km_between, locate
from mutasi.planning.queries import Conn, unit_places
from mutasi.tenants.config import load_tenant_config


async def posting_distance(conn: Conn, tenant: str, home_city: str | None, unit: str) -> int | None:
    """Whole km from the domicile to the unit's office; None when either is unknown."""
    home = locate(home_city)
    place = (await unit_places(conn, tenant)).get(unit)
    if home is None or place is None or place.latitude is None or place.longitude is None:
        return None
    return round(km_between((home.latitude, home.longitude), (place.latitude, place.longitude)))


async def posting_incentives(
    conn: Conn, tenant: str, home_city: str | None, unit: str
) -> list[str]:
    """What a posting to `unit` of `tenant` earns someone living in `home_city`."""
    config = await load_tenant_config(conn, tenant)
    if config is None:
        return []
    policy = config.incentive_policy
    if policy.transport_min_km is None and policy.housing_min_km is None:
        return []  # most governments pay none: no distance to measure
    return incentives_for(policy, await posting_distance(conn, tenant, home_city, unit))
