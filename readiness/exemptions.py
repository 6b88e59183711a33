"""Exemptions as code: ``scorecards/exemptions/*.yml``.

Each file holds a list of exemptions (or one mapping). An exemption names an entity, a
scorecard and a rule (or ``rule: "*"`` for the whole scorecard), why, who asked, who
approved, and from when until when it applies. An active exemption turns the outcome
into ``exempt``; an expired one stops applying by itself.

Validity window: an exemption is active on day ``d`` when ``starts_on <= d`` and, if it
has an ``expires_on``, ``d < expires_on`` (``expires_on`` is the first day it no longer
applies). ``marts.fct_rule_outcomes`` applies exactly this window, and
``marts.fct_exemptions_daily`` records each exemption's status per evaluated day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readiness.dates import DAY_HINT, Day, pydantic_date_message
from readiness.errors import Problems
from readiness.refs import normalize_ref
from readiness.scorecards import UNREADABLE, CompiledScorecard
from readiness.yamlfile import iter_documents, yaml_files

WHOLE_SCORECARD = "*"
HINT = "see docs/writing-rules.md#exemptions"


class ExemptionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    EXPIRED = "expired"


class Exemption(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    entity: str = Field(min_length=1)
    scorecard: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    requested_by: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    starts_on: Day
    expires_on: Day | None = None

    def status_on(self, day: dt.date) -> ExemptionStatus:
        """Whether the exemption applies on ``day`` (same window as the dbt models)."""
        if day < self.starts_on:
            return ExemptionStatus.NOT_STARTED
        if self.expires_on is not None and day >= self.expires_on:
            return ExemptionStatus.EXPIRED
        return ExemptionStatus.ACTIVE


@dataclass(frozen=True)
class LocatedExemption:
    exemption: Exemption
    entity_ref: str
    file: Path
    line: int | None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else str(self.file)


def _pydantic_message(error: dict) -> tuple[str, str]:
    """(message, hint) for one pydantic error of an exemption."""
    key = ".".join(str(p) for p in error["loc"])
    if error["type"] == "missing":
        message = f"missing key '{key}'"
    elif error["type"] == "extra_forbidden":
        message = f"unknown key '{key}'"
    elif error["type"] == "string_too_short":
        message = f"'{key}' is empty"
    elif (date_message := pydantic_date_message(error)) is not None:
        return f"{key}: {date_message}", DAY_HINT
    else:
        message = f"{key}: {error['msg']}"
    hint = "every exemption needs an approver" if key == "approved_by" else HINT
    return message, hint


def _overlaps(a: Exemption, b: Exemption) -> bool:
    """Whether two validity windows share at least one day."""
    a_end = a.expires_on or dt.date.max
    b_end = b.expires_on or dt.date.max
    return a.starts_on < b_end and b.starts_on < a_end


def load_exemptions(
    folder: Path,
    scorecards: list[CompiledScorecard],
    problems: Problems,
    known_entities: set[str] | None = None,
    invalid_scorecards: set[str] = frozenset(),
) -> list[LocatedExemption]:
    """Validate every exemption file below ``folder`` (missing folder: no exemptions).

    Refused, each with file, line and a hint: unknown keys, missing or empty fields (an
    approver above all), an unknown scorecard or rule, an expiry on or before the start,
    an approver who is also the requester, two exemptions of the same entity and rule
    whose windows overlap, and (when ``known_entities`` is given, i.e. with a catalog) an
    entity the catalog does not hold.
    """
    if not folder.is_dir():
        return []
    rules_by_scorecard = {sc.id: {r.rule.id for r in sc.rules} for sc in scorecards}
    result: list[LocatedExemption] = []
    for path in yaml_files(folder):
        for doc in iter_documents(path, problems):
            items = doc.data if isinstance(doc.data, list) else [doc.data]
            for index, item in enumerate(items):
                loc = (index,) if isinstance(doc.data, list) else ()
                line = doc.line(*loc)
                where = f"exemption #{index + 1}"
                if not isinstance(item, dict):
                    problems.add(path, line, where, "an exemption must be a mapping", HINT)
                    continue
                try:
                    exemption = Exemption.model_validate(item)
                except ValidationError as exc:
                    for error in exc.errors():
                        message, hint = _pydantic_message(error)
                        problems.add(path, doc.line(*loc, *error["loc"]), where, message, hint)
                    continue
                try:
                    entity_ref = normalize_ref(exemption.entity, default_kind="component")
                except ValueError as exc:
                    problems.add(path, doc.line(*loc, "entity"), where, str(exc), HINT)
                    continue
                where = f"exemption of {entity_ref} from {exemption.scorecard}/{exemption.rule}"
                problem = _check(
                    exemption, entity_ref, rules_by_scorecard, known_entities, invalid_scorecards
                )
                if problem is not None:
                    key, message, hint = problem
                    problems.add(path, doc.line(*loc, key), where, message, hint)
                    continue
                located = LocatedExemption(exemption, entity_ref, path, line)
                clash = next(
                    (
                        other
                        for other in result
                        if other.entity_ref == entity_ref
                        and other.exemption.scorecard == exemption.scorecard
                        and other.exemption.rule == exemption.rule
                        and _overlaps(other.exemption, exemption)
                    ),
                    None,
                )
                if clash is not None:
                    problems.add(
                        path,
                        doc.line(*loc, "starts_on"),
                        where,
                        f"overlaps the exemption at {clash.location} "
                        f"({clash.exemption.starts_on} to {clash.exemption.expires_on or 'no expiry'})",
                        "one exemption per entity and rule at a time: end the first one "
                        "(expires_on) before the next one starts",
                    )
                    continue
                result.append(located)
    return result


def _check(
    exemption: Exemption,
    entity_ref: str,
    rules_by_scorecard: dict[str, set[str]],
    known_entities: set[str] | None,
    invalid_scorecards: set[str] = frozenset(),
) -> tuple[str, str, str] | None:
    """The first problem of one well-formed exemption: (key, message, hint), or None.

    A scorecard that is invalid (and reported as such) has no rules to check against."""
    checkable = exemption.scorecard not in invalid_scorecards and not (
        UNREADABLE in invalid_scorecards and exemption.scorecard not in rules_by_scorecard
    )
    if checkable and exemption.scorecard not in rules_by_scorecard:
        return (
            "scorecard",
            f"unknown scorecard '{exemption.scorecard}'",
            f"use one of {', '.join(sorted(rules_by_scorecard)) or '(none loaded)'}",
        )
    if (
        checkable
        and exemption.rule != WHOLE_SCORECARD
        and exemption.rule not in rules_by_scorecard[exemption.scorecard]
    ):
        return (
            "rule",
            f"unknown rule '{exemption.rule}' in scorecard '{exemption.scorecard}'",
            f"use a rule id of that scorecard, or '{WHOLE_SCORECARD}' for all of it",
        )
    if exemption.expires_on is not None and exemption.expires_on < exemption.starts_on:
        return (
            "expires_on",
            f"expires_on {exemption.expires_on} is before starts_on {exemption.starts_on}",
            "swap the dates or fix the typo",
        )
    if exemption.expires_on is not None and exemption.expires_on == exemption.starts_on:
        return (
            "expires_on",
            f"expires_on {exemption.expires_on} is the same day as starts_on: "
            "the exemption would never apply",
            "expires_on is the first day it no longer applies: set it after starts_on",
        )
    if exemption.approved_by.casefold() == exemption.requested_by.casefold():
        return (
            "approved_by",
            f"approved by its own requester ({exemption.requested_by})",
            "an exemption needs the approval of someone other than who asked for it",
        )
    if known_entities is not None and entity_ref not in known_entities:
        return (
            "entity",
            f"unknown entity '{entity_ref}' (not in the catalog)",
            "use the entity's ref as in the catalog, e.g. component:default/name",
        )
    return None
