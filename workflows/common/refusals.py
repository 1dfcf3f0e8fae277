"""Why an Update is refused: a non-retryable ApplicationError whose type the services map to
problem+json (mutasi.transfers), with the message in Indonesian and English: "<id> / <en>"."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from mutasi.auth import caller_proof
from mutasi.auth.policy import UPDATE_ACTIONS, acting_role, allowed
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


def check_proof(caller: Caller, now: float) -> None:
    """The service's seal over the caller's claims holds (mutasi.auth.caller_proof): claims
    sent to Temporal by anyone else are refused, whatever government and role they name.
    Validators only: they are not replayed, so a rotated secret changes no history."""
    if not caller_proof.valid(caller, now):
        raise refuse(
            "Identitas pemanggil tidak dapat dipastikan",
            "The caller's proof does not verify",
            "forbidden",
        )


def role_for(caller: Caller, updates: frozenset[str]) -> str:
    """The caller's role that authorises one of these Updates: the one the log records."""
    return acting_role(caller.roles, [UPDATE_ACTIONS[u] for u in sorted(updates)])
