"""What the receiving government learns of another government's employee before consent.

A transfer between governments is proposed by the receiving PPK, and the rule check reads
the origin government's records of the employee: a disciplinary sanction and its end date,
SKP ratings, years in post, education, relatives. Until the origin's PPK consents, the
receiving side (and BKN) learns pass or fail per rule, not the facts behind it (issue 15,
finding 2; UU 27/2022). The origin government always sees everything; after consent every
party does, since the file then travels to them anyway.

One place decides, for every way the facts leave: the rule checks API and the audit trail
(by consent), the notices of an inter-government check and the webhooks of the other
parties (always: they are sent when the check runs, which is before consent but for a
re-check after BKN returned the file).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mutasi.domain.events import CLOUDEVENTS_PREFIX, TransferEvent

# Rules whose messages carry facts about the employee (R1, R9, R10 concern the posts, the
# governments and the file, which the receiving side knows or supplied itself).
PERSONAL_RULES: dict[str, tuple[str, str]] = {
    "R2": ("Masa dalam jabatan", "Time in the current position"),
    "R3": ("Masa jabatan untuk rotasi", "Time in post for rotation"),
    "R4": ("Hukuman disiplin", "Disciplinary sanction"),
    "R5": ("Kesesuaian pendidikan dan kompetensi", "Education and competency fit"),
    "R6": ("Predikat SKP", "SKP predicate"),
    "R7": ("Konflik kepentingan", "Conflict of interest"),
    "R8": ("Usulan mutasi lain", "Another transfer in progress"),
}
WITHHELD_ID = "tidak terpenuhi (rincian dirahasiakan sampai PPK instansi asal menyetujui)"
WITHHELD_EN = "not met (details withheld until the origin government's PPK consents)"


def consented(event_types: Iterable[str]) -> bool:
    return TransferEvent.CONSENT_GIVEN.value in set(event_types)


def withheld(tenant: str, target_tenant: str, reader_tenant: str, consent_given: bool) -> bool:
    """True if `reader_tenant` may learn only pass/fail of the origin's facts now."""
    return tenant != target_tenant and reader_tenant != tenant and not consent_given


def finding(item: dict[str, Any]) -> dict[str, Any]:
    """A rule finding as the receiving side may see it before consent."""
    code = str(item.get("code", ""))
    if code not in PERSONAL_RULES:
        return item
    title_id, title_en = PERSONAL_RULES[code]
    kept = {k: item[k] for k in ("code", "severity", "justified") if k in item}
    return kept | {
        "message": f"{title_id}: {WITHHELD_ID}",
        "message_en": f"{title_en}: {WITHHELD_EN}",
    }


def result(item: dict[str, Any]) -> dict[str, Any]:
    """A rule's result, met or not (a rule-check preview), as the receiving side may see it
    before consent: a met rule's message names facts too ("Sudah 3 tahun dalam jabatan")."""
    code = str(item.get("code", ""))
    if code not in PERSONAL_RULES:
        return item
    if not item.get("passed"):
        return item | finding(item)
    title_id, title_en = PERSONAL_RULES[code]
    return item | {"message": f"{title_id}: terpenuhi", "message_en": f"{title_en}: met"}


def check_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A `transfer.checked` or check-`transfer.returned` payload, facts withheld."""
    shown = dict(payload)
    for key in ("failures", "warnings"):
        if isinstance(shown.get(key), list):
            shown[key] = [finding(f) if isinstance(f, dict) else f for f in shown[key]]
    if isinstance(shown.get("rules"), list):
        shown["rules"] = [result(r) if isinstance(r, dict) else r for r in shown["rules"]]
    if "match_score" in shown:
        shown["match_score"] = None
    return shown


def returned_reason(payload: dict[str, Any]) -> str:
    """The reason of a check's `transfer.returned`, rebuilt from the withheld findings."""
    failures = check_payload(payload).get("failures") or []
    return "; ".join(
        f"{f.get('code')}: {f.get('message')}" for f in failures if isinstance(f, dict)
    )


def entry(
    event_type: str, actor_role: str, reason: str | None, payload: dict[str, Any]
) -> tuple[str | None, dict[str, Any], bool]:
    """(reason, payload, changed) of a log entry as the receiving side may read it."""
    if event_type == TransferEvent.CHECKED.value:
        return reason, check_payload(payload), True
    if event_type == TransferEvent.RETURNED.value and actor_role == "system":
        return returned_reason(payload), check_payload(payload), True
    return reason, payload, False


def cloudevent(event: dict[str, Any]) -> dict[str, Any]:
    """A CloudEvent of the origin's log as a party other than the origin may receive it."""
    data = event.get("data")
    if not isinstance(data, dict):
        return event
    actor = data.get("actor") if isinstance(data.get("actor"), dict) else {}
    payload = data.get("payload") if isinstance(data.get("payload"), dict) else {}
    reason, shown, changed = entry(
        str(event.get("type", "")).removeprefix(CLOUDEVENTS_PREFIX),
        str(actor.get("role", "")),
        data.get("reason"),
        payload,
    )
    if not changed:
        return event
    return event | {"data": data | {"reason": reason, "payload": shown, "withheld": True}}
