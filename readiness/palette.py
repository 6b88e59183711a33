"""One colour scheme for outcomes and levels, shared by dashboards and reports.

Unknown has a colour of its own (never the colour of fail): an unknown outcome means a
fact is missing, which is a different problem with a different owner.
"""

from __future__ import annotations

OUTCOME_COLORS: dict[str, str] = {
    "pass": "#2e8b57",
    "fail": "#d1495b",
    "unknown": "#7b68ee",
    "exempt": "#e0a458",
    "not_applicable": "#c9c9c9",
}
OUTCOME_ORDER = ["pass", "fail", "unknown", "exempt", "not_applicable"]

LEVEL_COLORS: dict[str, str] = {
    "none": "#9e9e9e",
    "bronze": "#b0713a",
    "silver": "#8e9aa6",
    "gold": "#d4a017",
    "platinum": "#5f8fa3",
}
_FALLBACK_LEVEL_COLORS = ["#6a8caf", "#4f6d7a", "#2f4858", "#86bbd8"]


def level_color(level: str | None, rank: int = 0) -> str:
    name = level or "none"
    if name in LEVEL_COLORS:
        return LEVEL_COLORS[name]
    return _FALLBACK_LEVEL_COLORS[rank % len(_FALLBACK_LEVEL_COLORS)]
