"""Evaluate after every ingestion run, whether every source loaded or not.

A source that fails to load must not stop the day's evaluation: its facts become
`unknown` with the reason, the other sources' facts are fresh, and the failure stays
visible in Dagster as a failed step of the ingestion run. So ingestion and evaluation are
two jobs, and these sensors start the evaluation of the same days when an ingestion run
ends, successfully or not.
"""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)

REEVALUATE_TAG = "readiness/reevaluate"
TRIGGER_TAG = "readiness/trigger"
_CARRIED_TAGS = (
    PARTITION_NAME_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    ASSET_PARTITION_RANGE_END_TAG,
    REEVALUATE_TAG,
    TRIGGER_TAG,
)


def evaluation_run_config(reevaluate: bool, trigger: str) -> dict:
    return {"ops": {"dbt_build": {"config": {"reevaluate": reevaluate, "trigger": trigger}}}}


def evaluation_request(run: dg.DagsterRun) -> dg.RunRequest:
    tags = {key: run.tags[key] for key in _CARRIED_TAGS if key in run.tags}
    reevaluate = tags.get(REEVALUATE_TAG) == "true"
    return dg.RunRequest(
        run_key=f"evaluate-after-{run.run_id}",
        partition_key=tags.get(PARTITION_NAME_TAG),
        tags=tags,
        run_config=evaluation_run_config(reevaluate, tags.get(TRIGGER_TAG, "schedule")),
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
