"""The one policy table: every API action and workflow Update, the roles allowed, the scope.

Scopes: "tenant" — the caller's own government (another government's data answers 404);
"unit" — additionally the caller's unit for unit-bound roles (supervisor); "self" — an
employee acts only on their own records. A route without an entry here cannot be declared.

Who enforces what (docs/security.md): routes declare `Depends(require(action))` — 401 without
a valid token, 403 for a role not listed here, 404 for a path resource beyond the caller's
reach (mutasi.web.guards, by Principal.reach); workflow Update validators call `allowed()`
with UPDATE_ACTIONS and check the caller is a party. tests/security/ proves every route and
Update has an entry and generates the access matrix from this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mutasi.auth.principal import NATIONAL_ROLES, Role
from mutasi.domain.lifecycle import Step

R = Role


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    scope: str = "tenant"


def _rule(*roles: Role, scope: str = "tenant") -> Rule:
    return Rule(frozenset(r.value for r in roles), scope)


# Everyone in a government; the national roles act on the platform, not on transfers.
EVERYONE = tuple(r for r in Role if r not in NATIONAL_ROLES)
STAFF = (R.SUPERVISOR, R.HR_OFFICER, R.PANEL_MEMBER, R.APPROVER, R.AUDITOR, R.BKN_OFFICER)

POLICY: dict[str, Rule] = {
    # proposal service
    "master.read": _rule(*STAFF),
    "employee.read": _rule(*EVERYONE, scope="self"),
    "transfer.propose": _rule(R.SUPERVISOR, R.HR_OFFICER, R.EMPLOYEE, R.APPROVER, scope="unit"),
    "transfer.read": _rule(*EVERYONE, scope="self"),
    "transfer.list": _rule(*EVERYONE, scope="self"),
    "transfer.withdraw": _rule(R.SUPERVISOR, R.HR_OFFICER, R.EMPLOYEE, R.APPROVER, scope="self"),
    "transfer.revise": _rule(R.SUPERVISOR, R.HR_OFFICER, R.EMPLOYEE, R.APPROVER, scope="self"),
    "master.import": _rule(R.HR_OFFICER),
    "workload.read": _rule(*STAFF),
    "vacancy.read": _rule(*EVERYONE, scope="self"),
    "transfer.read_checks": _rule(*EVERYONE, scope="self"),
    "attachment.upload": _rule(R.SUPERVISOR, R.HR_OFFICER, R.EMPLOYEE, R.APPROVER, scope="self"),
    "attachment.read": _rule(*EVERYONE, scope="self"),
    # planning (issue 13): assessment data, candidates, aspirations, plans
    "assessment.record": _rule(R.HR_OFFICER),
    "assessment.read": _rule(*EVERYONE, scope="self"),
    "candidate.read": _rule(R.HR_OFFICER, R.PANEL_MEMBER, R.APPROVER, R.AUDITOR),
    "aspiration.record": _rule(R.EMPLOYEE, R.HR_OFFICER, scope="self"),
    "aspiration.read": _rule(*EVERYONE, scope="self"),
    "aspiration.list": _rule(R.HR_OFFICER, R.PANEL_MEMBER, R.APPROVER, R.AUDITOR),
    "planning.settings_read": _rule(*STAFF),
    "planning.settings_write": _rule(R.HR_OFFICER),
    "unit.locate": _rule(R.HR_OFFICER),
    "plan.draft": _rule(R.HR_OFFICER),
    "plan.read": _rule(R.HR_OFFICER, R.PANEL_MEMBER, R.APPROVER, R.AUDITOR),
    # Each also a PlanWorkflow Update (plan_edit, plan_optimise, plan_approve, plan_cancel).
    "plan.edit": _rule(R.HR_OFFICER),
    "plan.optimise": _rule(R.HR_OFFICER),
    "plan.approve": _rule(R.HR_OFFICER),
    "plan.cancel": _rule(R.HR_OFFICER),
    "report.read": _rule(R.HR_OFFICER, R.APPROVER, R.AUDITOR),
    # approval service (each is also a workflow Update of the same name)
    "transfer.verify": _rule(R.HR_OFFICER),
    "transfer.meeting_decide": _rule(R.PANEL_MEMBER, R.HR_OFFICER),
    "transfer.decide": _rule(R.APPROVER),
    "transfer.consent": _rule(R.APPROVER),  # the origin government's PPK
    "transfer.pertek": _rule(R.BKN_OFFICER),
    "transfer.cancel_decree": _rule(R.HR_OFFICER),  # the issuing government's BKPSDM
    "decree.read": _rule(*EVERYONE, scope="self"),
    "meeting.create": _rule(R.HR_OFFICER),
    "meeting.read": _rule(R.HR_OFFICER, R.PANEL_MEMBER, R.APPROVER, R.AUDITOR),
    "meeting.add_item": _rule(R.HR_OFFICER),
    "meeting.vote": _rule(R.PANEL_MEMBER),
    "meeting.close": _rule(R.HR_OFFICER),
    "inbox.read": _rule(*EVERYONE, scope="self"),
    # what waits for me: each step by who may take it (services/approval/waiting.py)
    "task.list": _rule(*EVERYONE, scope="self"),
    # notification service (issue 6): own preferences; BKPSDM keeps contacts and webhooks
    "inbox.preferences": _rule(*EVERYONE, scope="self"),
    "notification.contacts": _rule(R.HR_OFFICER),
    "webhook.read": _rule(R.HR_OFFICER, R.AUDITOR),
    "webhook.manage": _rule(R.HR_OFFICER),
    # audit
    "audit.read": _rule(R.AUDITOR),
    # A proof that an entry is in the log (issue 15): an auditor for any entry of the
    # government's chain; anyone else for an entry of a transfer they may see.
    "audit.prove": _rule(*EVERYONE, scope="self"),
    # operations (issue 16): governments joining and their configuration; dead letters.
    # National roles reach every government; the others only their own (guards: tenant_slug,
    # dead_letter_id).
    "tenant.manage": _rule(R.NATIONAL_ADMIN),
    "tenant.read": _rule(R.NATIONAL_ADMIN, R.OPERATOR, R.HR_OFFICER, R.APPROVER, R.AUDITOR),
    "dead_letter.read": _rule(R.HR_OFFICER, R.OPERATOR),
    "dead_letter.redrive": _rule(R.HR_OFFICER, R.OPERATOR),
}

# Workflow Updates and the action each one is checked against: the transfer's steps
# (mutasi.domain.lifecycle.Step) and the meeting workflow's own Updates.
UPDATE_ACTIONS: dict[str, str] = {
    Step.VERIFY: "transfer.verify",
    Step.MEETING_DECIDE: "transfer.meeting_decide",
    Step.DECIDE: "transfer.decide",
    Step.CONSENT: "transfer.consent",
    Step.PERTEK: "transfer.pertek",
    Step.PLACE_ON_AGENDA: "meeting.add_item",
    Step.WITHDRAW: "transfer.withdraw",
    Step.REVISE: "transfer.revise",
    Step.CANCEL_DECREE: "transfer.cancel_decree",
    # MeetingWorkflow's Updates
    "add_item": "meeting.add_item",
    "vote": "meeting.vote",
    "close": "meeting.close",
    # PlanWorkflow's Updates
    "plan_edit": "plan.edit",
    "plan_optimise": "plan.optimise",
    "plan_approve": "plan.approve",
    "plan_cancel": "plan.cancel",
}


def allowed(action: str, roles: list[str]) -> bool:
    rule = POLICY[action]
    return any(role in rule.roles for role in roles)


def acting_role(roles: list[str], actions: Iterable[str]) -> str:
    """The role in which the caller takes a step: the first of theirs the policy allows for
    it (a token may carry several; the log records the one that authorised the step)."""
    wanted = list(actions)
    for role in roles:
        if any(role in POLICY[action].roles for action in wanted):
            return role
    return roles[0] if roles else "none"
