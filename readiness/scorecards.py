"""Scorecards as code: the YAML format, its validation and its compiled form.

A scorecard file (``scorecards/*.yml``) has top-level keys ``id``, ``name``,
``description``, ``levels`` (ordered, lowest first), an optional ``applies_to`` (which
entities the scorecard evaluates) and ``rules``. Validation reports every problem with
file, line, rule id and a hint; nothing half-valid is ever loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from readiness.conditions import CompiledCondition, ConditionError, compile_condition
from readiness.dates import DAY_HINT, Day, pydantic_date_message
from readiness.errors import Problems
from readiness.facts import Fact
from readiness.yamlfile import Document, iter_documents

SLUG = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$"
# In ``invalid``: a scorecard file could not be read at all, so any id may be defined there.
UNREADABLE = "*"
DEFAULT_APPLIES_TO = "kind = 'component'"


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=SLUG)
    description: str = ""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    level: str
    points: int = Field(gt=0)
    description: str = Field(min_length=1)
    remediation: str = Field(min_length=1)
    applies_to: str | dict[str, Any] | None = None
    effective_from: Day | None = None
    condition: str | dict[str, Any]


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    description: str = ""
    owner: str | None = None
    levels: list[Level] = Field(min_length=1)
    applies_to: str | dict[str, Any] = DEFAULT_APPLIES_TO
    rules: list[Rule] = Field(min_length=1)

    @field_validator("levels", mode="before")
    @classmethod
    def _levels_as_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    level_rank: int  # 1 = lowest level
    condition: CompiledCondition
    applies_to: CompiledCondition | None
    line: int | None


@dataclass(frozen=True)
class CompiledScorecard:
    """A validated scorecard with every condition compiled, and its definition hash."""

    scorecard: Scorecard
    file: Path
    applies_to: CompiledCondition
    rules: tuple[CompiledRule, ...]
    definition_hash: str

    @property
    def id(self) -> str:
        return self.scorecard.id

    def level_rank(self, level: str) -> int:
        return [lv.name for lv in self.scorecard.levels].index(level) + 1


def definition_hash(scorecard: Scorecard) -> str:
    """SHA-256 of the scorecard's canonical JSON: equal definitions hash equal.

    Formatting, comments and key order in the YAML do not change the hash; any change
    to a level, rule, point, filter, date or condition does.
    """
    canonical = json.dumps(scorecard.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _pydantic_problems(exc: ValidationError, doc: Document, problems: Problems) -> None:
    data = doc.data if isinstance(doc.data, dict) else {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rules = data.get("rules") or []
            rule = rules[loc[1]] if loc[1] < len(rules) else {}
            rule_id = rule.get("id") if isinstance(rule, dict) else None
            where = f"rule '{rule_id}'" if rule_id else f"rule #{loc[1] + 1}"
        field = ".".join(str(p) for p in loc)
        message = error["msg"]
        hint = None
        if error["type"] == "extra_forbidden":
            message = f"unknown key '{loc[-1]}'"
            hint = "check the spelling; see docs/writing-rules.md for the keys a rule takes"
        elif error["type"] == "missing":
            message = f"missing key '{loc[-1]}'"
        elif error["type"] == "string_pattern_mismatch":
            message = f"{field}: '{error.get('input')}' is not a valid id"
            hint = "use lower-case letters, digits and '-'"
        elif (date_message := pydantic_date_message(error)) is not None:
            message, hint = f"{field}: {date_message}", DAY_HINT
        else:
            message = f"{field}: {message}"
        problems.add(doc.file, doc.line(*loc), where, message, hint)


def _scorecard_documents(path: Path, problems: Problems) -> list[Document]:
    docs = list(iter_documents(path, problems))
    if len(docs) != 1:
        if docs or not problems:
            problems.add(path, None, None, f"expected one YAML document, found {len(docs)}")
        return []
    return docs


def compile_scorecard(doc: Document, facts: dict[str, Fact], problems: Problems):
    """Validate one scorecard document; add problems and return None when invalid."""
    before = len(problems)
    if not isinstance(doc.data, dict):
        problems.add(doc.file, doc.line(), None, "a scorecard file must be a mapping")
        return None
    try:
        scorecard = Scorecard.model_validate(doc.data)
    except ValidationError as exc:
        _pydantic_problems(exc, doc, problems)
        return None

    level_names = [lv.name for lv in scorecard.levels]
    if len(set(level_names)) != len(level_names):
        problems.add(doc.file, doc.line("levels"), None, "duplicate level names", "name each once")

    try:
        applies_to = compile_condition(scorecard.applies_to, facts)
    except ConditionError as exc:
        problems.add(doc.file, doc.line("applies_to"), "applies_to", str(exc), exc.hint)
        applies_to = None

    seen: dict[str, int] = {}
    compiled: list[CompiledRule] = []
    for index, rule in enumerate(scorecard.rules):
        where = f"rule '{rule.id}'"
        line = doc.line("rules", index)
        if rule.id in seen:
            problems.add(
                doc.file,
                doc.line("rules", index, "id"),
                where,
                f"duplicate rule id (first defined on line {seen[rule.id]})",
                "give every rule a unique id",
            )
            continue
        seen[rule.id] = line or 0
        if rule.level not in level_names:
            problems.add(
                doc.file,
                doc.line("rules", index, "level"),
                where,
                f"unknown level '{rule.level}'",
                f"use one of the scorecard's levels: {', '.join(level_names)}",
            )
            continue
        try:
            condition = compile_condition(rule.condition, facts)
        except ConditionError as exc:
            problems.add(
                doc.file,
                doc.line("rules", index, "condition"),
                where,
                f"condition: {exc}",
                exc.hint,
            )
            continue
        rule_filter = None
        if rule.applies_to is not None:
            try:
                rule_filter = compile_condition(rule.applies_to, facts)
            except ConditionError as exc:
                problems.add(
                    doc.file,
                    doc.line("rules", index, "applies_to"),
                    where,
                    f"applies_to: {exc}",
                    exc.hint,
                )
                continue
        compiled.append(
            CompiledRule(rule, level_names.index(rule.level) + 1, condition, rule_filter, line)
        )
    if len(problems) > before or applies_to is None:
        return None
    return CompiledScorecard(
        scorecard, doc.file, applies_to, tuple(compiled), definition_hash(scorecard)
    )


def scorecard_files(folder: Path) -> list[Path]:
    """Scorecards are the YAML files directly in the folder (sub-folders hold other specs)."""
    return sorted(p for p in folder.glob("*") if p.suffix in {".yml", ".yaml"} and p.is_file())


def load_scorecards(
    folder: Path, facts: dict[str, Fact], problems: Problems, invalid: set[str] | None = None
) -> list[CompiledScorecard]:
    """Load and validate every scorecard in ``folder``; problems go to ``problems``.

    ``invalid`` receives the ids of scorecards that were found but are invalid, so that
    exemptions and initiatives naming them are not reported a second time as "unknown".
    """
    if not folder.is_dir():
        problems.add(folder, None, None, "scorecards folder not found", "pass --scorecards DIR")
        return []
    result: list[CompiledScorecard] = []
    files_by_id: dict[str, Path] = {}
    for path in scorecard_files(folder):
        before = len(problems)
        documents = _scorecard_documents(path, problems)
        if not documents and len(problems) > before and invalid is not None:
            invalid.add(UNREADABLE)
        for doc in documents:
            compiled = compile_scorecard(doc, facts, problems)
            if compiled is None:
                raw_id = doc.data.get("id") if isinstance(doc.data, dict) else None
                if invalid is not None and isinstance(raw_id, str):
                    invalid.add(raw_id)
                continue
            if compiled.id in files_by_id:
                problems.add(
                    path,
                    doc.line("id"),
                    f"scorecard '{compiled.id}'",
                    f"duplicate scorecard id (also in {files_by_id[compiled.id]})",
                    "give every scorecard a unique id",
                )
                continue
            files_by_id[compiled.id] = path
            result.append(compiled)
    if not result and not problems:
        problems.add(folder, None, None, "no scorecard found", "add a scorecards/<id>.yml file")
    return result


def slug_ok(value: str) -> bool:
    return re.match(SLUG, value) is not None
