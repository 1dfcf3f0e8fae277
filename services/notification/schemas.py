"""Request and response bodies of the notification service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mutasi.web.text import CONTROL, Description

# Deliberately simple: the SMTP server is the judge of deliverability.
# No space, no control character (issue 15, finding 1) in any part.
_PART = rf"[^@\s{CONTROL}]"
Email = Annotated[
    str, StringConstraints(pattern=rf"^{_PART}{{1,64}}@{_PART}{{1,255}}\.{_PART}+$", max_length=320)
]
WebhookUrl = Annotated[
    str, StringConstraints(pattern=rf"^https?://[^\s{CONTROL}]+$", max_length=2000)
]
EventFilter = Annotated[str, StringConstraints(pattern=r"^(\*|[a-z_]+\.(\*|[a-z_]+))$")]


class NotificationOut(BaseModel):
    id: int
    event_id: UUID
    event_type: str
    recipient: str
    subject: str
    body: str
    transfer_id: UUID | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    unread: int
    next_offset: int | None


class UnreadCount(BaseModel):
    unread: int


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email | None = None
    in_app_enabled: bool = True
    email_enabled: bool = True


class ContactOut(BaseModel):
    recipient: str
    email: str | None
    in_app_enabled: bool
    email_enabled: bool
    updated_at: datetime | None = None


class ContactPage(BaseModel):
    items: list[ContactOut]
    next_offset: int | None


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: WebhookUrl
    event_types: list[EventFilter] = Field(min_length=1, max_length=50)
    description: Description | None = None
    max_attempts: int | None = Field(default=None, ge=1, le=50)


class SubscriptionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: WebhookUrl | None = None
    event_types: list[EventFilter] | None = Field(default=None, min_length=1, max_length=50)
    description: Description | None = None
    max_attempts: int | None = Field(default=None, ge=1, le=50)
    active: bool | None = None


class SubscriptionOut(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    max_attempts: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    previous_secret_until: datetime | None = None


class SubscriptionWithSecret(SubscriptionOut):
    secret: str = Field(description="Rahasia HMAC; hanya ditampilkan sekali / shown only once")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]
    next_offset: int | None


class DeliveryOut(BaseModel):
    id: int
    event_id: UUID
    event_type: str
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime
    last_error: str | None
    last_status: int | None
    sent_at: datetime | None
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_offset: int | None


class RedriveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delivery_ids: list[int] | None = Field(
        default=None,
        max_length=1000,
        description="Yang dikirim ulang; kosong: semua yang gagal / none: every dead one",
    )


class RedriveOut(BaseModel):
    redriven: int
