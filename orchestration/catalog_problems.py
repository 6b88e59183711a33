"""The catalog's problems as the command line prints them (`validate`, end of `run`).

One line per problem: ``severity: file:line: document N, entity: what is wrong (hint: what
to do) [problem code]``, errors first, then warnings, then notes, each in file order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from readiness.errors import Problem, WarehouseError
from readiness.settings import Settings

_ORDER = {"error": 0, "warning": 1, "note": 2}
_COLUMNS = (
    "file",
    "document_index",
    "line",
    "entity_ref",
    "severity",
    "problem",
    "message",
    "hint",
)


def _sort_key(problem: Mapping[str, Any]) -> tuple:
    return (
        _ORDER.get(problem["severity"], 3),
        problem["file"] or "",
        problem["document_index"] or 0,
        problem["line"] or 0,
        problem["message"],
    )


def format_problem(problem: Mapping[str, Any]) -> str:
    where = ", ".join(
        part
        for part in (
            f"document {problem['document_index']}" if problem["document_index"] else None,
            problem["entity_ref"],
        )
        if part
    )
    text = Problem(
        problem["file"] or "<catalog>",
        problem["line"],
        where or None,
        problem["message"],
        problem["hint"],
    )
    return f"{problem['severity']}: {text} [{problem['problem']}]"


def format_problems(problems: Iterable[Mapping[str, Any]], limit: int | None) -> list[str]:
    ordered = sorted(problems, key=_sort_key)
    lines = [format_problem(p) for p in (ordered if limit is None else ordered[:limit])]
    if limit is not None and len(ordered) > limit:
        lines.append(
            f"... and {len(ordered) - limit} more: `readiness validate --catalog ...` lists "
            "them all, as does marts.fct_catalog_problems"
        )
    return lines


def summary_line(problems: Iterable[Mapping[str, Any]], entity_count: int) -> str:
    counts = Counter(p["severity"] for p in problems)
    if not counts:
        return f"catalog: {entity_count} entities, no problems"
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in _ORDER if counts[s]]
    return f"catalog: {entity_count} entities; " + ", ".join(parts)


def published_problems(settings: Settings, day: dt.date) -> tuple[list[dict[str, Any]], int]:
    """The problems of the latest catalog snapshot on or before ``day``, and its entity
    count, from the published warehouse (any catalog source: files or the API)."""
    if settings.backend != "duckdb":
        return [], 0
    from readiness.warehouse import connect_published

    try:
        connection = connect_published(settings)
    except WarehouseError:
        return [], 0
    try:
        (snapshot,) = connection.execute(
            "select max(snapshot_on) from staging.stg_catalog__entities where snapshot_on <= ?",
            [day],
        ).fetchone()
        if snapshot is None:
            return [], 0
        rows = connection.execute(
            f"select {', '.join(_COLUMNS)} from marts.fct_catalog_problems where snapshot_on = ?",
            [snapshot],
        ).fetchall()
        (count,) = connection.execute(
            "select count(*) from staging.stg_catalog__entities where snapshot_on = ?",
            [snapshot],
        ).fetchone()
    finally:
        connection.close()
    return [dict(zip(_COLUMNS, row, strict=True)) for row in rows], int(count)
