"""The deploy gate: does an entity hold a level in the latest published evaluation?

Three answers, each with its own exit code for pipelines:

- ``ready`` (0): the entity holds the level, or a higher one, on the latest day the
  scorecard was evaluated and published;
- ``not_ready`` (1): it does not; the rules at that level and below that fail or are
  unknown are listed with their reason and remediation (``unknown`` blocks a level like
  ``fail``: a fact is missing or stale, so readiness cannot vouch for it);
- ``cannot_tell`` (2): the question cannot be answered: nothing is published, or the
  scorecard, entity or level is unknown, or the entity was not evaluated on that day, or
  the evaluation is older than the allowed age.

Reads the published warehouse only.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import duckdb
from pydantic import BaseModel, ConfigDict

from readiness.errors import WarehouseError
from readiness.refs import normalize_ref
from readiness.reports.suggest import suggest
from readiness.settings import Settings
from readiness.warehouse import connect_published


class GateStatus(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"
    CANNOT_TELL = "cannot_tell"


EXIT_CODES: dict[GateStatus, int] = {
    GateStatus.READY: 0,
    GateStatus.NOT_READY: 1,
    GateStatus.CANNOT_TELL: 2,
}


class BlockingRule(BaseModel):
    model_config = ConfigDict(frozen=True)
    rule_id: str
    name: str | None
    level: str
    level_rank: int
    outcome: str  # fail or unknown
    reason: str | None
    fact_values: str | None
    remediation: str | None


class GateResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    status: GateStatus
    exit_code: int
    message: str
    entity_ref: str
    scorecard_id: str
    required_level: str
    evaluated_on: dt.date | None = None
    definition_hash: str | None = None
    level: str | None = None  # the level held (None: below the first level)
    potential_level: str | None = None
    score_pct: float | None = None
    blocking_rules: list[BlockingRule] = []

    @property
    def ready(self) -> bool:
        return self.status is GateStatus.READY


def check_gate(
    settings: Settings,
    entity: str,
    scorecard: str,
    level: str,
    *,
    max_age_days: int | None = None,
    today: dt.date | None = None,
) -> GateResult:
    """Answer the gate for one entity, scorecard and level (never raises for bad input)."""
    base = {"entity_ref": entity, "scorecard_id": scorecard, "required_level": level}

    def cannot_tell(message: str, **extra) -> GateResult:
        return GateResult(
            status=GateStatus.CANNOT_TELL,
            exit_code=EXIT_CODES[GateStatus.CANNOT_TELL],
            message=message,
            **{**base, **extra},
        )

    try:
        base["entity_ref"] = normalize_ref(entity, default_kind="component")
    except ValueError as exc:
        return cannot_tell(f"--entity: {exc}")
    if settings.backend != "duckdb":
        return cannot_tell(
            f"the gate reads the published DuckDB warehouse; with the {settings.backend} "
            "backend it cannot tell (query marts.fct_entity_scores on the server instead)"
        )
    try:
        connection = connect_published(settings)
    except WarehouseError as exc:
        return cannot_tell(str(exc))
    try:
        return _check(connection, base, cannot_tell, max_age_days, today)
    except duckdb.CatalogException as exc:
        return cannot_tell(
            f"the published warehouse lacks a mart the gate reads ({str(exc).splitlines()[0]}): "
            "run `readiness run` to rebuild it"
        )
    finally:
        connection.close()


def _check(connection, base, cannot_tell, max_age_days, today) -> GateResult:
    entity_ref, scorecard, level = base["entity_ref"], base["scorecard_id"], base["required_level"]
    scorecards = [
        row[0]
        for row in connection.execute(
            "select distinct scorecard_id from marts.dim_scorecards order by 1"
        ).fetchall()
    ]
    if scorecard not in scorecards:
        return cannot_tell(f"unknown scorecard '{scorecard}': {suggest(scorecard, scorecards)}")
    (latest,) = connection.execute(
        "select max(evaluated_on) from marts.fct_entity_scores where scorecard_id = ?", [scorecard]
    ).fetchone()
    if latest is None:
        return cannot_tell(f"scorecard '{scorecard}' has no published evaluation yet")
    today = today or dt.datetime.now(dt.UTC).date()
    if max_age_days is not None and (today - latest).days > max_age_days:
        return cannot_tell(
            f"the latest published evaluation of '{scorecard}' is of {latest}, "
            f"{(today - latest).days} days ago (more than --max-age-days {max_age_days}): "
            "check that the daily run is running",
            evaluated_on=latest,
        )
    row = connection.execute(
        "select score_pct, level, level_rank, potential_level, definition_hash "
        "from marts.fct_entity_scores "
        "where scorecard_id = ? and evaluated_on = ? and entity_ref = ?",
        [scorecard, latest, entity_ref],
    ).fetchone()
    if row is None:
        known = [
            r[0]
            for r in connection.execute(
                "select entity_ref from marts.dim_entities order by 1"
            ).fetchall()
        ]
        if entity_ref not in known:
            return cannot_tell(
                f"unknown entity '{entity_ref}': not in the published catalog "
                f"({suggest(entity_ref, known)})",
                evaluated_on=latest,
            )
        return cannot_tell(
            f"'{entity_ref}' was not evaluated by '{scorecard}' on {latest}, the latest "
            "evaluated day (outside the scorecard's applies_to, or gone from the catalog)",
            evaluated_on=latest,
        )
    score_pct, held, held_rank, potential, definition_hash = row
    context = {
        "evaluated_on": latest,
        "definition_hash": definition_hash,
        "level": held,
        "potential_level": potential,
        "score_pct": score_pct,
    }
    ladder = connection.execute(
        "select level, level_rank from marts.dim_levels "
        "where scorecard_id = ? and definition_hash = ? order by level_rank",
        [scorecard, definition_hash],
    ).fetchall()
    ranks = {name.lower(): (name, rank) for name, rank in ladder}
    if level.lower() not in ranks:
        names = [name for name, _ in ladder]
        return cannot_tell(
            f"unknown level '{level}' in scorecard '{scorecard}': levels are {' < '.join(names)}",
            **context,
        )
    required, required_rank = ranks[level.lower()]
    base = {**base, "required_level": required}
    holds = "none" if held is None else held
    if held_rank >= required_rank:
        return GateResult(
            status=GateStatus.READY,
            exit_code=EXIT_CODES[GateStatus.READY],
            message=f"{entity_ref} holds {holds} in {scorecard} on {latest} (required: {required})",
            **base,
            **context,
        )
    blocking = connection.execute(
        """
        select outcomes.rule_id, rules.name, outcomes.level, outcomes.level_rank,
            outcomes.outcome, outcomes.reason, outcomes.fact_values, rules.remediation
        from marts.fct_rule_outcomes as outcomes
        left join marts.dim_rules as rules
            on rules.scorecard_id = outcomes.scorecard_id
            and rules.definition_hash = outcomes.definition_hash
            and rules.rule_id = outcomes.rule_id
        where outcomes.scorecard_id = ? and outcomes.evaluated_on = ?
            and outcomes.entity_ref = ? and outcomes.level_rank <= ?
            and outcomes.outcome in ('fail', 'unknown')
        order by outcomes.level_rank, outcomes.outcome, rules.position, outcomes.rule_id
        """,
        [scorecard, latest, entity_ref, required_rank],
    ).fetchall()
    rules = [
        BlockingRule(
            rule_id=r[0],
            name=r[1],
            level=r[2],
            level_rank=r[3],
            outcome=r[4],
            reason=r[5],
            fact_values=r[6],
            remediation=r[7],
        )
        for r in blocking
    ]
    failing = sum(1 for r in rules if r.outcome == "fail")
    unknown = len(rules) - failing
    return GateResult(
        status=GateStatus.NOT_READY,
        exit_code=EXIT_CODES[GateStatus.NOT_READY],
        message=f"{entity_ref} does not hold {required} in {scorecard} on {latest} "
        f"(holds {holds}): {failing} rule(s) fail, {unknown} unknown",
        blocking_rules=rules,
        **base,
        **context,
    )


def render_text(result: GateResult) -> str:
    """The gate's answer for a person reading a pipeline log."""
    label = {
        GateStatus.READY: "READY",
        GateStatus.NOT_READY: "NOT READY",
        GateStatus.CANNOT_TELL: "CANNOT TELL",
    }[result.status]
    lines = [f"{label}: {result.message}"]
    if result.evaluated_on and result.status is not GateStatus.CANNOT_TELL:
        score = "n/a" if result.score_pct is None else f"{result.score_pct:g}%"
        lines.append(
            f"  score {score}, level {result.level or 'none'}, potential "
            f"{result.potential_level or 'none'}, definition {(result.definition_hash or '')[:12]}"
        )
    for rule in result.blocking_rules:
        title = f" ({rule.name})" if rule.name else ""
        lines.append(f"  {rule.outcome:<8} {rule.level}: {rule.rule_id}{title}")
        if rule.reason:
            lines.append(f"           why: {rule.reason}")
        elif rule.fact_values:
            lines.append(f"           facts: {rule.fact_values}")
        if rule.remediation:
            lines.append(f"           fix: {rule.remediation}")
    return "\n".join(lines)
