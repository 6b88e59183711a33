"""Evaluate after every ingestion run, whether every source loaded or not.

A source that fails to load must not stop the day's evaluation: its facts become
`unknown` with the reason, the other sources' facts are fresh, and the failure stays
visible in Dagster as a failed step of the ingestion run. So ingestion and evaluation are
two jobs, and these sensors start the evaluation of the same days when an ingestion run
ends, successfully or not.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from orchestration.partitions import FIRST_DAY_TAG, LAST_DAY_TAG, window_tags

REEVALUATE_TAG = "readiness/reevaluate"
TRIGGER_TAG = "readiness/trigger"


def evaluation_run_config(reevaluate: bool, trigger: str) -> dict:
    config = {"config": {"reevaluate": reevaluate, "trigger": trigger}}
    return {"ops": {"dbt_build": config, "dbt_build_daily": config}}


def evaluation_request(run: dg.DagsterRun) -> dg.RunRequest:
    """Evaluate the days the ingestion run loaded, as it was asked to (tags)."""
    today = dt.datetime.now(dt.UTC).date().isoformat()
    first = dt.date.fromisoformat(run.tags.get(FIRST_DAY_TAG, today))
    last = dt.date.fromisoformat(run.tags.get(LAST_DAY_TAG, first.isoformat()))
    reevaluate = run.tags.get(REEVALUATE_TAG) == "true"
    trigger = run.tags.get(TRIGGER_TAG, "schedule")
    return dg.RunRequest(
        run_key=f"evaluate-after-{run.run_id}",
        tags={
            **window_tags(first, last),
            REEVALUATE_TAG: "true" if reevaluate else "false",
            TRIGGER_TAG: trigger,
        },
        run_config=evaluation_run_config(reevaluate, trigger),
    )


def evaluation_sensors(ingest_job, evaluate_job) -> list[dg.SensorDefinition]:
    sensors = []
    for status in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE):

        @dg.run_status_sensor(
            name=f"evaluate_after_ingestion_{status.value.lower()}",
            run_status=status,
            monitored_jobs=[ingest_job],
            request_job=evaluate_job,
            default_status=dg.DefaultSensorStatus.RUNNING,
            description="Evaluate and publish the days an ingestion run loaded, even if a "
            "source failed (its facts are then unknown).",
        )
        def _evaluate(context: dg.RunStatusSensorContext) -> dg.RunRequest:
            return evaluation_request(context.dagster_run)

        sensors.append(_evaluate)
    return sensors
