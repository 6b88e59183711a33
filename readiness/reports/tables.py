"""The report as named tables: one shape for the CSV files, the XLSX sheets and the
tables of the HTML and PDF documents.

Column names are the marts' column names wherever a column comes from a mart, so a file
can be compared with the warehouse column for column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from readiness.reports.model import Report

Cell = str | int | float | bool | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Table:
    name: str  # file / sheet name
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    description: str = ""


def _rows(items: list[Any], columns: tuple[str, ...]) -> list[tuple[Cell, ...]]:
    return [tuple(getattr(item, column) for column in columns) for item in items]


def about_rows(report: Report) -> list[tuple[str, Cell]]:
    """The report's identity: what, when, by what, over which days, with which filters."""
    scope = report.scope
    hashes = ", ".join(d.definition_hash for d in report.definitions)
    rows: list[tuple[str, Cell]] = [
        ("title", report.title),
        ("scorecard_id", scope.scorecard_id),
        ("scorecard_name", scope.scorecard_name),
        ("definition_hash", hashes),
        ("scope", scope.description),
        ("domain", scope.domain_ref),
        ("team", scope.team_ref),
        ("team_tree", ", ".join(scope.team_tree) or None),
        ("entity", scope.entity_ref),
        ("requested_from", scope.requested_first_day),
        ("requested_to", scope.requested_last_day),
        ("first_evaluated_day", report.first_day),
        ("last_evaluated_day", report.last_day),
        ("evaluated_days", len(report.days)),
        ("days_without_evaluation", ", ".join(d.isoformat() for d in report.missing_days) or None),
        ("entities", len({e.entity_ref for e in report.entities})),
        ("outcome_rows", len(report.outcomes)),
        ("generated_at_utc", report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)),
        ("generator", report.generator),
    ]
    return rows


SUMMARY_COLUMNS = (
    "evaluated_on",
    "entity_count",
    "avg_score_pct",
    "points_score_pct",
    "entities_without_level",
    "pass_count",
    "fail_count",
    "unknown_count",
    "exempt_count",
    "not_applicable_count",
    "definition_hash",
)
LEVEL_COLUMNS = ("evaluated_on", "level", "level_rank", "entity_count")
ENTITY_COLUMNS = (
    "evaluated_on",
    "entity_ref",
    "team_ref",
    "domain_ref",
    "score_pct",
    "level",
    "level_rank",
    "potential_level",
    "next_level",
    "points_earned",
    "points_possible",
    "pass_count",
    "fail_count",
    "unknown_count",
    "exempt_count",
    "not_applicable_count",
    "definition_hash",
)
OUTCOME_COLUMNS = (
    "evaluated_on",
    "entity_ref",
    "rule_id",
    "rule_name",
    "level",
    "level_rank",
    "outcome",
    "points_possible",
    "points_earned",
    "reason",
    "fact_values",
    "remediation",
    "definition_hash",
)
EXEMPTION_COLUMNS = (
    "entity_ref",
    "rule_id",
    "status",
    "status_on",
    "starts_on",
    "expires_on",
    "reason",
    "requested_by",
    "approved_by",
    "active_days",
    "exempted_outcome_count",
    "file",
    "line",
)
DEFINITION_COLUMNS = (
    "scorecard_id",
    "definition_hash",
    "name",
    "owner",
    "applies_to",
    "first_in_force_on",
    "last_in_force_on",
    "description",
)
RULE_COLUMNS = (
    "definition_hash",
    "position",
    "rule_id",
    "name",
    "level",
    "level_rank",
    "points",
    "effective_from",
    "applies_to",
    "condition",
    "facts",
    "description",
    "remediation",
)
SOURCE_COLUMNS = (
    "source_name",
    "provider",
    "state",
    "last_snapshot_on",
    "last_loaded_at",
    "failures_in_range",
    "last_failure_on",
    "last_failure_message",
    "needed_by_rules",
)
EVALUATION_COLUMNS = (
    "evaluated_on",
    "definition_hash",
    "previous_definition_hash",
    "is_reevaluation",
    "evaluated_at",
    "trigger",
    "triggered_by",
    "request_id",
)


def report_tables(report: Report) -> list[Table]:
    """Every table of the report, in reading order, with every row of the range."""
    rules = [
        (definition.definition_hash, rule)
        for definition in report.definitions
        for rule in definition.rules
    ]
    sources = [
        tuple(
            ", ".join(s.needed_by_rules) if c == "needed_by_rules" else getattr(s, c)
            for c in SOURCE_COLUMNS
        )
        for s in report.sources
    ]
    return [
        Table("about", "About this report", ("key", "value"), list(about_rows(report))),
        Table(
            "summary",
            "Summary per evaluated day",
            SUMMARY_COLUMNS,
            _rows(report.summary, SUMMARY_COLUMNS),
            "Average score, points-weighted score and outcome counts of the entities in scope.",
        ),
        Table(
            "levels",
            "Level distribution per day",
            LEVEL_COLUMNS,
            _rows(report.levels, LEVEL_COLUMNS),
            "Entities holding exactly each level (an empty level with rank 0: none).",
        ),
        Table(
            "entities",
            "Score and level per entity and day",
            ENTITY_COLUMNS,
            _rows(report.entities, ENTITY_COLUMNS),
        ),
        Table(
            "outcomes",
            "Outcome per entity, rule and day",
            OUTCOME_COLUMNS,
            _rows(report.outcomes, OUTCOME_COLUMNS),
            "With the reason (unknown, exempt, not applicable), the facts read and the remediation.",
        ),
        Table(
            "exemptions",
            "Exemptions",
            EXEMPTION_COLUMNS,
            _rows(report.exemptions, EXEMPTION_COLUMNS),
            "Status on the report's last day; active_days counts the evaluated days of the range "
            "on which it applied.",
        ),
        Table(
            "definitions",
            "Scorecard definitions evaluated",
            DEFINITION_COLUMNS,
            _rows(report.definitions, DEFINITION_COLUMNS),
            "definition_hash is the SHA-256 of the canonical definition.",
        ),
        Table(
            "rules",
            "Rules of each definition",
            RULE_COLUMNS,
            [(h, *(getattr(rule, c) for c in RULE_COLUMNS[1:])) for h, rule in rules],
        ),
        Table(
            "sources",
            "Sources: last successful load",
            SOURCE_COLUMNS,
            sources,
            "The newest successful snapshot on or before the report's last day, and failed "
            "loads within the range.",
        ),
        Table(
            "evaluations",
            "Evaluations of the days",
            EVALUATION_COLUMNS,
            _rows(report.evaluations, EVALUATION_COLUMNS),
            "Every evaluation of each day, re-evaluations included (append-only record).",
        ),
    ]


def text(value: Cell) -> str:
    """A cell as text for the documents (CSV keeps ISO dates and empty for NULL too)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 1e15 else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
