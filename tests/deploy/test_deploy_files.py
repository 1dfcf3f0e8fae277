"""deploy/ as an operator meets it: every file parses, every process is run as the CLI knows
it, every setting passed exists in mutasi/settings.py, and every metric an alert or the
dashboard reads is one the running processes really expose.

Docker and Kubernetes are not on this machine: this is what can be checked here (see
deploy/README.md for what was tested only on paper).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from click import Group
from prometheus_client.parser import text_string_to_metric_families
from typer.main import get_command

from mutasi.cli import app
from mutasi.components import COMPONENTS
from mutasi.settings import Settings
from tests.e2e.scenario import movable_case, people, propose_checked
from tests.integration.scrape import endpoints

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
REPO = DEPLOY.parent
K8S = DEPLOY / "k8s"
SETTING = re.compile(r"\bMUTASI_([A-Z0-9_]+)\b")
# Mutasi's, Temporal's SDK and the client's process metrics; PromQL functions and label
# names are not prefixed so (`up` is Prometheus's own).
METRIC = re.compile(r"\b((?:mutasi|temporal|process)_[a-z0-9_]+)\b")


def _files(*suffixes: str) -> Iterator[Path]:
    for path in sorted(DEPLOY.rglob("*")):
        if path.suffix in suffixes and "migrations" not in path.parts:
            yield path


def _yaml(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def _k8s(kind: str) -> list[dict[str, Any]]:
    return [d for p in K8S.glob("*.yaml") for d in _yaml(p) if d.get("kind") == kind]


def test_every_yaml_and_json_file_parses():
    parsed = [p for p in _files(".yaml", ".yml") if _yaml(p)]
    parsed += [p for p in _files(".json") if json.loads(p.read_text())]
    names = {p.name for p in parsed}
    assert {"compose.yaml", "alerts.yml", "prometheus.yml", "mutasi.json", "apis.yaml"} <= names


def test_the_containerfile_copies_what_exists_from_stages_it_defines():
    lines = (DEPLOY / "Containerfile").read_text().splitlines()
    stages = {m[1] for line in lines if (m := re.match(r"FROM \S+ AS (\w+)", line))}
    assert stages == {"build", "run"}
    for line in lines:
        if not line.startswith("COPY "):
            continue
        if (source := re.match(r"COPY --from=(\w+)", line)) is not None:
            assert source[1] in stages, line
            continue
        for part in line.split()[1:-1]:
            assert (REPO / part).exists(), f"{part} (in: {line})"


def _cli_runs(args: list[str]) -> bool:
    """True if `mutasi <args>` names a command the CLI has (and a known component)."""
    command: Any = get_command(app)
    for word in args:
        if not isinstance(command, Group) or word.startswith("-"):
            break
        command = command.commands.get(word)
        if command is None:
            return False
    if args[:1] == ["component"]:
        return args[1] in COMPONENTS
    return not isinstance(command, Group)


def test_every_container_runs_a_command_the_cli_has():
    compose = _yaml(DEPLOY / "compose" / "compose.yaml")[0]
    mutasi = [s for s in compose["services"].values() if "MUTASI_IMAGE" in str(s.get("image"))]
    commands = [s["command"] for s in mutasi]
    for kind in ("Deployment", "Job", "CronJob"):
        for doc in _k8s(kind):
            spec = doc["spec"]["jobTemplate"]["spec"] if kind == "CronJob" else doc["spec"]
            commands += [c["args"] for c in spec["template"]["spec"]["containers"]]
    assert len(commands) >= 14
    refused = [c for c in commands if not _cli_runs(c)]
    assert not refused


def test_every_setting_passed_exists_in_the_settings():
    fields = set(Settings.model_fields)
    for path in _files(".yaml", ".yml", ".example", ".sh", ""):
        if path.is_dir() or path.suffix in (".json", ".sql"):
            continue
        unknown = {n for n in SETTING.findall(path.read_text()) if n.lower() not in fields}
        unknown.discard("IMAGE")  # compose's own variable: which image to run
        assert not unknown, f"{path.relative_to(DEPLOY)}: MUTASI_{sorted(unknown)}"


def test_every_component_runs_twice_with_probes_resources_and_a_disruption_budget():
    budgets = {
        d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for d in _k8s("PodDisruptionBudget")
    }
    deployments = _k8s("Deployment")
    assert {d["metadata"]["name"] for d in deployments} == {
        "proposal", "approval", "notification", "worker", "relay"
    }  # fmt: skip
    for d in deployments:
        name = d["metadata"]["name"]
        [container] = d["spec"]["template"]["spec"]["containers"]
        assert d["spec"]["replicas"] >= 2, name
        assert name in budgets, name
        assert {"livenessProbe", "startupProbe"} <= set(container), name
        assert "memory" in container["resources"]["limits"], name
        assert "cpu" in container["resources"]["requests"], name
        if name in ("proposal", "approval", "notification"):
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
    compose = _yaml(DEPLOY / "compose" / "compose.yaml")[0]["services"]
    for name in ("proposal", "approval", "notification", "worker", "relay"):
        assert compose[name]["deploy"]["replicas"] >= 2, name


def test_only_the_relay_and_the_notification_service_may_reach_nats():
    [nats] = [p for p in _k8s("NetworkPolicy") if p["metadata"]["name"] == "nats-clients"]
    allowed = nats["spec"]["podSelector"]["matchExpressions"][0]["values"]
    assert sorted(allowed) == ["notification", "relay"]
    [deny] = [p for p in _k8s("NetworkPolicy") if p["metadata"]["name"] == "default-deny"]
    assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def _queries() -> dict[str, str]:
    """Every PromQL expression of the alert rules and the dashboard, by where it is."""
    found = {}
    for group in _yaml(DEPLOY / "prometheus" / "alerts.yml")[0]["groups"]:
        for rule in group["rules"]:
            found[f"alert {rule['alert']}"] = rule["expr"]
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "mutasi.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            found[f"panel {panel['title']} {target['refId']}"] = target["expr"]
    return found


def _exposed_names(text: str) -> set[str]:
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
        if family.type == "counter":
            names.add(family.name + "_total")
        if family.type == "histogram":
            names.update(family.name + s for s in ("_bucket", "_sum", "_count"))
    return names


async def test_every_metric_an_alert_or_the_dashboard_reads_is_exposed(stack, pool):
    import httpx

    # One transfer through its rule check, so the worker has run workflow and activity tasks.
    case = await movable_case(pool)
    await propose_checked(people(stack.settings, case)["hr"], case)
    exposed: set[str] = set()
    async with httpx.AsyncClient(timeout=10) as client:
        for url in endpoints(stack.settings).values():
            exposed |= _exposed_names((await client.get(url)).text)
    queries = _queries()
    assert len(queries) >= 20
    missing = {
        where: sorted(set(METRIC.findall(expr)) - exposed)
        for where, expr in queries.items()
        if set(METRIC.findall(expr)) - exposed
    }
    assert not missing
