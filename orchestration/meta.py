"""What readiness records about its own runs, in the warehouse's ``raw_meta`` dataset:
failed source loads and the evaluations asked of dbt. Written through dlt, so any
destination works."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dlt

from ingestion.snapshots import hints, utc_now
from orchestration.destination import dlt_destination
from readiness.settings import Settings

META_DATASET = "raw_meta"
_TABLES: dict[str, dict[str, str]] = {
    "load_failures": {
        "source_name": "text",
        "snapshot_on": "date",
        "failed_at": "timestamp",
        "message": "text",
        "run_id": "text",
    },
    "evaluation_requests": {
        "request_id": "text",
        "first_day": "date",
        "last_day": "date",
        "reevaluate": "bool",
        "freshness_days": "bigint",
        "trigger": "text",
        "triggered_by": "text",
        "requested_at": "timestamp",
    },
}


def append_meta(settings: Settings, table: str, row: dict[str, Any]) -> None:
    pipeline = dlt.pipeline(
        pipeline_name="readiness_meta",
        pipelines_dir=str(settings.dlt_dir),
        destination=dlt_destination(settings),
        dataset_name=META_DATASET,
    )
    pipeline.run(
        dlt.resource([row], name=table, write_disposition="append", columns=hints(_TABLES[table]))
    )


def record_load_failure(
    settings: Settings, source: str, snapshot_on: dt.date, message: str, run_id: str
) -> None:
    append_meta(
        settings,
        "load_failures",
        {
            "source_name": source,
            "snapshot_on": snapshot_on,
            "failed_at": utc_now(),
            "message": message,
            "run_id": run_id,
        },
    )


def record_evaluation_request(
    settings: Settings,
    *,
    request_id: str,
    first_day: dt.date,
    last_day: dt.date,
    reevaluate: bool,
    trigger: str,
    triggered_by: str | None,
) -> None:
    append_meta(
        settings,
        "evaluation_requests",
        {
            "request_id": request_id,
            "first_day": first_day,
            "last_day": last_day,
            "reevaluate": reevaluate,
            "freshness_days": settings.freshness_days,
            "trigger": trigger,
            "triggered_by": triggered_by,
            "requested_at": utc_now(),
        },
    )
