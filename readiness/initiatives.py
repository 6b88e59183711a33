"""Initiatives as code: ``scorecards/initiatives/*.yml``.

An initiative asks a set of entities to reach a target on a scorecard by a due date: the
target is a list of rule ids (every one must pass) or a level (the entity must hold it).
Which entities: a filter over documented facts (domain, tier, lifecycle, or any SQL
condition, validated exactly like a rule condition) and teams (an entity counts when its
owning team is one of them or sits below one of them). A TPM owns it; notification
settings say which channels to use, how often to send a digest and when to remind.

One initiative per YAML document (a file may hold several, separated by ``---``).
Validation reports every problem with file, line, initiative id and a hint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from readiness.conditions import CompiledCondition, ConditionError, compile_condition
from readiness.dates import DAY_HINT, Day, pydantic_date_message
from readiness.errors import Problems
from readiness.facts import Fact
from readiness.refs import normalize_ref
from readiness.scorecards import SLUG, UNREADABLE, CompiledScorecard
from readiness.yamlfile import Document, iter_documents, yaml_files

INITIATIVES_FOLDER = "initiatives"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Channel = Literal["slack", "email"]


class Target(BaseModel):
    """What "done" means for an entity: every listed rule passes, or it holds the level."""

    model_config = ConfigDict(extra="forbid")
    rules: list[str] | None = Field(default=None, min_length=1)
    level: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Target:
        if (self.rules is None) == (self.level is None):
            raise ValueError("give either 'rules' (a list of rule ids) or 'level', not both")
        return self


class EntityFilter(BaseModel):
    """Which entities of the scorecard's scope the initiative covers (all when empty)."""

    model_config = ConfigDict(extra="forbid")
    domain: str | list[str] | None = None
    team: str | list[str] | None = None
    tier: int | list[int] | None = None
    lifecycle: str | list[str] | None = None
    where: str | dict[str, Any] | None = None


class Digest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cadence: Literal["daily", "weekly", "never"] = "weekly"
    weekday: Literal[WEEKDAYS] = "monday"  # type: ignore[valid-type]


class NotificationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channels: list[Channel] = Field(default_factory=lambda: ["slack", "email"])
    digest: Digest = Field(default_factory=Digest)
    reminders: list[int] = Field(default_factory=lambda: [7, 1])  # days before the due date
    escalate_overdue: bool = True
    level_drop_alerts: bool = True

    @model_validator(mode="before")
    @classmethod
    def _digest_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("digest"), str):
            return {**value, "digest": {"cadence": value["digest"]}}
        return value


class Initiative(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    description: str = ""
    scorecard: str = Field(min_length=1)
    target: Target
    entities: EntityFilter = Field(default_factory=EntityFilter)
    start_date: Day
    due_date: Day
    owner: str = Field(min_length=1)
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)


@dataclass(frozen=True)
class CompiledInitiative:
    """A validated initiative, resolved against its scorecard, with its definition hash."""

    initiative: Initiative
    file: Path
    line: int | None
    owner_ref: str
    target_rules: tuple[str, ...]  # the listed rules (empty for a level target)
    target_level: str | None
    target_level_rank: int | None
    team_refs: tuple[str, ...]
    entity_filter: CompiledCondition | None  # domain, tier, lifecycle and where, combined
    definition_hash: str

    @property
    def id(self) -> str:
        return self.initiative.id


