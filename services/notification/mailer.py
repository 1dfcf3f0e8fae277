"""E-mail over SMTP (aiosmtplib): one notice, plain text with an HTML alternative.

The Message-ID is derived from the notification row, so a message resent after a crash
between the server's acceptance and our record of it is recognisably the same message.
"""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

import aiosmtplib
import asyncpg

from mutasi.settings import Settings

SENDER_NAME = "Aplikasi Mutasi ASN"


def message_id(notification_id: int, settings: Settings) -> str:
    domain = settings.mail_from.rsplit("@", 1)[-1] or "localhost"
    return f"<notification-{notification_id}@{domain}>"


def build(row: asyncpg.Record, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((SENDER_NAME, settings.mail_from))
    message["To"] = row["email_to"]
    message["Subject"] = row["subject"]
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id(row["notification_id"], settings)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message["X-Mutasi-Event-Id"] = str(row["event_id"])
    message["X-Mutasi-Event-Type"] = row["event_type"]
    if row["transfer_id"]:
        message["X-Mutasi-Transfer-Id"] = str(row["transfer_id"])
    message.set_content(row["text_body"])
    if row["body_html"]:
        message.add_alternative(row["body_html"], subtype="html")
    return message


class _EhloName:
    """Our name in EHLO. aiosmtplib looks it up (socket.getfqdn: a DNS query, in a thread)
    for every connection — a sixth of the service's CPU under load; once per process will do."""

    value: str | None = None

    @classmethod
    async def get(cls) -> str:
        if cls.value is None:
            cls.value = await asyncio.to_thread(socket.getfqdn)
        return cls.value


async def send(message: EmailMessage, settings: Settings) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        local_hostname=await _EhloName.get(),
        username=settings.smtp_username,
        password=settings.smtp_password,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_s,
    )
