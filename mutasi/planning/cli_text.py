"""How `mutasi plan` prints candidates and plans for a BKPSDM officer (Bahasa Indonesia)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy and the solver load only for the commands that use them
    from mutasi.planning.candidates import Candidates

PART_LABELS = {
    "fit": "kesesuaian",
    "workload": "beban kerja",
    "aspiration": "aspirasi",
    "distance": "jarak",
    "performance": "SKP",
}


def candidate_lines(found: Candidates) -> list[str]:
    post = found.post
    lines = [
        f"{post.name} ({post.code}) — terisi {post.filled} dari kebutuhan {post.needed}",
        f"kandidat: {found.ranking.total}; dikecualikan: "
        + (", ".join(f"{k} {v}" for k, v in sorted(found.ranking.excluded.items())) or "-"),
    ]
    if found.frozen:
        lines.append(f"perhatian (R9): {found.frozen[0]}")
    for c in found.ranking.candidates:
        e, m = found.people.employees[c.index], c.match
        km = "-" if c.km is None else f"{c.km:.0f} km"
        lines.append(
            f"{c.rank}. {e.nip} {e.name} ({e.education_level.value} {e.education_field or ''})"
            f" skor {m.score:.2f} [kesesuaian {m.fit:.2f}; jarak {km}]"
        )
        for x in m.criteria:
            gap = "" if x.gap is None else f", gap {x.gap:+d}"
            lines.append(
                f"     {x.name}: syarat {x.required or '-'}, aktual {x.actual or 'belum ada'}"
                f"{gap} → bobot {x.weight:.1f} (+{x.contribution:.2f})"
            )
        lines += [f"     {p.rule}: −{p.points:.2f} ({p.reason})" for p in m.penalties]
    return lines


def plan_lines(plan: dict[str, Any]) -> list[str]:
    lines = [
        f"Rencana '{plan['title']}' ({plan['id']}) — {plan['status']}, revisi {plan['revision']}"
    ]
    o, g = plan.get("objective") or {}, plan.get("baseline") or {}
    if o.get("problem"):
        lines.append(f"tidak ada penyelesaian: {o['problem']}")
    if o.get("optimum"):
        quo = float(o["status_quo"])
        best, greedy = float(o["optimum"]["value"]), float(g["value"])
        lines += [
            f"metode {o['method']}, gap {o['gap']} (optimal bila 0.00), {o['seconds']} detik",
            f"nilai {best:.2f} (tanpa mutasi {quo:.2f}, naik {best - quo:.2f});"
            f" greedy {greedy:.2f} (naik {greedy - quo:.2f})",
            f"mutasi: {o['optimum']['moves']} (greedy {g['moves']})",
            "komponen: "
            + ", ".join(f"{PART_LABELS[k]} {v}" for k, v in o["optimum"]["parts"].items()),
        ]
        changed = [u for u in o.get("units", []) if u["before"] != u["after"]]
        lines += [f"  {u['name']}: {u['before']} → {u['after']} (kebutuhan {u['needed']})"
                  for u in changed]  # fmt: skip
    for row in plan.get("lines", []):
        c = row["components"]
        status = f" [{row['transfer_status']}]" if row.get("transfer_status") else ""
        lines.append(
            f"{row['line']}. {row['employee_nip']} {row['employee_name']}:"
            f" {post_named(row, 'origin')} → {post_named(row, 'target')}"
            f" nilai {row['value']:.2f} (+{row['gain']:.2f}), kesesuaian {c['fit_score']}{status}"
        )
    return lines


def post_named(row: dict[str, Any], side: str) -> str:
    """ "Analis Kepegawaian (dinkes.analis)": a plan line's post by name, the code beside it."""
    code, name = row[f"{side}_position_code"], row.get(f"{side}_position_name")
    if code is None:
        return "-"
    return f"{name} ({code})" if name else code
