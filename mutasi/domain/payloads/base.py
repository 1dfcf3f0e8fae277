"""What every event payload model shares: frozen, no unknown keys, a version.

A payload is validated when it is appended (mutasi.log.store) and never changed afterwards:
the log's hash covers it. So a model may only grow optional fields; any other change is a
new version — see mutasi/domain/payloads/__init__.py.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

Nip = Annotated[str, Field(pattern=r"^[0-9]{18}$", description="NIP, 18 angka / 18 digits")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Payload(BaseModel):
    """Base of every event payload model."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    # The payload's schema version: 1 until a change that old readers could not take.
    VERSION: ClassVar[int] = 1
