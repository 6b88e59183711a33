"""The report as a document for people: sections of text and tables, rendered the same way
to HTML and to PDF.

The documents summarise; the data files (CSV, XLSX, JSON) hold every row. Detailed tables
(entity scores, rule outcomes) cover ``report.detail_days``: every day of the range when
it is small enough, else the last day, and the document says which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from readiness.palette import OUTCOME_COLORS, level_color
from readiness.reports.model import Report
from readiness.reports.tables import text

STATUS_COLORS = {"active": "#e0a458", "expired": "#9e9e9e", "not_started": "#6a8caf"}
SOURCE_COLORS = {"loaded": "#2e8b57", "never loaded": "#d1495b"}
HEADER_COLOR = "#1f3b57"


@dataclass(frozen=True)
class DocTable:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]  # relative column widths
    # column index -> colour of a cell's value (a badge in HTML, a filled cell in PDF)
    colors: dict[int, Callable[[str], str | None]] = field(default_factory=dict)
    caption: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # label: value lines
    tables: list[DocTable] = field(default_factory=list)
    chart: list[tuple[str, float | None]] | None = None  # (day, average score) points


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{text(value)}%"


def _level(value: str | None) -> str:
    return value or "none"


def _level_color(value: str) -> str | None:
    return level_color(None if value == "none" else value)


def _days(report: Report) -> str:
    if report.detail_days == report.days:
        return f"every evaluated day ({report.period})"
    return (
        f"{report.detail_days[-1]} only, the last day of the range: {len(report.outcomes)} "
        "outcome rows are too many for a document; every day is in outcomes.csv, "
        "report.xlsx and report.json"
    )


def build_sections(report: Report) -> list[Section]:
    last = report.summary[-1]
    first = report.summary[0]
    definition_hashes = ", ".join(d.definition_hash for d in report.definitions)
    last_levels = [lc for lc in report.levels if lc.evaluated_on == report.last_day]
    distribution = ", ".join(
        f"{_level(lc.level)} {lc.entity_count}"
        for lc in sorted(last_levels, key=lambda lc: -lc.level_rank)
    )
    overview = Section(
        report.title,
        facts=[
            ("Scope", report.scope.description),
            ("Evaluated", report.period),
            ("Definition (SHA-256)", definition_hashes),
            (
                "Generated",
                f"{report.generated_at:%Y-%m-%d %H:%M:%S} UTC by {report.generator}",
            ),
        ],
        paragraphs=[
            "Evidence of what was evaluated, under which standard, with which exemptions and "
            "on which data. Every exported file is listed with its SHA-256 in manifest.json: "
            "`readiness report verify DIR` checks that nothing was changed, added or removed."
        ]
        + (
            [
                "Days of the range without an evaluation: "
                + ", ".join(d.isoformat() for d in report.missing_days)
            ]
            if report.missing_days
            else []
        ),
    )
    change = (
        f"{text(round(last.avg_score_pct - first.avg_score_pct, 2))} points since {first.evaluated_on}"
        if len(report.summary) > 1
        and last.avg_score_pct is not None
        and first.avg_score_pct is not None
        else "single day"
    )
    summary = Section(
        f"Summary on {last.evaluated_on}",
        facts=[
            ("Entities", str(last.entity_count)),
            ("Average score", f"{_pct(last.avg_score_pct)} ({change})"),
            ("Points-weighted score", _pct(last.points_score_pct)),
            ("Levels", distribution),
            (
                "Outcomes",
                f"pass {last.pass_count}, fail {last.fail_count}, unknown {last.unknown_count}, "
                f"exempt {last.exempt_count}, not applicable {last.not_applicable_count}",
            ),
        ],
        chart=[(d.evaluated_on.isoformat(), d.avg_score_pct) for d in report.summary]
        if len(report.summary) > 1
        else None,
    )
    ladder = ["none", *report.level_order]
    by_day: dict[str, dict[str, int]] = {}
    for lc in report.levels:
        by_day.setdefault(lc.evaluated_on.isoformat(), {})[_level(lc.level)] = lc.entity_count
    summary.tables.append(
        DocTable(
            ("day", "entities", "avg score", "points score", "pass", "fail", "unknown", "exempt")
            + tuple(ladder),
            [
                (
                    d.evaluated_on.isoformat(),
                    str(d.entity_count),
                    _pct(d.avg_score_pct),
                    _pct(d.points_score_pct),
                    str(d.pass_count),
                    str(d.fail_count),
                    str(d.unknown_count),
                    str(d.exempt_count),
                    *(str(by_day.get(d.evaluated_on.isoformat(), {}).get(lv, 0)) for lv in ladder),
                )
                for d in report.summary
            ],
            (1.6, 1, 1.2, 1.2, 0.8, 0.8, 0.9, 0.9) + (0.9,) * len(ladder),
            caption="Trend over the range: scores, outcome counts and entities per level.",
        )
    )

    detail = set(report.detail_days)
    entities = Section(
        "Entities",
        paragraphs=[f"Score and level of each entity on {_days(report)}."],
        tables=[
            DocTable(
                (
                    "day",
                    "entity",
                    "team",
                    "score",
                    "level",
                    "potential",
                    "pass",
                    "fail",
                    "unknown",
                    "exempt",
                ),
                [
                    (
                        e.evaluated_on.isoformat(),
                        e.entity_ref,
                        e.team_ref or "",
                        _pct(e.score_pct),
                        _level(e.level),
                        _level(e.potential_level),
                        str(e.pass_count),
                        str(e.fail_count),
                        str(e.unknown_count),
                        str(e.exempt_count),
                    )
                    for e in report.entities
                    if e.evaluated_on in detail
                ],
                (1.3, 3.2, 2.4, 0.9, 0.9, 0.9, 0.6, 0.6, 0.8, 0.7),
                colors={4: _level_color, 5: _level_color},
            )
        ],
    )
    outcomes = Section(
        "Rule outcomes",
        paragraphs=[
            f"Outcome of every rule for every entity on {_days(report)}. The reason explains "
            "unknown, exempt and not applicable outcomes; the remediation says what to do."
        ],
        tables=[
            DocTable(
                ("day", "entity", "rule", "level", "outcome", "reason / facts", "remediation"),
                [
                    (
                        o.evaluated_on.isoformat(),
                        o.entity_ref,
                        o.rule_id,
                        o.level,
                        o.outcome,
                        "; ".join(part for part in (o.reason, o.fact_values) if part),
                        (o.remediation or "") if o.outcome in ("fail", "unknown") else "",
                    )
                    for o in report.outcomes
                    if o.evaluated_on in detail
                ],
                (1.3, 2.8, 1.7, 0.9, 1.5, 4.2, 3.2),
                colors={4: OUTCOME_COLORS.get},
            )
        ],
    )
    exemptions = Section(
        "Exemptions",
        paragraphs=[
            f"Every exemption of the scorecard in scope, with its status on {report.last_day}. "
            "An exemption applies from its start up to the day before its expiry; an expired "
            "one no longer applies and its rule counts again."
            if report.exemptions
            else "No exemption of this scorecard applies to the entities in scope."
        ],
        tables=[
            DocTable(
                (
                    "entity",
                    "rule",
                    "status",
                    "from",
                    "until",
                    "reason",
                    "requested by",
                    "approved by",
                    "active days",
                ),
                [
                    (
                        x.entity_ref,
                        x.rule_id,
                        x.status.replace("_", " "),
                        x.starts_on.isoformat(),
                        x.expires_on.isoformat() if x.expires_on else "no expiry",
                        x.reason or "",
                        x.requested_by or "",
                        x.approved_by or "",
                        str(x.active_days),
                    )
                    for x in report.exemptions
                ],
                (2.6, 1.2, 1, 1.1, 1.1, 3.6, 1.8, 1.8, 0.7),
                colors={2: lambda v: STATUS_COLORS.get(v.replace(" ", "_"))},
            )
        ]
        if report.exemptions
        else [],
    )
    definition_sections = []
    for definition in report.definitions:
        days = definition.days
        used = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
        definition_sections.append(
            Section(
                f"Definition {definition.definition_hash[:12]}",
                facts=[
                    ("Scorecard", f"{definition.name} ({definition.scorecard_id})"),
                    ("SHA-256", definition.definition_hash),
                    ("Owner", definition.owner or ""),
                    ("Applies to", definition.applies_to or "every entity"),
                    ("Evaluated on", f"{used} ({len(days)} days of this report)"),
                    (
                        "Levels",
                        " < ".join(level.level for level in definition.levels),
                    ),
                ],
                paragraphs=[definition.description] if definition.description else [],
                tables=[
                    DocTable(
                        (
                            "rule",
                            "name",
                            "level",
                            "points",
                            "condition",
                            "applies to / from",
                            "remediation",
                        ),
                        [
                            (
                                r.rule_id,
                                r.name,
                                r.level,
                                str(r.points),
                                r.condition or "",
                                "; ".join(
                                    p
                                    for p in (
                                        r.applies_to,
                                        f"from {r.effective_from}" if r.effective_from else None,
                                    )
                                    if p
                                ),
                                r.remediation or "",
                            )
                            for r in definition.rules
                        ],
                        (1.5, 2, 0.8, 0.7, 3.2, 1.8, 3.2),
                        colors={2: _level_color},
                    )
                ],
            )
        )
    sources = Section(
        "Sources",
        paragraphs=[
            f"Each source's last successful load on or before {report.last_day}, and the loads "
            "that failed within the range. A rule whose source is stale or never loaded is "
            "unknown, never fail."
        ],
        tables=[
            DocTable(
                (
                    "source",
                    "provider",
                    "state",
                    "last snapshot",
                    "loaded at (UTC)",
                    "failures",
                    "last failure",
                    "needed by rules",
                ),
                [
                    (
                        s.source_name,
                        s.provider or "",
                        s.state,
                        text(s.last_snapshot_on),
                        text(s.last_loaded_at),
                        str(s.failures_in_range),
                        " ".join(
                            p for p in (text(s.last_failure_on), s.last_failure_message or "") if p
                        ),
                        ", ".join(s.needed_by_rules),
                    )
                    for s in report.sources
                ],
                (1.2, 1.2, 1.1, 1.1, 1.7, 0.8, 3, 2.6),
                colors={2: SOURCE_COLORS.get},
            )
        ],
    )
    evaluations = Section(
        "Evaluations",
        paragraphs=["When each day was evaluated, by what and whom, under which definition."],
        tables=[
            DocTable(
                ("day", "definition", "evaluated at (UTC)", "trigger", "by", "re-evaluation of"),
                [
                    (
                        e.evaluated_on.isoformat(),
                        e.definition_hash[:16],
                        text(e.evaluated_at),
                        e.trigger or "",
                        e.triggered_by or "",
                        (e.previous_definition_hash or "")[:16] if e.is_reevaluation else "",
                    )
                    for e in report.evaluations
                ],
                (1.2, 1.8, 1.8, 1, 1.2, 1.8),
            )
        ],
    )
    return [
        overview,
        summary,
        exemptions,
        sources,
        entities,
        outcomes,
        *definition_sections,
        evaluations,
    ]