def definition_hash(initiative: Initiative) -> str:
    """SHA-256 of the initiative's canonical JSON (formatting and comments do not count)."""
    canonical = json.dumps(
        initiative.model_dump(mode="json"), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _pydantic_problems(exc: ValidationError, doc: Document, where: str, problems: Problems) -> None:
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
        field = ".".join(str(p) for p in loc)
        hint = "see docs/initiatives.md for the keys an initiative takes"
        if error["type"] == "extra_forbidden":
            message = f"unknown key '{field}'"
        elif error["type"] == "missing":
            message = f"missing key '{field}'"
        elif error["type"] == "string_pattern_mismatch":
            message = f"{field}: '{error.get('input')}' is not a valid id"
            hint = "use lower-case letters, digits and '-'"
        elif (date_message := pydantic_date_message(error)) is not None:
            message, hint = f"{field}: {date_message}", DAY_HINT
        else:
            message = f"{field}: {error['msg']}" if field else str(error["msg"])
        problems.add(doc.file, doc.line(*loc), where, message, hint)


def _refs(
    values: list[Any],
    default_kind: str,
    key: str,
    doc: Document,
    where: str,
    problems: Problems,
    known_entities: set[str] | None,
) -> list[str] | None:
    refs: list[str] = []
    for value in values:
        try:
            ref = normalize_ref(str(value), default_kind=default_kind)
        except ValueError as exc:
            problems.add(doc.file, doc.line("entities", key), where, f"entities.{key}: {exc}")
            return None
        if not ref.startswith(f"{default_kind}:"):
            problems.add(
                doc.file,
                doc.line("entities", key),
                where,
                f"entities.{key}: '{value}' is not a {default_kind}",
                f"name a {default_kind}, e.g. {default_kind}:default/name or just name",
            )
            return None
        if known_entities is not None and ref not in known_entities:
            problems.add(
                doc.file,
                doc.line("entities", key),
                where,
                f"entities.{key}: unknown {default_kind} '{ref}' (not in the catalog)",
                f"use the {default_kind}'s name as in the catalog",
            )
            return None
        refs.append(ref)
    return refs


def _filter(
    entities: EntityFilter,
    facts: dict[str, Fact],
    doc: Document,
    where: str,
    problems: Problems,
    known_entities: set[str] | None,
) -> tuple[bool, CompiledCondition | None]:
    """Compile each fact filter on its own (so an error points at its key), then all of them
    together, as one condition validated like a rule's."""
    parts: list[tuple[str, Any]] = []  # (key, condition as SQL text or declarative mapping)
    domains = _refs(
        _as_list(entities.domain), "domain", "domain", doc, where, problems, known_entities
    )
    if domains is None:
        return False, None
    if domains:
        parts.append(("domain", f"domain_ref in ({', '.join(_sql_string(d) for d in domains)})"))
    if tiers := _as_list(entities.tier):
        parts.append(("tier", f"tier in ({', '.join(str(int(t)) for t in tiers)})"))
    if lifecycles := _as_list(entities.lifecycle):
        values = ", ".join(_sql_string(str(v)) for v in lifecycles)
        parts.append(("lifecycle", f"lifecycle in ({values})"))
    if entities.where is not None:
        parts.append(("where", entities.where))
    ok = True
    texts: list[str] = []
    for key, condition in parts:
        try:
            texts.append(compile_condition(condition, facts).source_text)
        except ConditionError as exc:
            problems.add(
                doc.file, doc.line("entities", key), where, f"entities.{key}: {exc}", exc.hint
            )
            ok = False
    if not ok:
        return False, None
    if not texts:
        return True, None
    combined = texts[0] if len(texts) == 1 else " and ".join(f"({text})" for text in texts)
    return True, compile_condition(combined, facts)


def compile_initiative(
    doc: Document,
    scorecards: dict[str, CompiledScorecard],
    facts: dict[str, Fact],
    problems: Problems,
    known_entities: set[str] | None = None,
) -> CompiledInitiative | None:
    """Validate one initiative document against the scorecards; None when invalid."""
    data = doc.data
    raw_id = data.get("id") if isinstance(data, dict) else None
    where = f"initiative '{raw_id}'" if raw_id else f"document {doc.index + 1}"
    if not isinstance(data, dict):
        problems.add(doc.file, doc.line(), where, "an initiative must be a mapping")
        return None
    try:
        initiative = Initiative.model_validate(data)
    except ValidationError as exc:
        _pydantic_problems(exc, doc, where, problems)
        return None
    before = len(problems)

    scorecard = scorecards.get(initiative.scorecard)
    target_level_rank: int | None = None
    if scorecard is None:
        problems.add(
            doc.file,
            doc.line("scorecard"),
            where,
            f"unknown scorecard '{initiative.scorecard}'",
            f"use one of {', '.join(sorted(scorecards)) or '(no valid scorecard loaded)'}",
        )
    else:
        rule_ids = [r.rule.id for r in scorecard.rules]
        for index, rule_id in enumerate(initiative.target.rules or []):
            if rule_id not in rule_ids:
                problems.add(
                    doc.file,
                    doc.line("target", "rules", index),
                    where,
                    f"unknown rule '{rule_id}' in scorecard '{scorecard.id}'",
                    f"use rule ids of {scorecard.id}: {', '.join(rule_ids)}",
                )
        if len(set(initiative.target.rules or [])) != len(initiative.target.rules or []):
            problems.add(
                doc.file,
                doc.line("target", "rules"),
                where,
                "a rule is listed twice",
                "list each once",
            )
        if initiative.target.level is not None:
            levels = [lv.name for lv in scorecard.scorecard.levels]
            if initiative.target.level not in levels:
                problems.add(
                    doc.file,
                    doc.line("target", "level"),
                    where,
                    f"unknown level '{initiative.target.level}' in scorecard '{scorecard.id}'",
                    f"use one of its levels: {', '.join(levels)}",
                )
            else:
                target_level_rank = scorecard.level_rank(initiative.target.level)

    if initiative.due_date <= initiative.start_date:
        problems.add(
            doc.file,
            doc.line("due_date"),
            where,
            f"due_date {initiative.due_date} is not after start_date {initiative.start_date}",
            "an initiative needs at least one day: check the dates",
        )
    settings = initiative.notifications
    for index, days in enumerate(settings.reminders):
        if not 1 <= days <= 365:
            problems.add(
                doc.file,
                doc.line("notifications", "reminders", index),
                where,
                f"reminder {days} days before the due date is out of range",
                "remind between 1 and 365 days before the due date",
            )
    if len(set(settings.channels)) != len(settings.channels):
        problems.add(
            doc.file, doc.line("notifications", "channels"), where, "a channel is listed twice"
        )
    try:
        owner_ref = normalize_ref(initiative.owner, default_kind="user")
    except ValueError as exc:
        problems.add(doc.file, doc.line("owner"), where, f"owner: {exc}", "write user:default/name")
        owner_ref = ""
    if owner_ref and owner_ref.split(":", 1)[0] not in ("user", "group"):
        problems.add(
            doc.file,
            doc.line("owner"),
            where,
            f"owner '{owner_ref}' is neither a user nor a group",
            "name the TPM (user:default/name) or a group",
        )
    if known_entities is not None and owner_ref and owner_ref not in known_entities:
        problems.add(
            doc.file,
            doc.line("owner"),
            where,
            f"unknown owner '{owner_ref}' (not in the catalog)",
            "name a User or Group of the catalog",
        )

    teams = _refs(
        _as_list(initiative.entities.team), "group", "team", doc, where, problems, known_entities
    )
    filter_ok, entity_filter = _filter(
        initiative.entities, facts, doc, where, problems, known_entities
    )
    if len(problems) > before or teams is None or not filter_ok:
        return None
    return CompiledInitiative(
        initiative=initiative,
        file=doc.file,
        line=doc.line(),
        owner_ref=owner_ref,
        target_rules=tuple(initiative.target.rules or ()),
        target_level=initiative.target.level,
        target_level_rank=target_level_rank,
        team_refs=tuple(teams),
        entity_filter=entity_filter,
        definition_hash=definition_hash(initiative),
    )


def load_initiatives(
    folder: Path,
    scorecards: list[CompiledScorecard],
    facts: dict[str, Fact],
    problems: Problems,
    known_entities: set[str] | None = None,
    invalid_scorecards: set[str] = frozenset(),
) -> list[CompiledInitiative]:
    """Validate every initiative below ``folder`` (a missing folder: no initiatives)."""
    if not folder.is_dir():
        return []
    by_id = {scorecard.id: scorecard for scorecard in scorecards}
    result: list[CompiledInitiative] = []
    seen: dict[str, str] = {}
    for path in yaml_files(folder):
        for doc in iter_documents(path, problems):
            named = doc.data.get("scorecard") if isinstance(doc.data, dict) else None
            if isinstance(named, str) and (
                named in invalid_scorecards
                or UNREADABLE in invalid_scorecards
                and named not in by_id
            ):
                continue  # its scorecard is invalid, and reported: nothing to check against
            compiled = compile_initiative(doc, by_id, facts, problems, known_entities)
            if compiled is None:
                continue
            if compiled.id in seen:
                problems.add(
                    path,
                    doc.line("id"),
                    f"initiative '{compiled.id}'",
                    f"duplicate initiative id (also in {seen[compiled.id]})",
                    "give every initiative a unique id",
                )
                continue
            seen[compiled.id] = f"{path}:{doc.line() or 1}"
            result.append(compiled)
    return result
