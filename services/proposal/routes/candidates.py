"""The candidates for one post, best first, every score explained (Palembang's *seleksi*).

Hard rules exclude (R1 already in the post, R4 sanction, R8 a transfer in progress) and are
counted, not hidden; R9 (political freeze) is shown for the whole government. A post that is
full is still ranked: a plan may vacate it (SPEC §3 R1), which the page says.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mutasi.auth.principal import Principal
from mutasi.planning.candidates import candidates
from mutasi.web.deps import Paging, Pool, require
from services.proposal.explained import ExplainedScore, explained

router = APIRouter(prefix="/vacancies", tags=["candidates"])


class PostOut(BaseModel):
    code: str
    name: str
    unit_code: str
    unit_name: str | None
    city: str | None
    needed: int
    filled: int
    vacant: bool
    note: str | None = Field(description="Keterangan bila jabatan tidak lowong (R1)")


class CandidateOut(ExplainedScore):
    rank: int
    nip: str
    name: str
    position_code: str
    unit_code: str
    grade: str
    education: str


class CandidatePage(BaseModel):
    post: PostOut
    blocked_by: str | None = Field(description="R9: pembekuan mutasi pejabat, bila berlaku")
    excluded: dict[str, int] = Field(description="Pegawai yang dikecualikan per aturan keras")
    total: int = Field(description="Jumlah kandidat setelah pengecualian")
    items: list[CandidateOut]
    next_offset: int | None


@router.get(
    "/{position_code}/candidates",
    response_model=CandidatePage,
    summary="Kandidat untuk satu jabatan, diurutkan dan dijelaskan / ranked candidates",
)
async def ranked(
    position_code: str,
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("candidate.read"))],
) -> CandidatePage:
    found = await candidates(pool, principal.tenant, position_code, page.offset, page.limit)
    post, config = found.post, found.people.config
    items = []
    for c in found.ranking.candidates:
        e = found.people.employees[c.index]
        items.append(CandidateOut(
            **explained(c.match, c.match.passed(config), c.km).model_dump(),
            rank=c.rank, nip=e.nip, name=e.name, position_code=e.position_code,
            unit_code=e.unit_code, grade=e.grade,
            education=f"{e.education_level.value} {e.education_field or ''}".strip(),
        ))  # fmt: skip
    vacant = post.filled < post.needed
    note = None if vacant else (
        f"Jabatan terisi {post.filled} dari kebutuhan {post.needed}; usulan hanya dapat "
        "disetujui bila jabatan ini dilowongkan dalam rencana mutasi yang sama (R1)"
    )  # fmt: skip
    more = found.ranking.total > page.offset + page.limit
    return CandidatePage(
        post=PostOut(
            code=post.code,
            name=post.name,
            unit_code=post.unit_code,
            unit_name=found.unit.name if found.unit else None,
            city=found.unit.city if found.unit else None,
            needed=post.needed,
            filled=post.filled,
            vacant=vacant,
            note=note,
        ),  # fmt: skip
        blocked_by=found.frozen[0] if found.frozen else None,
        excluded=found.ranking.excluded,
        total=found.ranking.total,
        items=items,
        next_offset=page.offset + page.limit if more else None,
    )
