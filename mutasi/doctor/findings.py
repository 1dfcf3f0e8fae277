"""What a check found: one line for the person, and how to fix it, in Indonesian and English."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(Enum):
    OK = "ok"
    WARN = "peringatan / warning"  # works, but something will not (e.g. browser tests)
    FAIL = "masalah / problem"  # `make run` stops: it would fail further on, less clearly


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    detail: str
    fix_id: str = ""
    fix_en: str = ""

    def lines(self) -> list[str]:
        out = [f"[{self.level.value}] {self.check}: {self.detail}"]
        if self.fix_id or self.fix_en:
            out.append(f"    perbaikan: {self.fix_id}")
            out.append(f"    fix:       {self.fix_en}")
        return out


def ok(check: str, detail: str) -> Finding:
    return Finding(check, Level.OK, detail)


def warn(check: str, detail: str, fix_id: str, fix_en: str) -> Finding:
    return Finding(check, Level.WARN, detail, fix_id, fix_en)


def fail(check: str, detail: str, fix_id: str, fix_en: str) -> Finding:
    return Finding(check, Level.FAIL, detail, fix_id, fix_en)
