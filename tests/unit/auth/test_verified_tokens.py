"""A token verified once is answered from memory, but never past its expiry nor for long."""

from __future__ import annotations

from datetime import datetime, tzinfo
from types import SimpleNamespace

import pytest

from mutasi.auth import tokens
from mutasi.auth.tokens import (
    CLOCK_SKEW_S,
    VERIFIED_TTL_S,
    InvalidToken,
    TokenVerifier,
    issue_token,
)
from mutasi.settings import Settings


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # One clock for the issuer, the verifier and PyJWT's expiry check.
    fake = Clock(1_800_000_000.0)

    class Moment(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return datetime.fromtimestamp(fake.now, tz)

    # The module's own `time` name only: the real clock stays untouched for everything else.
    monkeypatch.setattr(tokens, "time", SimpleNamespace(time=fake.time))
    monkeypatch.setattr("jwt.api_jwt.datetime", Moment)
    return fake


def _setup(tmp_path, clock: Clock, ttl_s: int) -> tuple[TokenVerifier, str]:  # noqa: ANN001
    settings = Settings(var_dir=tmp_path)
    token = issue_token(settings, sub="bkpsdm@kota-medan", tenant="kota-medan",
                        roles=["hr_officer"], ttl_s=ttl_s)  # fmt: skip
    return TokenVerifier(settings), token


def test_a_remembered_token_is_refused_once_it_expires(tmp_path, clock):
    verifier, token = _setup(tmp_path, clock, ttl_s=20)
    assert verifier.verify(token).tenant == "kota-medan"
    clock.now += 20 + CLOCK_SKEW_S - 1
    assert verifier.verify(token).sub == "bkpsdm@kota-medan"  # still within its life
    clock.now += 2
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_a_remembered_token_is_verified_afresh_after_a_minute(tmp_path, clock, monkeypatch):
    verifier, token = _setup(tmp_path, clock, ttl_s=3600)
    verifier.verify(token)
    checked = []
    real = verifier._claims
    monkeypatch.setattr(verifier, "_claims", lambda t: checked.append(t) or real(t))
    clock.now += VERIFIED_TTL_S - 1
    verifier.verify(token)
    assert checked == []  # from memory
    clock.now += 2
    verifier.verify(token)
    assert checked == [token]  # signature and claims checked again
