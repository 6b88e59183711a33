"""Running the daily job in-process, for the command line and the tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from orchestration.build import DAILY_JOB, build_definitions
from readiness.errors import ReadinessError
from readiness.settings import Settings
from readiness.standards import load_standards

_DAGSTER_YAML = """\
# Written by readiness: run storage lives in this folder; no telemetry.
telemetry:
  enabled: false
"""


def dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """A persistent Dagster instance in ``<home>/dagster`` (runs show in `make dev`)."""
    settings.ensure_home()
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(_DAGSTER_YAML)
    os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home))
    return dg.DagsterInstance.from_config(str(settings.dagster_home))


def root_cause(error) -> str:
    """The innermost error of a Dagster error chain: what the user can act on."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


@dataclass
class RunSummary:
    start: dt.date
    end: dt.date
    success: bool
    seconds: float
    run_id: str
    failures: list[str] = field(default_factory=list)
    published: Path | None = None
    log_path: Path | None = None


def run_days(
    settings: Settings,
    start: dt.date,
    end: dt.date | None = None,
    *,
    reevaluate: bool = False,
    trigger: str = "cli",
    quiet: bool = False,
) -> RunSummary:
    """Materialize the daily job for ``start``..``end`` (inclusive) as one run."""
    end = end or start
    if end < start:
        raise ReadinessError(f"the range ends ({end}) before it starts ({start})")
    if start < settings.history_start:
        raise ReadinessError(f"{start} is before the first evaluable day {settings.history_start}")
    # Standards are validated before anything runs: a typo in a rule fails here, with
    # file, line and rule, before any source is loaded.
    load_standards(settings.scorecards_dir)
    settings.ensure_home()
    defs = build_definitions(settings)
    job = defs.resolve_job_def(DAILY_JOB)
    if start == end:
        partition_args: dict = {"partition_key": start.isoformat()}
        tags: dict[str, str] = {}
    else:
        partition_args = {}
        tags = {
            ASSET_PARTITION_RANGE_START_TAG: start.isoformat(),
            ASSET_PARTITION_RANGE_END_TAG: end.isoformat(),
        }
    run_config = {
        "ops": {"dbt_build": {"config": {"reevaluate": reevaluate, "trigger": trigger}}},
        "loggers": {"progress": {"config": {"quiet": quiet}}},
    }
    began = time.monotonic()
    # dbt's own log lines go to a file; the progress logger prints one line per step.
    log_path = settings.dbt_log_dir / "last-run.log"
    with log_path.open("w") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            run_config=run_config,
            instance=dagster_instance(settings),
            tags={**tags, "readiness/trigger": trigger},
            raise_on_error=False,
            **partition_args,
        )
    failures = [
        f"{event.step_key}: {root_cause(event.step_failure_data.error)}"
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
    ]
    return RunSummary(
        start=start,
        end=end,
        success=result.success,
        seconds=time.monotonic() - began,
        run_id=result.run_id,
        failures=failures,
        published=settings.published_path if result.success else None,
        log_path=log_path,
    )


def summarize(settings: Settings, day: dt.date) -> list[tuple[str, str]]:
    """A few lines about the published evaluation of ``day``, for the end of a run."""
    from readiness.warehouse import connect_published

    connection: duckdb.DuckDBPyConnection = connect_published(settings)
    try:
        scores = connection.execute(
            """
            select scorecard_id, count(*), round(avg(score_pct), 1)
            from marts.fct_entity_scores where evaluated_on = ?
            group by scorecard_id order by scorecard_id
            """,
            [day],
        ).fetchall()
        levels = connection.execute(
            """
            select scorecard_id, coalesce(level, 'none'), count(*)
            from marts.fct_entity_scores where evaluated_on = ?
            group by scorecard_id, level_rank, level order by scorecard_id, level_rank desc
            """,
            [day],
        ).fetchall()
        outcomes = connection.execute(
            """
            select outcome, count(*) from marts.fct_rule_outcomes
            where evaluated_on = ? group by outcome order by outcome
            """,
            [day],
        ).fetchall()
    finally:
        connection.close()
    lines = []
    for scorecard_id, entities, average in scores:
        mix = ", ".join(f"{level} {n}" for sc, level, n in levels if sc == scorecard_id)
        lines.append((scorecard_id, f"{entities} entities, average score {average}% ({mix})"))
    lines.append(("outcomes", ", ".join(f"{o} {n}" for o, n in outcomes) or "none"))
    return lines
