"""Who may do what on NATS: the components' users and each subscribing system's own user.

Least privilege per user (SPEC §7, issue 15 finding 12):
- `relay` publishes the events and declares the stream; it reads nothing.
- `notification` reads through its one durable consumer, `notification`, and acks only it.
- each subscribing system has its own user, named when it is added (`mutasi subscriber add`),
  that may read only through one consumer of its own name, whose filter the server checks
  against the user's grant: a government's system `mutasi.<tenant>.>`, an auditor's witness
  `mutasi.<tenant>.audit.checkpoint`, a national system `mutasi.>`. It cannot bind, pull or
  ack another consumer (the notification service's included), nor list the stream's subjects.
- `admin` (operators, the test session's probes) may do everything.

A consumer is created with its filter in the API subject (`$JS.API.CONSUMER.CREATE.<stream>.
<name>.<filter>`, nats-server >= 2.9), which is what lets a permission pin the filter: the
server refuses a create whose subject's filter differs from the one in its body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from mutasi.auth.keyfiles import private_dir, replace_private
from mutasi.messaging.jetstream import inbox_prefix

API = "$JS.API"
BUILT_IN = ("relay", "notification", "admin")
NOTIFICATION_CONSUMER = "notification"
SUBSCRIBER_NAME = re.compile(r"[a-z][a-z0-9-]{1,40}")
# Filters a subscriber may be granted: a government's events, its checkpoints, or all.
TENANT_FILTER = "mutasi.{tenant}.>"
CHECKPOINT_FILTER = "mutasi.{tenant}.audit.checkpoint"
ALL_FILTER = "mutasi.>"
# The built-in witness of `make run`: every government's checkpoints, for `mutasi audit`.
LOCAL_AUDITOR = "audit-local"


@dataclass(frozen=True)
class NatsPermissions:
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]


def consumer_permissions(user: str, stream: str, consumer: str, filter_: str) -> NatsPermissions:
    """Read `stream` through the one consumer `consumer`, created only with `filter_`."""
    return NatsPermissions(
        publish=(
            f"{API}.INFO",
            f"{API}.CONSUMER.CREATE.{stream}.{consumer}.{filter_}",
            f"{API}.CONSUMER.INFO.{stream}.{consumer}",
            f"{API}.CONSUMER.MSG.NEXT.{stream}.{consumer}",
            f"{API}.CONSUMER.DELETE.{stream}.{consumer}",
            f"$JS.ACK.{stream}.{consumer}.>",
        ),
        subscribe=(f"{inbox_prefix(user)}.>",),
    )


def _with(permissions: NatsPermissions, *publish: str) -> NatsPermissions:
    return NatsPermissions(permissions.publish + publish, permissions.subscribe)


def nats_users(
    stream: str, subscribers: dict[str, str] | None = None
) -> dict[str, NatsPermissions]:
    """Every NATS user and what it may do; components connect as the user of their name.
    `subscribers`: each subscribing system's name and the filter it was granted."""
    users = {
        # The outbox relay: publishes the events and declares the stream they live on.
        "relay": NatsPermissions(
            publish=(
                "mutasi.>",
                f"{API}.INFO",
                f"{API}.STREAM.INFO.{stream}",
                f"{API}.STREAM.CREATE.{stream}",
                f"{API}.STREAM.UPDATE.{stream}",
            ),
            subscribe=(f"{inbox_prefix('relay')}.>",),
        ),
        # The notification service: its own durable only; it reads the stream's settings at
        # start-up (mutasi.messaging.jetstream.ensure_stream) but changes none.
        "notification": _with(
            consumer_permissions("notification", stream, NOTIFICATION_CONSUMER, ALL_FILTER),
            f"{API}.STREAM.INFO.{stream}",
        ),
        "admin": NatsPermissions(publish=(">",), subscribe=(">",)),
    }
    for name, filter_ in sorted((subscribers or {}).items()):
        users[name] = consumer_permissions(name, stream, name, filter_)
    return users


def subscriber_filter(tenant: str | None, checkpoints_only: bool = False) -> str:
    """The filter a subscriber is granted: one government's events (or only its
    checkpoints), or — without a tenant — every government's."""
    if tenant is None:
        return CHECKPOINT_FILTER.format(tenant="*") if checkpoints_only else ALL_FILTER
    template = CHECKPOINT_FILTER if checkpoints_only else TENANT_FILTER
    return template.format(tenant=tenant)


def registry_path(keys_dir: Path) -> Path:
    return keys_dir / "nats-subscribers.json"


def read_subscribers(keys_dir: Path, *, local_auditor: bool = True) -> dict[str, str]:
    """The subscribing systems added so far (name -> filter); `make run` has its witness."""
    path = registry_path(keys_dir)
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    local = {LOCAL_AUDITOR: subscriber_filter(None, checkpoints_only=True)}
    return (local if local_auditor else {}) | known


def add_subscriber(keys_dir: Path, name: str, filter_: str) -> None:
    if not SUBSCRIBER_NAME.fullmatch(name) or name in (*BUILT_IN, LOCAL_AUDITOR):
        raise ValueError(f"{name!r}: lower-case letters, digits and '-', not a built-in user")
    path = registry_path(keys_dir)
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    replace_private(private_dir(keys_dir) / path.name, json.dumps(known | {name: filter_}).encode())


def password_variable(user: str) -> str:
    return f"NATS_{user.upper().replace('-', '_')}_PASSWORD"


def nats_config(
    users: dict[str, NatsPermissions], passwords: dict[str, str], no_auth_user: str | None = None
) -> str:
    """The server's `authorization` block; `passwords` may also be `$ENV_VAR` references."""
    entries = []
    for user, permissions in users.items():
        password = passwords[user]
        quoted = password if password.startswith("$") else json.dumps(password)
        entries.append(
            f"    {{user: {json.dumps(user)}, password: {quoted}, permissions: {{"
            f"publish: {{allow: {json.dumps(list(permissions.publish))}}}, "
            f"subscribe: {{allow: {json.dumps(list(permissions.subscribe))}}}}}}}"
        )
    lines = [
        "# Generated by Mutasi (mutasi/messaging/nats_access.py); do not edit.",
        "authorization {",
        "  users: [",
        *entries,
        "  ]",
        "}",
    ]
    if no_auth_user:
        # Clients without credentials act as this user (the test session's `admin` only).
        lines.append(f"no_auth_user: {json.dumps(no_auth_user)}")
    return "\n".join(lines) + "\n"


def production_accounts(stream: str = "MUTASI", subscribers: dict[str, str] | None = None) -> str:
    """deploy/nats/accounts.conf: the same users, passwords from the server's environment
    (NATS_<USER>_PASSWORD), kept equal to this by tests/security/test_nats_permissions.py;
    with `subscribers`, what `mutasi subscriber add --accounts-conf` writes for a deployment."""
    users = nats_users(stream, subscribers)
    return nats_config(users, {user: f"${password_variable(user)}" for user in users})
