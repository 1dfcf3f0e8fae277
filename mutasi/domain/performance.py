"""SKP predicate (yearly performance rating), ordered from Sangat Kurang up to Sangat Baik."""

from __future__ import annotations

from enum import Enum

from mutasi.domain.errors import DomainError


class Performance(Enum):
    """Values are the stable API codes; `label` is the official Indonesian predicate.

    A plain Enum (not StrEnum) so that `<` compares by rank, never by the code's spelling.
    """

    VERY_GOOD = "very_good"
    GOOD = "good"
    NEEDS_IMPROVEMENT = "needs_improvement"
    POOR = "poor"
    VERY_POOR = "very_poor"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """5 for Sangat Baik down to 1 for Sangat Kurang."""
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Performance):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Performance):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Performance):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Performance):
            return NotImplemented
        return self.rank >= other.rank


_LABELS = {
    Performance.VERY_GOOD: "Sangat Baik",
    Performance.GOOD: "Baik",
    Performance.NEEDS_IMPROVEMENT: "Butuh Perbaikan",
    Performance.POOR: "Kurang",
    Performance.VERY_POOR: "Sangat Kurang",
}
_RANKS = {performance: 5 - i for i, performance in enumerate(Performance)}
_BY_KEY = {label.lower(): perf for perf, label in _LABELS.items()} | {
    perf.value.replace("_", " "): perf for perf in Performance
}


def parse_performance(text: str) -> Performance:
    """Parse a predicate with any case or spacing ("  sangat   BAIK "), or an API code."""
    key = " ".join(text.replace("_", " ").split()).lower()
    performance = _BY_KEY.get(key)
    if performance is None:
        raise DomainError(
            "performance.invalid",
            f"Predikat SKP tidak dikenali: '{text.strip()}' (yang berlaku: "
            "Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)",
            f"Unknown SKP predicate: '{text.strip()}' (valid: "
            "Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)",
            value=text,
        )
    return performance
