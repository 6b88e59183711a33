"""What a compliance report holds: pydantic models, serialised as they are to JSON.

A report answers an auditor's questions for one scorecard over one or more evaluated days:
what was evaluated (entities, rules, outcomes with reasons and remediation), under which
standard (definition and its SHA-256), with which exemptions (who asked, who approved,
why, and whether each was active or expired), on which data (each source's last
successful load), and when and by whom each day was evaluated.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

# Detailed tables (entity scores, rule outcomes) of the PDF and HTML documents hold every
# day of the range up to this many outcome rows, else the last day only (the CSV, XLSX and
# JSON files always hold every row).
MAX_DOCUMENT_OUTCOMES = 3000


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportFilters(_Model):
    """What to report on: one scorecard, optionally narrowed to a domain, a team (with
    every group below it), one entity, and a day or a range of days (default: the latest
    evaluated day)."""

    scorecard: str
    domain: str | None = None
    team: str | None = None
    entity: str | None = None
    day: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _one_kind_of_date(self) -> ReportFilters:
        if self.day is not None and (self.start is not None or self.end is not None):
            raise ValueError("give either a day or a range (start/end), not both")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"the range ends ({self.end}) before it starts ({self.start})")
        return self


class Scope(_Model):
    """The filters as resolved against the warehouse (canonical refs)."""

    scorecard_id: str
    scorecard_name: str
    domain_ref: str | None
    team_ref: str | None
    team_tree: list[str]  # the team and every group below it (empty without a team)
    entity_ref: str | None
    requested_first_day: dt.date
    requested_last_day: dt.date

    @property
    def description(self) -> str:
        parts = [f"scorecard {self.scorecard_id}"]
        if self.domain_ref:
            parts.append(f"domain {self.domain_ref}")
        if self.team_ref:
            parts.append(f"team {self.team_ref} and the groups below it")
        if self.entity_ref:
            parts.append(f"entity {self.entity_ref}")
        return ", ".join(parts)


class DaySummary(_Model):
    evaluated_on: dt.date
    definition_hash: str
    entity_count: int
    avg_score_pct: float | None
    points_score_pct: float | None
    entities_without_level: int
    pass_count: int
    fail_count: int
    unknown_count: int
    exempt_count: int
    not_applicable_count: int


class LevelCount(_Model):
    evaluated_on: dt.date
    level: str | None  # None: below the first level
    level_rank: int
    entity_count: int


class EntityScore(_Model):
    evaluated_on: dt.date
    entity_ref: str
    team_ref: str | None
    domain_ref: str | None
    score_pct: float | None
    level: str | None
    level_rank: int
    potential_level: str | None
    next_level: str | None
    points_earned: int
    points_possible: int
    pass_count: int
    fail_count: int
    unknown_count: int
    exempt_count: int
    not_applicable_count: int
    definition_hash: str


class RuleOutcome(_Model):
    evaluated_on: dt.date
    entity_ref: str
    rule_id: str
    rule_name: str | None
    level: str
    level_rank: int
    outcome: str
    points_possible: int
    points_earned: int
    reason: str | None
    fact_values: str | None
    remediation: str | None
    definition_hash: str


class ExemptionRecord(_Model):
    entity_ref: str
    rule_id: str  # "*" for the whole scorecard
    reason: str | None
    requested_by: str | None
    approved_by: str | None
    starts_on: dt.date
    expires_on: dt.date | None
    status: Literal["not_started", "active", "expired"]  # on the report's last day
    status_on: dt.date  # the day `status` describes
    active_days: int  # evaluated days of the range on which it was active
    exempted_outcome_count: int  # outcomes of the range it turned `exempt`
    file: str | None
    line: int | None


class LevelDefinition(_Model):
    level: str
    level_rank: int
    description: str | None


class RuleDefinition(_Model):
    rule_id: str
    name: str
    level: str
    level_rank: int
    points: int
    description: str | None
    remediation: str | None
    effective_from: dt.date | None
    condition: str | None
    applies_to: str | None
    facts: str | None  # fact:source:kind, ...
    position: int


class Definition(_Model):
    """One version of the scorecard definition, as evaluated on ``days``."""

    scorecard_id: str
    definition_hash: str
    name: str
    description: str | None
    owner: str | None
    applies_to: str | None
    first_in_force_on: dt.date | None
    last_in_force_on: dt.date | None
    days: list[dt.date]
    levels: list[LevelDefinition]
    rules: list[RuleDefinition]


class SourceStatus(_Model):
    """A source as of the report's last day: its last successful load and failures.

    One row per provider that ever loaded (Okta and GitHub teams both feed ``identity``),
    plus one with no provider for a source the rules need that never loaded."""

    source_name: str
    provider: str | None
    last_snapshot_on: dt.date | None  # newest successful snapshot on or before the last day
    last_loaded_at: dt.datetime | None  # when that load ran (UTC)
    failures_in_range: int
    last_failure_on: dt.date | None
    last_failure_message: str | None
    needed_by_rules: list[str]  # rule ids whose condition reads a fact of this source

    @property
    def state(self) -> str:
        return "loaded" if self.last_snapshot_on is not None else "never loaded"


class EvaluationRecord(_Model):
    evaluated_on: dt.date
    definition_hash: str
    previous_definition_hash: str | None
    is_reevaluation: bool
    evaluated_at: dt.datetime | None
    trigger: str | None
    triggered_by: str | None
    request_id: str | None


class Report(_Model):
    title: str
    generated_at: dt.datetime  # UTC
    generator: str  # "readiness <version>"
    filters: ReportFilters
    scope: Scope
    days: list[dt.date]  # evaluated days covered, ascending
    missing_days: list[dt.date]  # days of the requested range without an evaluation
    detail_days: list[dt.date]  # days whose details the PDF and HTML documents show
    level_order: list[str]  # the ladder of the latest definition, lowest first
    summary: list[DaySummary]
    levels: list[LevelCount]
    entities: list[EntityScore]
    outcomes: list[RuleOutcome]
    exemptions: list[ExemptionRecord]
    definitions: list[Definition]
    sources: list[SourceStatus]
    evaluations: list[EvaluationRecord]

    @property
    def first_day(self) -> dt.date:
        return self.days[0]

    @property
    def last_day(self) -> dt.date:
        return self.days[-1]

    @property
    def period(self) -> str:
        if self.first_day == self.last_day:
            return self.first_day.isoformat()
        return f"{self.first_day} to {self.last_day} ({len(self.days)} evaluated days)"
