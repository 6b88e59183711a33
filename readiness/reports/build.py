"""Building a report from the published warehouse, and nothing else.

Every figure comes from the marts of ``published.duckdb`` opened read-only through
:func:`readiness.warehouse.connect_published`: the working warehouse is never opened, so
a report can be built while a run is in progress and shows what was published.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import duckdb

from readiness.errors import ReadinessError
from readiness.refs import normalize_ref
from readiness.reports.model import (
    MAX_DOCUMENT_OUTCOMES,
    DaySummary,
    Definition,
    EntityScore,
    EvaluationRecord,
    ExemptionRecord,
    LevelCount,
    LevelDefinition,
    Report,
    ReportFilters,
    RuleDefinition,
    RuleOutcome,
    Scope,
    SourceStatus,
)
from readiness.reports.redact import redact
from readiness.reports.suggest import suggest
from readiness.settings import Settings
from readiness.warehouse import connect_published

# The marts a report reads; a published warehouse older than the report code lacks some.
REQUIRED_MARTS = (
    "fct_entity_scores",
    "fct_rule_outcomes",
    "fct_entity_facts",
    "fct_evaluations",
    "fct_exemptions_daily",
    "fct_source_loads",
    "dim_scorecards",
    "dim_rules",
    "dim_levels",
    "dim_entities",
    "dim_teams",
)


class ReportError(ReadinessError):
    """The report cannot be built as asked (unknown scorecard, entity, empty range, ...)."""


def generator() -> str:
    try:
        return f"readiness {version('readiness')}"
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "readiness"


def build_report(
    settings: Settings, filters: ReportFilters, *, now: dt.datetime | None = None
) -> Report:
    """The report for ``filters``, read from the published warehouse of ``settings``.

    Raises WarehouseError when nothing is published and ReportError when the filters do
    not match what was published (with what would).
    """
    if settings.backend != "duckdb":
        raise ReportError(
            f"readiness report reads the published DuckDB warehouse; with the "
            f"{settings.backend} backend, query its marts schema with any SQL client"
        )
    connection = connect_published(settings)
    try:
        return _Builder(connection, filters).build(now or dt.datetime.now(dt.UTC))
    finally:
        connection.close()


def _ref(value: str, kind: str, what: str) -> str:
    try:
        return normalize_ref(value, default_kind=kind)
    except ValueError as exc:
        raise ReportError(f"{what}: {exc}") from exc


class _Builder:
    def __init__(self, connection: duckdb.DuckDBPyConnection, filters: ReportFilters):
        self.db = connection
        self.filters = filters

    # --- helpers --------------------------------------------------------------------
    def rows(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> list[dict]:
        cursor = self.db.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        # Every text read from the warehouse goes through the secret scrub.
        return [
            {n: redact(v) if isinstance(v, str) else v for n, v in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]

    def column(self, sql: str, params: list[Any] | None = None) -> list[Any]:
        return [row[0] for row in self.db.execute(sql, params or []).fetchall()]

    # --- resolution of the filters ---------------------------------------------------
    def check_marts(self) -> None:
        present = set(
            self.column(
                "select table_name from information_schema.tables "
                "where table_catalog = 'warehouse' and table_schema = 'marts'"
            )
        )
        missing = [name for name in REQUIRED_MARTS if name not in present]
        if missing:
            raise ReportError(
                f"the published warehouse has no marts.{', marts.'.join(missing)}: it was built "
                "by an older version; run `readiness run` once to rebuild and publish it"
            )

    def resolve_scope(self) -> tuple[Scope, list[dt.date], list[dt.date]]:
        f = self.filters
        scorecards = self.rows(
            "select scorecard_id, name, is_current, last_in_force_on from marts.dim_scorecards "
            "order by scorecard_id, is_current desc, last_in_force_on desc nulls last"
        )
        names = {row["scorecard_id"]: row["name"] for row in reversed(scorecards)}
        if f.scorecard not in names:
            raise ReportError(
                f"unknown scorecard '{f.scorecard}': {suggest(f.scorecard, sorted(names))}"
            )
        evaluated = self.column(
            "select distinct evaluated_on from marts.fct_entity_scores "
            "where scorecard_id = ? order by 1",
            [f.scorecard],
        )
        if not evaluated:
            raise ReportError(
                f"scorecard '{f.scorecard}' has no published evaluation yet: run `readiness run`"
            )
        span = f"evaluated from {evaluated[0]} to {evaluated[-1]}"
        if f.day is not None:
            if f.day not in evaluated:
                raise ReportError(
                    f"scorecard '{f.scorecard}' was not evaluated on {f.day} ({span}, "
                    f"{len(evaluated)} days)"
                )
            first = last = f.day
        elif f.start is not None or f.end is not None:
            first = f.start or evaluated[0]
            last = f.end or evaluated[-1]
            if last < first:
                raise ReportError(f"the range ends ({last}) before it starts ({first})")
        else:
            first = last = evaluated[-1]
        days = [day for day in evaluated if first <= day <= last]
        if not days:
            raise ReportError(
                f"no evaluation of scorecard '{f.scorecard}' between {first} and {last} ({span})"
            )
        missing = [
            days[0] + dt.timedelta(days=i)
            for i in range((days[-1] - days[0]).days + 1)
            if days[0] + dt.timedelta(days=i) not in set(days)
        ]

        entity_ref = domain_ref = team_ref = None
        team_tree: list[str] = []
        if f.entity:
            entity_ref = _ref(f.entity, "component", "--entity")
            known = self.column("select entity_ref from marts.dim_entities order by 1")
            if entity_ref not in known:
                raise ReportError(
                    f"unknown entity '{entity_ref}': not in the published catalog "
                    f"({suggest(entity_ref, known)})"
                )
        if f.domain:
            domain_ref = _ref(f.domain, "domain", "--domain")
            domains = self.column(
                "select entity_ref from marts.dim_entities where kind = 'domain' union "
                "select distinct domain_ref from marts.fct_entity_facts "
                "where domain_ref is not null order by 1"
            )
            if domain_ref not in domains:
                raise ReportError(f"unknown domain '{domain_ref}': {suggest(domain_ref, domains)}")
        if f.team:
            team_ref = _ref(f.team, "group", "--team")
            teams = self.rows("select team_ref, parent_ref from marts.dim_teams order by team_ref")
            refs = [row["team_ref"] for row in teams]
            if team_ref not in refs:
                raise ReportError(f"unknown team '{team_ref}': {suggest(team_ref, refs)}")
            children: dict[str, list[str]] = {}
            for row in teams:
                children.setdefault(row["parent_ref"], []).append(row["team_ref"])
            pending = [team_ref]
            while pending:
                current = pending.pop()
                if current not in team_tree:
                    team_tree.append(current)
                    pending.extend(children.get(current, []))
        scope = Scope(
            scorecard_id=f.scorecard,
            scorecard_name=names[f.scorecard],
            domain_ref=domain_ref,
            team_ref=team_ref,
            team_tree=sorted(team_tree),
            entity_ref=entity_ref,
            requested_first_day=first,
            requested_last_day=last,
        )
        return scope, days, missing

    # --- the scoped queries ------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        return {
            "scorecard": self.scope.scorecard_id,
            "first": self.days[0],
            "last": self.days[-1],
            "domain": self.scope.domain_ref,
            "entity": self.scope.entity_ref,
            "teams": self.scope.team_tree,
        }

    # (day, entity) pairs the report covers: scored by the scorecard that day, and in the
    # domain / team tree that day (owner and domain as they were, like the rollups).
    SCOPE = """
        scope as (
            select scores.evaluated_on, scores.entity_ref,
                case when facts.owner_resolved then facts.owner_ref end as team_ref,
                facts.domain_ref
            from marts.fct_entity_scores as scores
            left join marts.fct_entity_facts as facts
                on facts.evaluated_on = scores.evaluated_on
                and facts.entity_ref = scores.entity_ref
            where scores.scorecard_id = $scorecard
                and scores.evaluated_on between $first and $last
                and (cast($domain as varchar) is null or facts.domain_ref = $domain)
                and (cast($entity as varchar) is null or scores.entity_ref = $entity)
                and (
                    len(cast($teams as varchar[])) = 0
                    or (facts.owner_resolved
                        and list_contains(cast($teams as varchar[]), facts.owner_ref))
                )
        )
    """

    def scoped(self, body: str) -> list[dict]:
        return self.rows(f"with {self.SCOPE} {body}", self.params())

    def entities(self) -> list[EntityScore]:
        rows = self.scoped(
            """
            select scores.evaluated_on, scores.entity_ref, scope.team_ref, scope.domain_ref,
                scores.score_pct, scores.level, scores.level_rank, scores.potential_level,
                scores.next_level, scores.points_earned, scores.points_possible,
                scores.pass_count, scores.fail_count, scores.unknown_count,
                scores.exempt_count, scores.not_applicable_count, scores.definition_hash
            from marts.fct_entity_scores as scores
            inner join scope
                on scope.evaluated_on = scores.evaluated_on
                and scope.entity_ref = scores.entity_ref
            where scores.scorecard_id = $scorecard
            order by scores.evaluated_on, scores.entity_ref
            """
        )
        return [EntityScore(**row) for row in rows]

    def outcomes(self) -> list[RuleOutcome]:
        rows = self.scoped(
            """
            select outcomes.evaluated_on, outcomes.entity_ref, outcomes.rule_id,
                rules.name as rule_name, outcomes.level, outcomes.level_rank, outcomes.outcome,
                outcomes.points_possible, outcomes.points_earned, outcomes.reason,
                outcomes.fact_values, rules.remediation, outcomes.definition_hash
            from marts.fct_rule_outcomes as outcomes
            inner join scope
                on scope.evaluated_on = outcomes.evaluated_on
                and scope.entity_ref = outcomes.entity_ref
            left join marts.dim_rules as rules
                on rules.scorecard_id = outcomes.scorecard_id
                and rules.definition_hash = outcomes.definition_hash
                and rules.rule_id = outcomes.rule_id
            where outcomes.scorecard_id = $scorecard
            order by outcomes.evaluated_on, outcomes.entity_ref, outcomes.level_rank,
                rules.position, outcomes.rule_id
            """
        )
        return [RuleOutcome(**row) for row in rows]

    def summary(self) -> list[DaySummary]:
        # The same arithmetic as marts.fct_scores_daily (macro round_pct), over the scope.
        rows = self.scoped(
            """
            select scores.evaluated_on,
                min(scores.definition_hash) as definition_hash,
                cast(count(*) as integer) as entity_count,
                cast(round(cast(avg(scores.score_pct) as decimal(38, 10)), 2) as double)
                    as avg_score_pct,
                case when sum(scores.points_possible) > 0
                    then cast(round(cast(
                        100.0 * sum(scores.points_earned) / sum(scores.points_possible)
                        as decimal(38, 10)), 2) as double)
                end as points_score_pct,
                cast(sum(case when scores.level is null then 1 else 0 end) as integer)
                    as entities_without_level,
                cast(sum(scores.pass_count) as integer) as pass_count,
                cast(sum(scores.fail_count) as integer) as fail_count,
                cast(sum(scores.unknown_count) as integer) as unknown_count,
                cast(sum(scores.exempt_count) as integer) as exempt_count,
                cast(sum(scores.not_applicable_count) as integer) as not_applicable_count
            from marts.fct_entity_scores as scores
            inner join scope
                on scope.evaluated_on = scores.evaluated_on
                and scope.entity_ref = scores.entity_ref
            where scores.scorecard_id = $scorecard
            group by scores.evaluated_on
            order by scores.evaluated_on
            """
        )
        return [DaySummary(**row) for row in rows]

    def levels(self) -> list[LevelCount]:
        # Every level of the day's ladder, zero included, like marts.fct_level_counts_daily.
        rows = self.scoped(
            """,
            scores as (
                select scores.evaluated_on, scores.definition_hash, scores.level_rank
                from marts.fct_entity_scores as scores
                inner join scope
                    on scope.evaluated_on = scores.evaluated_on
                    and scope.entity_ref = scores.entity_ref
                where scores.scorecard_id = $scorecard
            ),
            ladder as (
                select definition_hash, level, level_rank
                from marts.dim_levels where scorecard_id = $scorecard
                union all
                select distinct definition_hash, cast(null as varchar), 0
                from marts.dim_levels where scorecard_id = $scorecard
            ),
            days as (select distinct evaluated_on, definition_hash from scores)
            select days.evaluated_on, ladder.level, ladder.level_rank,
                cast(count(scores.level_rank) as integer) as entity_count
            from days
            inner join ladder on ladder.definition_hash = days.definition_hash
            left join scores
                on scores.evaluated_on = days.evaluated_on
                and scores.definition_hash = days.definition_hash
                and scores.level_rank = ladder.level_rank
            group by days.evaluated_on, ladder.level, ladder.level_rank
            order by days.evaluated_on, ladder.level_rank
            """
        )
        return [LevelCount(**row) for row in rows]

    def exemptions(self) -> list[ExemptionRecord]:
        # Unfiltered, every exemption of the scorecard shows (even one naming an entity the
        # scorecard did not evaluate); filtered, those of the entities in scope.
        narrowed = bool(self.scope.entity_ref or self.scope.domain_ref or self.scope.team_ref)
        rows = self.scoped(
            f"""
            select exemptions.entity_ref, exemptions.rule_id, exemptions.starts_on,
                arg_max(exemptions.reason, exemptions.evaluated_on) as reason,
                arg_max(exemptions.requested_by, exemptions.evaluated_on) as requested_by,
                arg_max(exemptions.approved_by, exemptions.evaluated_on) as approved_by,
                arg_max(exemptions.expires_on, exemptions.evaluated_on) as expires_on,
                arg_max(exemptions.status, exemptions.evaluated_on) as status,
                max(exemptions.evaluated_on) as status_on,
                cast(count(*) filter (where exemptions.status = 'active') as integer)
                    as active_days,
                cast(sum(exemptions.exempted_outcome_count) as integer)
                    as exempted_outcome_count,
                arg_max(exemptions.file, exemptions.evaluated_on) as file,
                arg_max(exemptions.line, exemptions.evaluated_on) as line
            from marts.fct_exemptions_daily as exemptions
            where exemptions.scorecard_id = $scorecard
                and exemptions.evaluated_on between $first and $last
                {"and exemptions.entity_ref in (select entity_ref from scope)" if narrowed else ""}
            group by exemptions.entity_ref, exemptions.rule_id, exemptions.starts_on
            order by case arg_max(exemptions.status, exemptions.evaluated_on)
                    when 'active' then 0 when 'not_started' then 1 else 2 end,
                exemptions.entity_ref, exemptions.rule_id, exemptions.starts_on
            """
        )
        return [ExemptionRecord(**row) for row in rows]

    def definitions(self, entities: list[EntityScore]) -> list[Definition]:
        days_by_hash: dict[str, set[dt.date]] = {}
        for row in entities:
            days_by_hash.setdefault(row.definition_hash, set()).add(row.evaluated_on)
        result = []
        for definition_hash, days in sorted(days_by_hash.items(), key=lambda kv: min(kv[1])):
            key = [self.scope.scorecard_id, definition_hash]
            (card,) = self.rows(
                "select scorecard_id, definition_hash, name, description, owner, "
                "applies_to_text as applies_to, first_in_force_on, last_in_force_on "
                "from marts.dim_scorecards where scorecard_id = ? and definition_hash = ?",
                key,
            )
            levels = self.rows(
                "select level, level_rank, description from marts.dim_levels "
                "where scorecard_id = ? and definition_hash = ? order by level_rank",
                key,
            )
            rules = self.rows(
                "select rule_id, name, level, level_rank, points, description, remediation, "
                "effective_from, condition_text as condition, applies_to_text as applies_to, "
                "condition_facts as facts, position from marts.dim_rules "
                "where scorecard_id = ? and definition_hash = ? order by position",
                key,
            )
            result.append(
                Definition(
                    **card,
                    days=sorted(days),
                    levels=[LevelDefinition(**row) for row in levels],
                    rules=[RuleDefinition(**row) for row in rules],
                )
            )
        return result

    def sources(self, definitions: list[Definition]) -> list[SourceStatus]:
        needed: dict[str, set[str]] = {}
        for definition in definitions:
            for rule in definition.rules:
                for spec in (rule.facts or "").split(","):
                    parts = spec.split(":")
                    if len(parts) >= 2 and parts[1]:
                        needed.setdefault(parts[1], set()).add(rule.rule_id)
        rows = self.rows(
            """
            select source_name, provider,
                max(snapshot_on) filter (where status = 'loaded' and snapshot_on <= $last)
                    as last_snapshot_on,
                arg_max(attempted_at, snapshot_on)
                    filter (where status = 'loaded' and snapshot_on <= $last) as last_loaded_at,
                cast(count(*) filter (
                    where status = 'failed' and snapshot_on between $first and $last
                ) as integer) as failures_in_range,
                max(snapshot_on) filter (
                    where status = 'failed' and snapshot_on between $first and $last
                ) as last_failure_on,
                arg_max(message, attempted_at) filter (
                    where status = 'failed' and snapshot_on between $first and $last
                ) as last_failure_message
            from marts.fct_source_loads
            where snapshot_on <= $last
            group by source_name, provider
            order by source_name, provider
            """,
            {"first": self.days[0], "last": self.days[-1]},
        )
        result = [
            SourceStatus(**row, needed_by_rules=sorted(needed.get(row["source_name"], ())))
            for row in rows
        ]
        seen = {row["source_name"] for row in rows}
        for source_name in sorted(set(needed) - seen):
            result.append(
                SourceStatus(
                    source_name=source_name,
                    provider=None,
                    last_snapshot_on=None,
                    last_loaded_at=None,
                    failures_in_range=0,
                    last_failure_on=None,
                    last_failure_message=None,
                    needed_by_rules=sorted(needed[source_name]),
                )
            )
        return sorted(result, key=lambda s: (s.source_name, s.provider or ""))

    def evaluations(self) -> list[EvaluationRecord]:
        rows = self.rows(
            "select evaluated_on, definition_hash, previous_definition_hash, is_reevaluation, "
            "evaluated_at, trigger, triggered_by, request_id from marts.fct_evaluations "
            "where scorecard_id = $scorecard and evaluated_on between $first and $last "
            "order by evaluated_on, evaluated_at",
            {"scorecard": self.scope.scorecard_id, "first": self.days[0], "last": self.days[-1]},
        )
        return [EvaluationRecord(**row) for row in rows]

    # --- assembly -----------------------------------------------------------------------
    def build(self, now: dt.datetime) -> Report:
        self.check_marts()
        self.scope, self.days, missing = self.resolve_scope()
        entities = self.entities()
        if not entities:
            raise ReportError(
                f"nothing to report: no entity of {self.scope.description} was evaluated "
                f"between {self.days[0]} and {self.days[-1]}"
            )
        days = sorted({row.evaluated_on for row in entities})
        outcomes = self.outcomes()
        definitions = self.definitions(entities)
        latest = definitions[-1] if definitions else None
        return Report(
            title=f"{self.scope.scorecard_name}: compliance report",
            generated_at=now.astimezone(dt.UTC).replace(microsecond=0),
            generator=generator(),
            filters=self.filters,
            scope=self.scope,
            days=days,
            missing_days=missing,
            detail_days=days if len(outcomes) <= MAX_DOCUMENT_OUTCOMES else [days[-1]],
            level_order=[level.level for level in latest.levels] if latest else [],
            summary=self.summary(),
            levels=self.levels(),
            entities=entities,
            outcomes=outcomes,
            exemptions=self.exemptions(),
            definitions=definitions,
            sources=self.sources(definitions),
            evaluations=self.evaluations(),
        )
