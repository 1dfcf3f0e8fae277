"""The fan-out table stays true to the domain: every noticed event exists, every group of
recipients can be resolved, every notice renders in Indonesian for anyone it may reach."""

from __future__ import annotations

import pytest

from mutasi.documents.notifications import RECIPIENT_KINDS, render_notification
from mutasi.domain.events import ALL_EVENT_TYPES
from services.notification.fanout import FANOUT
from services.notification.recipients import RESOLVERS


def test_every_noticed_event_is_a_domain_event_and_every_group_resolvable() -> None:
    assert set(FANOUT) <= set(ALL_EVENT_TYPES)
    for notice in FANOUT.values():
        assert set(notice.recipients) <= set(RESOLVERS)
        assert set(notice.acts) <= set(notice.recipients)


@pytest.mark.parametrize("event_type", sorted(FANOUT))
def test_every_notice_renders_for_every_kind_of_recipient(event_type: str) -> None:
    notice = FANOUT[event_type]
    template = notice.template or event_type.split(".", 1)[1]
    for kind in RECIPIENT_KINDS:
        message = render_notification(
            template,
            kind,
            {
                "employee_name": "Yosephina Mandacan",
                "target_unit": "Dinas Kesehatan",
                "due_date": "2026-12-04T16:59:59+00:00",
                "timezone": "Asia/Jayapura",
            },
        )
        assert message.subject and "Yosephina Mandacan" in message.body_text
