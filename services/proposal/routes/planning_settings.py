"""A government's planning settings (profile matching, docs/planning.md) and where each of
its units is (for distances); BKPSDM changes them, each change an event of the log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, ValidationError

from mutasi.auth.principal import Principal
from mutasi.domain.profile_config import (
    AspirationWeights,
    DistanceBand,
    Penalties,
    ProfileConfig,
)
from mutasi.errors import InvalidInput
from mutasi.log.store import Actor
from mutasi.planning import queries, settings
from mutasi.planning.places import locate
from mutasi.web.deps import Pool, require
from mutasi.web.text import ShortText, Text
from services.proposal.schemas import Strict

router = APIRouter(tags=["planning settings"])


class SettingsOut(BaseModel):
    profile: dict[str, Any] = Field(description="Pengaturan profile matching (docs/planning.md)")
    changed: list[str] = Field(default_factory=list, description="Yang berubah oleh permintaan ini")


class GapWeight(Strict):
    gap: int = Field(ge=-5, le=5, description="aktual − syarat")
    weight: float = Field(ge=0, le=5)


class AspectWeights(Strict):
    managerial: float | None = Field(None, ge=0)
    sociocultural: float | None = Field(None, ge=0)
    technical: float | None = Field(None, ge=0)
    education: float | None = Field(None, ge=0)
    performance: float | None = Field(None, ge=0)
    preference: float | None = Field(None, ge=0)


class ProfileIn(Strict):
    """Any of the settings (docs/planning.md); what is not named stays as it is."""

    gap_weights: list[GapWeight] | None = Field(None, description="Tabel gap → bobot (lengkap)")
    core_share: float | None = Field(None, ge=0, le=1, description="Porsi faktor utama")
    aspect_weights: AspectWeights | None = None
    core_managerial: list[ShortText] | None = Field(None, max_length=8)
    unknown_weight: float | None = Field(None, ge=0, le=5)
    field_mismatch_weight: float | None = Field(None, ge=0, le=5)
    aspiration: AspirationWeights | None = None
    distance_bands: list[DistanceBand] | None = Field(None, max_length=10)
    beyond_bands_weight: float | None = Field(None, ge=0, le=5)
    penalties: Penalties | None = None
    pass_score: float | None = Field(None, ge=0, le=100)

    def changes(self) -> dict[str, Any]:
        given = self.model_dump(exclude_none=True)
        if self.gap_weights is not None:
            given["gap_weights"] = {g.gap: g.weight for g in self.gap_weights}
        if self.aspect_weights is not None:
            given["aspect_weights"] = self.aspect_weights.model_dump(exclude_none=True)
        return given


class SettingsIn(Strict):
    profile: ProfileIn
    reason: Text | None = None


class LocationIn(Strict):
    city: ShortText | None = Field(None, description="Kabupaten/kota tempat kantor unit")
    latitude: float | None = Field(None, ge=-11.5, le=6.5, description="Lintang (derajat)")
    longitude: float | None = Field(None, ge=94.0, le=141.5, description="Bujur (derajat)")


class LocationOut(BaseModel):
    unit_code: str
    city: str | None
    latitude: float | None
    longitude: float | None
    recorded: bool


@router.get("/planning/settings", response_model=SettingsOut, summary="Pengaturan profile matching")
async def read(
    pool: Pool, principal: Annotated[Principal, Depends(require("planning.settings_read"))]
) -> SettingsOut:
    config = await queries.profile_config(pool, principal.tenant)
    return SettingsOut(profile=config.model_dump(mode="json"))


@router.put(
    "/planning/settings", response_model=SettingsOut, summary="Ubah pengaturan profile matching"
)
async def change(
    body: SettingsIn,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("planning.settings_write"))],
) -> SettingsOut:
    current = await queries.profile_config(pool, principal.tenant)
    try:
        changes = body.profile.changes()
        if "aspect_weights" in changes:
            changes["aspect_weights"] = current.aspect_weights | changes["aspect_weights"]
        wanted = ProfileConfig.model_validate(current.model_dump() | changes)
    except ValidationError as exc:
        raise InvalidInput(
            "Pengaturan tidak sah", f"Invalid settings: {exc.errors()[0]['msg']}", field="profile"
        ) from exc
    actor = Actor(principal.sub, principal.main_role)
    changed = await settings.change_profile(pool, principal.tenant, actor, wanted, body.reason)
    return SettingsOut(profile=wanted.model_dump(mode="json"), changed=changed)


@router.put(
    "/units/{unit_code}/location",
    response_model=LocationOut,
    summary="Catat lokasi kantor unit kerja / where a unit's office is",
)
async def locate_unit(
    unit_code: str,
    body: LocationIn,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("unit.locate"))],
) -> LocationOut:
    coords = None
    if (body.latitude is None) != (body.longitude is None):
        raise InvalidInput("Lintang dan bujur diisi bersama", "Give latitude with longitude")
    if body.latitude is not None and body.longitude is not None:
        coords = (body.latitude, body.longitude)
    elif body.city and (place := locate(body.city)):
        coords = (place.latitude, place.longitude)
    actor = Actor(principal.sub, principal.main_role)
    recorded = await settings.locate_unit(
        pool, principal.tenant, actor, unit_code, body.city, coords
    )
    return LocationOut(
        unit_code=unit_code, city=body.city, latitude=coords[0] if coords else None,
        longitude=coords[1] if coords else None, recorded=recorded,
    )  # fmt: skip
