"""Building the Definitions for one set of settings: assets, job, schedule, resources."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource

from orchestration.evaluation.assets import dbt_project, evaluation_assets
from orchestration.evaluation.manifest import dbt_executable
from orchestration.ingestion.assets import FILE_SOURCES, file_source_assets
from orchestration.partitions import daily_partitions
from orchestration.progress import progress_logger
from orchestration.resources import ReadinessResource
from readiness.settings import Settings

DAILY_JOB = "daily_run"


def configured_sources(settings: Settings) -> list[str]:
    """File sources whose folder is set: the ones a run loads."""
    return [s.name for s in FILE_SOURCES if getattr(settings, s.setting) is not None]


def build_definitions(settings: Settings) -> dg.Definitions:
    partitions = daily_partitions(settings)
    ingestion = {s.name: file_source_assets(s, settings, partitions) for s in FILE_SOURCES}
    evaluation = evaluation_assets(settings, partitions)

    # The daily job loads the configured sources, builds and publishes. A source that is
    # not configured is left out (its facts are `unknown`), not failed.
    selected = [ingestion[name] for name in configured_sources(settings)] + evaluation
    daily_job = dg.define_asset_job(
        DAILY_JOB,
        selection=dg.AssetSelection.assets(*selected),
        partitions_def=partitions,
        description="Ingest every configured source, evaluate the day with dbt, publish.",
        executor_def=dg.in_process_executor,
    )
    daily_schedule = dg.build_schedule_from_partitioned_job(
        daily_job, hour_of_day=6, minute_of_hour=0, name="daily_at_0600_utc"
    )
    return dg.Definitions(
        assets=[*ingestion.values(), *evaluation],
        jobs=[daily_job],
        schedules=[daily_schedule],
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
