"""The pure parts of the workflows: who acts in each status, how a meeting decides, who signs."""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError

from mutasi.documents.decree_content import DecreeAuthority
from mutasi.domain.lifecycle import TransferStatus as S
from mutasi.lifecycle import AgendaItem, Caller, MeetingInput, MeetingMember, TransferInput
from workflows.meeting import tally
from workflows.transfer import steps
from workflows.transfer.decree_issuer import decree_authority

ORIGIN, TARGET = "kota-sorong", "kota-palembang"


def _transfer(kind: str = "between_provinces") -> TransferInput:
    target = ORIGIN if kind == "within_government" else TARGET
    return TransferInput(
        "t-1",
        ORIGIN,
        target,
        kind,
        "198503142010011002",
        "Budi",
        "p1",
        "u1",
        "p2",
        "u2",
        "alasan",
        "harapan",
        "2026-09-01",
        Caller("ppk", target, ["approver"]),
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.CHECKED, ("verify", "hr_officer", TARGET, None)),
        (S.VERIFIED, ("place_on_agenda", "hr_officer", TARGET, None)),
        (S.ON_AGENDA, ("meeting_decide", "panel_member", TARGET, None)),
        (S.RECOMMENDED, ("consent", "approver", ORIGIN, None)),
        (S.CONSENTED, ("pertek", "bkn_officer", "bkn", 15)),
        (S.PERTEK_GIVEN, ("decide", "approver", TARGET, None)),
        (S.RETURNED, ("revise", "approver", TARGET, None)),
    ],
)
def test_each_status_between_governments_waits_for_one_step(status, expected):
    pending = steps.pending_step(_transfer(), status, unjustified=False)
    assert pending is not None
    assert (pending.name, pending.role, pending.tenant, pending.working_days) == expected


def test_within_a_government_the_approver_decides_right_after_the_meeting():
    pending = steps.pending_step(_transfer("within_government"), S.RECOMMENDED, False)
    assert pending is not None and (pending.name, pending.tenant) == ("decide", ORIGIN)
    for status in (S.SUBMITTED, S.APPROVED, S.DECREE_ISSUED, S.COMPLETED, S.WITHDRAWN):
        assert steps.pending_step(_transfer(), status, False) is None


def test_a_step_by_the_wrong_government_is_forbidden_and_by_a_stranger_not_found():
    t = _transfer()
    pending = steps.pending_step(t, S.RECOMMENDED, False)
    with pytest.raises(ApplicationError) as wrong:
        steps.check_step("consent", Caller("ppk", TARGET, ["approver"]), t, S.RECOMMENDED, pending)
    assert wrong.value.type == "forbidden" and ORIGIN in str(wrong.value)
    with pytest.raises(ApplicationError) as stranger:
        steps.check_step(
            "consent", Caller("ppk", "kota-medan", ["approver"]), t, S.RECOMMENDED, pending
        )
    assert stranger.value.type == "not-found"
    steps.check_step("consent", Caller("ppk", ORIGIN, ["approver"]), t, S.RECOMMENDED, pending)


def _item(votes: dict[str, str]) -> AgendaItem:
    return AgendaItem("t-1", "198503142010011002", "Budi", votes=votes)


@pytest.mark.parametrize(
    ("votes", "postponed", "outcome"),
    [
        ({"a": "recommend", "b": "recommend", "c": "not_recommend"}, False, "recommended"),
        ({"a": "not_recommend", "b": "not_recommend", "c": "recommend"}, False, "not_recommended"),
        ({"a": "recommend", "b": "not_recommend"}, False, "deferred"),  # a tie
        ({"a": "recommend", "b": "abstain", "c": "abstain"}, False, "deferred"),  # no quorum
        ({"a": "recommend", "b": "recommend"}, True, "deferred"),  # the meeting postpones it
    ],
)
def test_a_meeting_decides_by_majority_with_a_quorum(votes, postponed, outcome):
    decided = tally.decide_item(_item(votes), quorum=2, postponed=postponed)
    assert decided.outcome == outcome
    assert (decided.reason is None) == (outcome == "recommended")


def test_the_minutes_name_members_outcomes_and_conflicts():
    meeting = MeetingInput(
        "m-1",
        ORIGIN,
        "Rapat Tim Penilai Kinerja I",
        "2026-08-03",
        "Aula",
        [MeetingMember("a", "Ani", "198001012005012001"), MeetingMember("b", "Budi")],
        1,
        Caller("hr", ORIGIN, ["hr_officer"]),
        "Kota Sorong",
    )
    item = _item({"a": "recommend", "b": "abstain"})
    item.outcome, item.conflicted = "recommended", ["b"]
    text = tally.minutes(meeting, [item], "Rapat berjalan tertib")
    assert text.startswith("BERITA ACARA RAPAT TIM PENILAI KINERJA")
    assert "Senin, 3 Agustus 2026" in text and "Kota Sorong" in text
    assert "Direkomendasikan — setuju 1, tidak setuju 0, abstain 1" in text
    assert "benturan kepentingan (R7): Budi" in text and "Catatan: Rapat berjalan tertib" in text


@pytest.mark.parametrize(
    ("kind", "tenant_kind", "authority"),
    [
        ("within_government", "kota", DecreeAuthority.MAYOR),
        ("within_government", "kabupaten", DecreeAuthority.REGENT),
        ("within_government", "provinsi", DecreeAuthority.GOVERNOR),
        ("between_governments_same_province", "kota", DecreeAuthority.GOVERNOR),
        ("between_provinces", "kota", DecreeAuthority.HOME_AFFAIRS_MINISTER),
    ],
)
def test_the_decree_is_signed_by_the_authority_of_the_kind(kind, tenant_kind, authority):
    assert decree_authority(kind, tenant_kind) is authority


def test_while_a_change_is_recorded_the_status_is_checked_again_later():
    t, caller = _transfer("within_government"), Caller("hr", ORIGIN, ["hr_officer"])
    with pytest.raises(ApplicationError) as early:
        steps.check_step("verify", caller, t, S.SUBMITTED, None)
    assert early.value.type == "illegal-transition"
    steps.check_step("verify", caller, t, S.SUBMITTED, None, busy=True)  # left to the handler
    with pytest.raises(ApplicationError) as stranger:  # who may never act is refused at once
        steps.check_step(
            "verify", Caller("x", "kota-medan", ["hr_officer"]), t, S.SUBMITTED, None, busy=True
        )
    assert stranger.value.type == "not-found"
