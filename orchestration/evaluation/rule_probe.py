"""Rules that cannot be evaluated at run time: found after a failed build, recorded, and
then evaluated as ``unknown`` so that one rule never stops the whole day.

A rule's compiled SQL is validated before anything runs, but some errors only show on
the data: an integer overflow, a cast a value cannot take, a function given a value out
of its domain. dbt evaluates every rule in one statement (``fct_rule_outcomes``), so one
such rule fails the model and everything after it. When that happens the evaluation
probes each rule on its own against the facts the build already wrote (the scorecard's
scope, then the rule's ``applies_to``, then its condition, each on the rows the model
evaluates it on), records the ones the database refuses in
``raw_meta.rule_errors`` for this evaluation request, and builds again: the model then
gives those rules the outcome ``unknown`` with the database's error as the reason.

The probe runs on a connection with no file, network or extension access, like dbt's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import dagster as dg
import duckdb

from readiness.notify.database import Database
from readiness.settings import Settings

MAX_ERROR = 300
OUTCOMES_MODEL = "fct_rule_outcomes"  # the model that evaluates every rule


@dataclass(frozen=True)
class RuleError:
    """One rule the database could not evaluate, and why."""

    scorecard_id: str
    definition_hash: str
    rule_id: str
    part: str  # scope (the scorecard's applies_to), applies_to or condition
    error: str

    def row(self, request_id: str, recorded_at: dt.datetime) -> dict:
        return {
            "request_id": request_id,
            "scorecard_id": self.scorecard_id,
            "definition_hash": self.definition_hash,
            "rule_id": self.rule_id,
            "part": self.part,
            "error": self.error,
            "recorded_at": recorded_at,
        }


def open_for_probe(settings: Settings) -> Database:
    """The working warehouse with external access off (the probe runs rule SQL)."""
    if settings.backend == "postgres":
        import psycopg2

        return Database.postgres(psycopg2.connect(settings.postgres_dsn()))
    connection = duckdb.connect(
        str(settings.warehouse_path),
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    connection.execute("set lock_configuration = true")
    return Database.duckdb(connection)


def database_error(error: BaseException) -> str:
    """The database's message, on one line and short (it is shown as the reason)."""
    text = " ".join(str(error).split()) or type(error).__name__
    # DuckDB appends the statement's text after "LINE n:": the probe's SQL, not the rule's.
    text = text.split(" LINE ", 1)[0]
    return text[:MAX_ERROR]


def _probe(db: Database, rule: dict, part: str, sql: str, where: list[str]) -> RuleError | None:
    try:
        db.tuples(
            f"select count(case when ({sql}) then 1 end) "
            f"from marts.fct_entity_facts as f where {' and '.join(where)}"
        )
    except Exception as exc:  # noqa: BLE001 - any database error makes the rule unknown
        return RuleError(
            rule["scorecard_id"],
            rule["definition_hash"],
            rule["rule_id"],
            part,
            database_error(exc),
        )
    return None


def probe_rules(db: Database) -> list[RuleError]:
    """Evaluate every rule in force on its own over the facts of the evaluation window;
    return the rules the database refuses (each with its first failing part)."""
    dialect = "postgres" if db.backend == "postgres" else "duckdb"
    rules = db.rows(
        "select scorecard_id, definition_hash, rule_id, effective_from, "
        f"condition_sql_{dialect} as condition_sql, applies_to_sql_{dialect} as applies_to_sql, "
        f"scorecard_applies_to_sql_{dialect} as scope_sql "
        "from intermediate.int_rules_current order by scorecard_id, position"
    )
    broken: list[RuleError] = []
    for rule in rules:
        # Each part is evaluated on the rows the model evaluates it on (fct_rule_outcomes):
        # the scope on the window's facts; applies_to where the scope holds, from
        # effective_from on; the condition where applies_to holds too.
        where = ["f.evaluated_on in (select day from intermediate.int_evaluation_days)"]
        steps = [
            ("scope", rule["scope_sql"]),
            ("applies_to", rule["applies_to_sql"]),
            ("condition", rule["condition_sql"]),
        ]
        for part, sql in steps:
            if not sql:
                continue
            error = _probe(db, rule, part, sql, where)
            if error is not None:
                broken.append(error)
                break
            where.append(f"coalesce(({sql}), false)")
            if part == "scope" and rule["effective_from"] is not None:
                where.append(f"f.evaluated_on >= cast('{rule['effective_from']}' as date)")
    return broken


def find_broken_rules(settings: Settings) -> tuple[str, list[RuleError]]:
    """The request dbt is evaluating (``int_evaluation_request``: the errors are recorded
    under it, which is how the rebuild finds them), and the rules it cannot evaluate."""
    db = open_for_probe(settings)
    try:
        ((request_id,),) = db.tuples("select request_id from intermediate.int_evaluation_request")
        return request_id, probe_rules(db)
    finally:
        db.close()


RULE_ERRORS_METADATA = "rule_errors"


def rule_errors_observation(keys, errors: list[RuleError]) -> dg.AssetObservation:
    """The rule errors, on the outcomes' asset: how the run's summary learns of them."""
    key = next(key for key in keys if key.path[-1] == OUTCOMES_MODEL)
    return dg.AssetObservation(
        asset_key=key,
        metadata={RULE_ERRORS_METADATA: dg.MetadataValue.json([asdict(e) for e in errors])},
    )


def observed_rule_errors(result) -> list[RuleError]:
    """The rule errors an evaluation run observed (see rule_errors_observation)."""
    errors: list[RuleError] = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_OBSERVATION":
            continue
        value = event.asset_observation_data.asset_observation.metadata.get(RULE_ERRORS_METADATA)
        if value is not None:
            errors += [RuleError(**item) for item in value.data]
    return errors
