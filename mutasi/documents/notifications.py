"""Notification texts for transfer events, one Jinja2 template per event.

An event template (templates/events/<event>.j2) holds only what differs per event and
recipient: the blocks `subject`, `intro`, and optionally `action` and `due`. Everything common
(greeting, the transfer's particulars, reasons, expectations, incentives, next step, sign-off)
is assembled here once and laid out by `layout.txt.j2` and `layout.html.j2`, so the plain and
the HTML message can never say different things. HTML is autoescaped; text is not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import jinja2

from mutasi.documents import notification_context as prep

_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:])(?=\s|$)")

CLOUDEVENTS_PREFIX = "id.go.mutasi."
AGGREGATE_PREFIX = "transfer."

EVENT_TYPES: tuple[str, ...] = (
    "submitted", "checked", "returned", "revised", "verified", "meeting_scheduled",
    "meeting_decided", "consent_given", "pertek_given", "approved", "rejected", "withdrawn",
    "decree_issued", "notified", "effective", "completed", "reminder", "escalated", "deferred",
    "decree_cancelled",
)  # fmt: skip

# The names the domain stores (mutasi.domain.events) for facts told with a shared template.
EVENT_ALIASES: dict[str, tuple[str, dict[str, Any]]] = {
    "placed_on_agenda": ("meeting_scheduled", {}),
    "recommended": ("meeting_decided", {"recommended": True}),
    "not_recommended": ("meeting_decided", {"recommended": False}),
    "reminder_sent": ("reminder", {}),
}

RECIPIENT_KINDS: tuple[str, ...] = (
    "employee", "proposer", "origin_unit_head", "target_unit_head",
    "hr_officer", "approver", "panel_member", "bkn_officer",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Notification:
    subject: str
    body_text: str
    body_html: str


def render_notification(
    event_type: str, recipient_kind: str, context: Mapping[str, Any]
) -> Notification:
    """Render the message one recipient gets for one transfer event.

    `event_type` is the short name (`approved`), the stored name (`transfer.approved`) or the
    CloudEvents type (`id.go.mutasi.transfer.approved`). Every context key is optional; see
    `notification_context.CONTEXT_KEYS`. Unknown keys are ignored.
    """
    event, implied = _resolve_event_type(event_type)
    if recipient_kind not in RECIPIENT_KINDS:
        raise ValueError(f"unknown recipient kind: {recipient_kind!r}")
    env = _environment()
    ctx = prep.prepare({**context, **implied}, recipient_kind)
    template = env.get_template(f"events/{event}.j2")

    subject = " ".join(_block(template, "subject", ctx).split())
    action = ctx["action_required"] or _block(template, "action", ctx) or None
    due = ctx["due_text"] or _block(template, "due", ctx) or None
    message = {
        "subject": subject,
        "salutation": ctx["salutation"],
        "paragraphs": _paragraphs(_block(template, "intro", ctx)),
        "facts": prep.facts(ctx, event),
        "sections": prep.sections(ctx),
        "action": _sentence_body(action) if action else None,
        "due": due,
        "transfer_id": ctx["transfer_id"],
        "url": ctx["url"],
        "sender_lines": prep.sender_lines(ctx),
    }
    return Notification(
        subject=subject,
        body_text=_tidy_text(env.get_template("layout.txt.j2").render(message)),
        body_html=env.get_template("layout.html.j2").render(message).strip() + "\n",
    )


def _resolve_event_type(event_type: str) -> tuple[str, dict[str, Any]]:
    name = event_type.removeprefix(CLOUDEVENTS_PREFIX).removeprefix(AGGREGATE_PREFIX)
    event, implied = EVENT_ALIASES.get(name, (name, {}))
    if event not in EVENT_TYPES:
        raise ValueError(f"unknown transfer event type: {event_type!r}")
    return event, implied


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mutasi.documents", "templates"),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the tests, not a citizen
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=False, default=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["id_date"] = _id_date
    env.filters["id_when"] = jinja2.pass_context(_id_when)
    env.filters["ucfirst"] = lambda s: s[:1].upper() + s[1:]
    return env


def _id_date(value: date) -> str:
    return prep.indonesian_date(value.date() if isinstance(value, datetime) else value)


def _id_when(context: jinja2.runtime.Context, value: date) -> str:
    return prep.when_text(value, context.get("timezone"))


def _block(template: jinja2.Template, name: str, ctx: dict[str, Any]) -> str:
    # Blocks are rendered one by one so that the layouts, not the event templates, own the
    # message's shape.
    render = template.blocks.get(name)
    if render is None:
        return ""
    return "".join(render(template.new_context(ctx))).strip()


def _paragraphs(text: str) -> list[str]:
    # Templates wrap lines freely; a blank line separates paragraphs. An optional phrase left
    # out at a line's end must not leave "dipindahkan ." behind.
    chunks = (_SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(c.split())) for c in text.split("\n\n"))
    return [c for c in chunks if c]


def _sentence_body(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text[:1].upper() + text[1:]


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):  # at most one blank line in a row
            out.append(line)
    return "\n".join(out) + "\n"
