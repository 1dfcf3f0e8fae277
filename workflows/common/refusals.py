"""Why an Update is refused: a non-retryable ApplicationError whose type the services map to
problem+json (mutasi.transfers), with the message in Indonesian and English: "<id> / <en>"."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from mutasi.auth.policy import UPDATE_ACTIONS, allowed
from mutasi.lifecycle import Caller


def refuse(message_id: str, message_en: str, kind: str = "illegal-transition") -> ApplicationError:
    return ApplicationError(f"{message_id} / {message_en}", type=kind, non_retryable=True)


def check_role(update: str, caller: Caller) -> None:
    """The caller's roles may take this Update (the one policy table)."""
    if not allowed(UPDATE_ACTIONS[update], caller.roles):
        raise refuse(
            "Peran Anda tidak berwenang untuk langkah ini",
            "Your role may not take this step",
            "forbidden",
        )
