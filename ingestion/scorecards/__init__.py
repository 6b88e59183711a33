"""dlt source: the standards as code (scorecards, exemptions and initiatives), validated
and compiled.

Tables (dataset ``raw_scorecards``): ``snapshots`` (which definition hash of each
scorecard a load put in force), ``scorecards``, ``levels``, ``rules`` (appended per load;
staging keeps one row per definition hash), ``exemptions`` (the full set per load), and
for initiatives ``initiative_snapshots`` (which definition hash of each initiative a load
put in force), ``initiatives``, ``initiative_rules`` (the target rules) and
``initiative_teams`` (the team filter), appended per load like scorecards.
Invalid standards raise ``SpecError`` before anything is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import dlt

from ingestion.snapshots import hints, snapshot_table, utc_now
from readiness.facts import load_facts
from readiness.initiatives import CompiledInitiative
from readiness.scorecards import CompiledScorecard
from readiness.standards import Standards, load_standards


def _facts_spec(names: tuple[str, ...]) -> str:
    """``fact:source:kind,...``: what dbt needs to explain an unknown outcome."""
    facts = load_facts()
    return ",".join(f"{n}:{facts[n].source}:{facts[n].kind}" for n in names)


def scorecard_rows(scorecard: CompiledScorecard) -> dict[str, list[dict[str, Any]]]:
    """The warehouse rows of one compiled scorecard definition."""
    definition = scorecard.scorecard
    key = {"scorecard_id": scorecard.id, "definition_hash": scorecard.definition_hash}
    rules = []
    for position, compiled in enumerate(scorecard.rules, start=1):
        rule = compiled.rule
        rules.append(
            {
                **key,
                "rule_id": rule.id,
                "name": rule.name,
                "level": rule.level,
                "level_rank": compiled.level_rank,
                "points": rule.points,
                "description": rule.description.strip(),
                "remediation": rule.remediation.strip(),
                "effective_from": rule.effective_from,
                "condition_text": compiled.condition.source_text,
                "condition_sql_duckdb": compiled.condition.sql["duckdb"],
                "condition_sql_postgres": compiled.condition.sql["postgres"],
                "condition_facts": _facts_spec(compiled.condition.facts),
                "applies_to_text": compiled.applies_to.source_text if compiled.applies_to else None,
                "applies_to_sql_duckdb": compiled.applies_to.sql["duckdb"]
                if compiled.applies_to
                else None,
                "applies_to_sql_postgres": compiled.applies_to.sql["postgres"]
                if compiled.applies_to
                else None,
                "applies_to_facts": _facts_spec(compiled.applies_to.facts)
                if compiled.applies_to
                else None,
                "position": position,
            }
        )
    return {
        "scorecards": [
            {
                **key,
                "name": definition.name,
                "description": definition.description.strip(),
                "owner": definition.owner,
                "applies_to_text": scorecard.applies_to.source_text,
                "applies_to_sql_duckdb": scorecard.applies_to.sql["duckdb"],
                "applies_to_sql_postgres": scorecard.applies_to.sql["postgres"],
                "definition_json": json.dumps(
                    definition.model_dump(mode="json"), sort_keys=True, separators=(",", ":")
                ),
                "file": str(scorecard.file),
                "first_loaded_at": utc_now(),
            }
        ],
        "levels": [
            {**key, "level": level.name, "level_rank": rank, "description": level.description}
            for rank, level in enumerate(definition.levels, start=1)
        ],
        "rules": rules,
    }


def initiative_rows(compiled: CompiledInitiative) -> dict[str, list[dict[str, Any]]]:
    """The warehouse rows of one compiled initiative definition."""
    initiative = compiled.initiative
    settings = initiative.notifications
    key = {"initiative_id": compiled.id, "definition_hash": compiled.definition_hash}
    condition = compiled.entity_filter
    return {
        "initiatives": [
            {
                **key,
                "name": initiative.name,
                "description": initiative.description.strip(),
                "scorecard_id": initiative.scorecard,
                "target_type": "level" if compiled.target_level else "rules",
                "target_level": compiled.target_level,
                "target_level_rank": compiled.target_level_rank,
                "entity_filter_text": condition.source_text if condition else None,
                "entity_filter_sql_duckdb": condition.sql["duckdb"] if condition else None,
                "entity_filter_sql_postgres": condition.sql["postgres"] if condition else None,
                "start_date": initiative.start_date,
                "due_date": initiative.due_date,
                "owner_ref": compiled.owner_ref,
                "channels": ",".join(settings.channels),
                "digest_cadence": settings.digest.cadence,
                "digest_weekday": settings.digest.weekday,
                "reminder_days": ",".join(str(d) for d in sorted(set(settings.reminders))),
                "escalate_overdue": settings.escalate_overdue,
                "level_drop_alerts": settings.level_drop_alerts,
                "definition_json": json.dumps(
                    initiative.model_dump(mode="json"), sort_keys=True, separators=(",", ":")
                ),
                "file": str(compiled.file),
                "line": compiled.line,
                "first_loaded_at": utc_now(),
            }
        ],
        "initiative_rules": [
            {**key, "rule_id": rule_id, "position": position}
            for position, rule_id in enumerate(compiled.target_rules, start=1)
        ],
        "initiative_teams": [{**key, "team_ref": team_ref} for team_ref in compiled.team_refs],
    }


_COLUMNS: dict[str, dict[str, str]] = {
    "scorecards": {
        "scorecard_id": "text",
        "definition_hash": "text",
        "name": "text",
        "description": "text",
        "owner": "text",
        "applies_to_text": "text",
        "applies_to_sql_duckdb": "text",
        "applies_to_sql_postgres": "text",
        "definition_json": "text",
        "file": "text",
        "first_loaded_at": "timestamp",
    },
    "levels": {
        "scorecard_id": "text",
        "definition_hash": "text",
        "level": "text",
        "level_rank": "bigint",
        "description": "text",
    },
    "rules": {
        "scorecard_id": "text",
        "definition_hash": "text",
        "rule_id": "text",
        "name": "text",
        "level": "text",
        "level_rank": "bigint",
        "points": "bigint",
        "description": "text",
        "remediation": "text",
        "effective_from": "date",
        "condition_text": "text",
        "condition_sql_duckdb": "text",
        "condition_sql_postgres": "text",
        "condition_facts": "text",
        "applies_to_text": "text",
        "applies_to_sql_duckdb": "text",
        "applies_to_sql_postgres": "text",
        "applies_to_facts": "text",
        "position": "bigint",
    },
    "initiatives": {
        "initiative_id": "text",
        "definition_hash": "text",
        "name": "text",
        "description": "text",
        "scorecard_id": "text",
        "target_type": "text",
        "target_level": "text",
        "target_level_rank": "bigint",
        "entity_filter_text": "text",
        "entity_filter_sql_duckdb": "text",
        "entity_filter_sql_postgres": "text",
        "start_date": "date",
        "due_date": "date",
        "owner_ref": "text",
        "channels": "text",
        "digest_cadence": "text",
        "digest_weekday": "text",
        "reminder_days": "text",
        "escalate_overdue": "bool",
        "level_drop_alerts": "bool",
        "definition_json": "text",
        "file": "text",
        "line": "bigint",
        "first_loaded_at": "timestamp",
    },
    "initiative_rules": {
        "initiative_id": "text",
        "definition_hash": "text",
        "rule_id": "text",
        "position": "bigint",
    },
    "initiative_teams": {
        "initiative_id": "text",
        "definition_hash": "text",
        "team_ref": "text",
    },
}


@dlt.source(name="scorecards", max_table_nesting=0)
def scorecards_source(path: str = dlt.config.value, snapshot_on: dt.date | None = None):
    """Validate the standards folder (config ``sources.scorecards.path``) and load it."""
    folder = Path(path)
    day = snapshot_on or dt.datetime.now(dt.UTC).date()

    @cache
    def standards() -> Standards:
        return load_standards(folder)

    def table(name: str):
        def rows():
            for scorecard in standards().scorecards:
                yield from scorecard_rows(scorecard)[name]

        return dlt.resource(
            rows, name=name, write_disposition="append", columns=hints(_COLUMNS[name])
        )

    def initiative_table(name: str):
        def rows():
            for initiative in standards().initiatives:
                yield from initiative_rows(initiative)[name]

        return dlt.resource(
            rows, name=name, write_disposition="append", columns=hints(_COLUMNS[name])
        )

    def initiatives_in_force():
        for initiative in standards().initiatives:
            yield {
                "initiative_id": initiative.id,
                "definition_hash": initiative.definition_hash,
                "snapshot_on": day,
                "loaded_at": utc_now(),
            }

    def in_force():
        for scorecard in standards().scorecards:
            yield {
                "scorecard_id": scorecard.id,
                "definition_hash": scorecard.definition_hash,
                "snapshot_on": day,
                "loaded_at": utc_now(),
            }

    def exemptions():
        for located in standards().exemptions:
            exemption = located.exemption
            yield {
                "entity_ref": located.entity_ref,
                "scorecard_id": exemption.scorecard,
                "rule_id": exemption.rule,
                "reason": exemption.reason.strip(),
                "requested_by": exemption.requested_by,
                "approved_by": exemption.approved_by,
                "starts_on": exemption.starts_on,
                "expires_on": exemption.expires_on,
                "file": str(located.file),
                "line": located.line,
            }

    return (
        dlt.resource(
            in_force,
            name="snapshots",
            write_disposition="append",
            columns=hints(
                {
                    "scorecard_id": "text",
                    "definition_hash": "text",
                    "snapshot_on": "date",
                    "loaded_at": "timestamp",
                }
            ),
        ),
        table("scorecards"),
        table("levels"),
        table("rules"),
        snapshot_table(
            "exemptions",
            [(day, folder)],
            lambda _day, _folder: exemptions(),
            {
                "entity_ref": "text",
                "scorecard_id": "text",
                "rule_id": "text",
                "reason": "text",
                "requested_by": "text",
                "approved_by": "text",
                "starts_on": "date",
                "expires_on": "date",
                "file": "text",
                "line": "bigint",
            },
        ),
        dlt.resource(
            initiatives_in_force,
            name="initiative_snapshots",
            write_disposition="append",
            columns=hints(
                {
                    "initiative_id": "text",
                    "definition_hash": "text",
                    "snapshot_on": "date",
                    "loaded_at": "timestamp",
                }
            ),
        ),
        initiative_table("initiatives"),
        initiative_table("initiative_rules"),
        initiative_table("initiative_teams"),
    )
