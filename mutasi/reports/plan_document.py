"""A transfer plan as a document: what was asked, what the optimum is worth beside greedy,
each unit's staffing (workload) before and after, and every line with its reasons."""

from __future__ import annotations

from typing import Any

from mutasi.planning.cli_text import PART_LABELS, post_named
from mutasi.reports.model import Report, Table


def _asked(spec: dict[str, Any]) -> list[str]:
    scope, rules = spec.get("scope", {}), spec.get("rules", {})
    weights = spec.get("weights", {})
    units = ", ".join(scope.get("units") or []) or "seluruh unit kerja"
    limits = [f"{k} = {v}" for k, v in sorted(rules.items()) if v not in (None, [], {})]
    return [
        f"Ruang lingkup: {units}; periode mulai {scope.get('period_start')}",
        "Bobot: " + (", ".join(f"{PART_LABELS.get(k, k)} {v}" for k, v in weights.items())
                     or "bawaan (lihat docs/planning.md)"),
        "Batasan: " + ("; ".join(limits) or "bawaan (aturan keras R1-R10, R2 masa jabatan)"),
    ]  # fmt: skip


def _objective(o: dict[str, Any], g: dict[str, Any]) -> Table:
    quo = float(o["status_quo"])
    rows = [["Nilai (jumlah poin semua kandidat)", o["optimum"]["value"], g["value"]],
            ["Kenaikan dari keadaan sekarang", f"{float(o['optimum']['value']) - quo:.2f}",
             f"{float(g['value']) - quo:.2f}"],
            ["Jumlah mutasi", o["optimum"]["moves"], g["moves"]]]  # fmt: skip
    rows += [
        [f"Komponen: {PART_LABELS.get(k, k)}", v, g["parts"].get(k)]
        for k, v in o["optimum"]["parts"].items()
    ]
    note = (
        f"Metode {o['method']}; gap {o['gap']} (0.00 = terbukti optimal); batas atas"
        f" {o['bound']}; tanpa mutasi {o['status_quo']}; {o['candidates']} kandidat,"
        f" {o['posts']} jabatan, {o['seconds']} detik."
    )
    return Table("Nilai rencana (optimal) dan cara greedy", ["", "Optimal", "Greedy"], rows, note)


def plan_report(plan: dict[str, Any], lines: list[dict[str, Any]]) -> Report:
    o, g = plan.get("objective") or {}, plan.get("baseline") or {}
    tables = []
    if o.get("optimum"):
        tables.append(_objective(o, g))
        tables.append(Table(
            "Beban kerja per unit sebelum dan sesudah",
            ["Unit", "Kebutuhan (ABK)", "Sebelum", "Sesudah", "Selisih dari kebutuhan"],
            [[u["name"], u["needed"], u["before"], u["after"], u["after"] - u["needed"]]
             for u in o.get("units", [])],
        ))  # fmt: skip
    tables.append(Table(
        "Baris rencana",
        ["No", "NIP", "Nama", "Jabatan asal", "Jabatan tujuan", "Nilai", "Kenaikan",
         "Kesesuaian", "Jarak (km)", "Mengisi jabatan yang ditinggalkan", "Status usulan"],
        [[x["line"], x["employee_nip"], x["employee_name"], post_named(x, "origin"),
          post_named(x, "target"), round(x["value"], 2), round(x["gain"], 2),
          x["components"]["fit_score"], x["components"]["km"],
          x["components"]["vacated_by"], x.get("transfer_status")] for x in lines],
    ))  # fmt: skip
    problem = [f"Tidak ada penyelesaian: {o['problem']}"] if o.get("problem") else []
    return Report(
        title=f"Rencana Mutasi: {plan['title']}",
        subtitle=f"Status {plan['status']}, revisi {plan['revision']}, id {plan['id']}",
        text=_asked(plan.get("scope") or {}) + problem,
        tables=tables,
    )
