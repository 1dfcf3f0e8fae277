"""No endpoint and no workflow Update can slip through unguarded: each has a policy entry."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from temporalio import workflow

import workflows
from mutasi.auth.policy import POLICY, UPDATE_ACTIONS
from mutasi.auth.principal import Role
from mutasi.settings import Settings
from tests.security.routes import DOCUMENTATION_PATHS, all_routes, build_apps, raw_route_paths

SETTINGS = Settings(var_dir=Path("/nonexistent-var"))  # apps are only built, never started
HEALTH_PATHS = {"/healthz", "/readyz"}


def _workflow_classes() -> list[type]:
    classes = []
    for module_info in pkgutil.walk_packages(workflows.__path__, "workflows."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and workflow._Definition.from_class(value) is not None
            ):
                classes.append(value)
    return classes


def test_every_route_of_every_service_declares_its_policy_action():
    unguarded = [str(r) for r in all_routes(SETTINGS) if not r.actions and not r.public_reason]
    assert unguarded == [], (
        "routes without Depends(require(action)) — add a POLICY entry in mutasi/auth/policy.py"
        f" and declare it on the route: {unguarded}"
    )


def test_only_health_probes_and_declared_public_routes_answer_without_a_token():
    public = {
        (r.service, r.path): r.public_reason
        for r in all_routes(SETTINGS)
        if r.public_reason and not r.actions
    }
    assert all(reason.strip() for reason in public.values())
    for service in ("proposal", "approval", "notification"):
        assert {path for (s, path) in public if s == service} >= HEALTH_PATHS


def test_every_route_object_is_an_api_route_or_documentation():
    for name, app in build_apps(SETTINGS).items():
        others = raw_route_paths(app)
        assert others <= DOCUMENTATION_PATHS, f"{name}: unexpected raw routes {others}"


def test_every_workflow_update_has_a_policy_entry_and_a_validator():
    classes = _workflow_classes()
    assert {c.__name__ for c in classes} >= {"TransferWorkflow", "MeetingWorkflow"}
    owners: dict[str, str] = {}
    for cls in classes:
        definition = workflow._Definition.from_class(cls)
        assert definition is not None
        for name, update in definition.updates.items():
            assert name in UPDATE_ACTIONS, f"{definition.name}.{name} has no UPDATE_ACTIONS entry"
            assert UPDATE_ACTIONS[name] in POLICY, f"{name} -> unknown action"
            assert update.validator is not None, f"{definition.name}.{name} has no validator"
            # The table is keyed by Update name: two workflows may not share one silently.
            assert owners.setdefault(name, definition.name) == definition.name, (
                f"Update {name!r} is defined by {owners[name]} and {definition.name}"
            )


def test_the_policy_table_names_only_known_roles_and_scopes():
    known = {role.value for role in Role}
    for action, rule in POLICY.items():
        assert rule.roles and rule.roles <= known, action
        assert rule.scope in {"tenant", "unit", "self"}, action


def test_an_auditor_changes_nothing_but_their_own_inbox():
    personal = {"inbox.read", "inbox.preferences"}  # marking read, their own e-mail address
    writes = {
        action
        for r in all_routes(SETTINGS)
        if r.method != "GET"
        for action in r.actions
        if "auditor" in POLICY[action].roles
    }
    assert writes <= personal, f"an auditor may change: {writes - personal}"
    steps = {name for name, action in UPDATE_ACTIONS.items() if "auditor" in POLICY[action].roles}
    assert steps == set(), f"an auditor may take workflow steps: {steps}"
