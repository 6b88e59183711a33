"""dlt source: the standards as code (scorecards and exemptions), validated and compiled.

Tables (dataset ``raw_scorecards``): ``snapshots`` (which definition hash of each
scorecard a load put in force), ``scorecards``, ``levels``, ``rules`` (appended per load;
staging keeps one row per definition hash) and ``exemptions`` (the full set per load).
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
    )
