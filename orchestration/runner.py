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

from orchestration.build import EVALUATE_JOB, INGEST_JOB, build_definitions
from orchestration.evaluation.rule_probe import RuleError, observed_rule_errors
from orchestration.evaluation.sensors import REEVALUATE_TAG, TRIGGER_TAG, evaluation_run_config
from orchestration.partitions import window_tags
from orchestration.progress import root_cause
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


EXIT_OK = 0
EXIT_NOT_PUBLISHED = 1
EXIT_PARTIAL = 3
EXIT_AFTER_PUBLISH_FAILED = 4


@dataclass
class RunSummary:
    start: dt.date
    end: dt.date
    success: bool  # evaluated, tested and published
    seconds: float
    run_ids: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # failed evaluation steps
    source_failures: list[str] = field(default_factory=list)  # sources that failed to load
    # rules the database could not evaluate (their outcomes are unknown)
    rule_errors: list[RuleError] = field(default_factory=list)
    # failed tests of the side marts (initiatives, notifications, reports, catalog): shown,
    # not blocking the publish
    warnings: list[str] = field(default_factory=list)
    published: Path | None = None  # set when this run published (even if a later step failed)
    log_path: Path | None = None

    @property
    def exit_code(self) -> int:
        """The command line's exit status (docs/operations.md): 0 published; 3 published,
        but a source failed to load or a rule could not be evaluated (their facts and
        outcomes are unknown); 4 published, but a step after the publish failed; 1 nothing
        published."""
        if self.published is None:
            return EXIT_NOT_PUBLISHED
        if not self.success:
            return EXIT_AFTER_PUBLISH_FAILED
        if self.source_failures or self.rule_errors:
            return EXIT_PARTIAL
        return EXIT_OK


def _failures(result) -> list[str]:
    return [
        f"{event.step_key}: {root_cause(event.step_failure_data.error)}"
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
    ]


def _failed_checks(result) -> list[str]:
    """The dbt tests that failed as warnings (side marts), by model and test name. Source
    freshness checks are left out: `unknown` outcomes already say which source is stale."""
    failed = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed or evaluation.asset_key.path[0].startswith("raw_"):
            continue
        failed.append(
            f"test {evaluation.check_name} on {'/'.join(evaluation.asset_key.path)} failed "
            "(the day's scores were published; see the dbt log)"
        )
    return sorted(set(failed))


def run_days(
    settings: Settings,
    start: dt.date,
    end: dt.date | None = None,
    *,
    reevaluate: bool = False,
    trigger: str = "cli",
    quiet: bool = False,
) -> RunSummary:
    """Ingest, then evaluate and publish, ``start``..``end`` (inclusive), in-process.

    Two Dagster runs, as the schedule and sensors do it: ingestion (every configured
    source; one failing does not stop the others), then evaluation (one dbt invocation
    over the whole range, tests, publish) whatever ingestion's outcome.
    """
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
    instance = dagster_instance(settings)
    tags = {
        **window_tags(start, end),
        TRIGGER_TAG: trigger,
        REEVALUATE_TAG: "true" if reevaluate else "false",
    }
    loggers = {"loggers": {"progress": {"config": {"quiet": quiet}}}}
    began = time.monotonic()
    summary = RunSummary(start=start, end=end, success=False, seconds=0.0)
    # dbt's own log lines go to a file; the progress logger prints one line per step.
    summary.log_path = settings.dbt_log_dir / "last-run.log"
    with summary.log_path.open("w") as log, contextlib.redirect_stdout(log):
        ingest = defs.resolve_job_def(INGEST_JOB)
        if ingest.asset_layer.selected_asset_keys:
            result = ingest.execute_in_process(
                run_config=loggers, instance=instance, tags=tags, raise_on_error=False
            )
            summary.run_ids.append(result.run_id)
            summary.source_failures = _failures(result)
        result = defs.resolve_job_def(EVALUATE_JOB).execute_in_process(
            run_config={**loggers, **evaluation_run_config(reevaluate, trigger)},
            instance=instance,
            tags=tags,
            raise_on_error=False,
        )
    summary.run_ids.append(result.run_id)
    summary.failures = _failures(result)
    summary.warnings = _failed_checks(result)
    summary.success = result.success
    summary.rule_errors = observed_rule_errors(result)
    # Published even when a later step (notifications) failed: say so, not the opposite.
    published = any(
        event.asset_key == dg.AssetKey("published_warehouse")
        for event in result.get_asset_materialization_events()
    )
    summary.published = settings.published_path if published else None
    summary.seconds = time.monotonic() - began
    return summary


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
