"""Building the Definitions for one set of settings: assets, jobs, schedule, sensors."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource

from orchestration.evaluation.assets import dbt_project, evaluation_assets
from orchestration.evaluation.checks import freshness_checks
from orchestration.evaluation.manifest import dbt_executable
from orchestration.evaluation.sensors import TRIGGER_TAG, evaluation_sensors
from orchestration.ingestion.assets import source_assets
from orchestration.ingestion.sources import SOURCES, configured_sources
from orchestration.notifications.assets import NOTIFY_JOB, notification_assets
from orchestration.partitions import daily_partitions, window_tags
from orchestration.progress import progress_logger
from orchestration.resources import ReadinessResource
from readiness.settings import Settings

INGEST_JOB = "ingest"
EVALUATE_JOB = "evaluate"


def build_definitions(settings: Settings) -> dg.Definitions:
    partitions = daily_partitions(settings)
    ingestion = {spec.name: source_assets(spec, settings) for spec in SOURCES}
    evaluation = evaluation_assets(settings, partitions)
    # Notifications follow the publish in the same run: one writer on the working
    # warehouse at a time, and every publish is followed by the messages it makes due.
    notifications = notification_assets(after=dg.AssetKey("published_warehouse"))

    # Ingestion loads the configured sources (one failing does not stop the others);
    # evaluation then builds, tests and publishes whatever was loaded.
    configured = [ingestion[spec.name] for spec in configured_sources(settings)]
    ingest_job = dg.define_asset_job(
        INGEST_JOB,
        selection=dg.AssetSelection.assets(*configured),
        description="Load every configured source as the snapshot of the run's days.",
        executor_def=dg.in_process_executor,
    )
    checks = freshness_checks()
    evaluate_job = dg.define_asset_job(
        EVALUATE_JOB,
        selection=dg.AssetSelection.assets(*evaluation, *notifications)
        | dg.AssetSelection.checks(*checks),
        partitions_def=partitions,
        description="Evaluate the days with dbt (one invocation for a range), test, publish, "
        "then send the notifications it makes due.",
        executor_def=dg.in_process_executor,
    )
    notify_job = dg.define_asset_job(
        NOTIFY_JOB,
        selection=dg.AssetSelection.assets(*notifications),
        description="Send the initiative notifications due on the latest evaluated day "
        "(or a given day), retrying failed deliveries (`readiness notify`).",
        executor_def=dg.in_process_executor,
    )

    @dg.schedule(
        name="daily_at_0600_utc",
        cron_schedule="0 6 * * *",
        execution_timezone="UTC",
        job=ingest_job,
        description="Every day at 06:00 UTC: load today's snapshot; evaluation follows.",
    )
    def daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        today = context.scheduled_execution_time.date()
        return dg.RunRequest(
            run_key=f"daily-{today.isoformat()}",
            tags={**window_tags(today, today), TRIGGER_TAG: "schedule"},
        )

    return dg.Definitions(
        assets=[*ingestion.values(), *evaluation, *notifications],
        asset_checks=checks,
        jobs=[ingest_job, evaluate_job, notify_job],
        schedules=[daily_schedule],
        sensors=evaluation_sensors(ingest_job, evaluate_job),
        resources={
            "readiness": ReadinessResource.from_settings(settings),
            "dlt": DagsterDltResource(),
            "dbt": DbtCliResource(
                project_dir=dbt_project(settings), dbt_executable=dbt_executable()
            ),
        },
        loggers={"progress": progress_logger},
        executor=dg.in_process_executor,
    )
