"""What readiness records about its own runs, in the warehouse's ``raw_meta`` dataset:
failed source loads, the evaluations asked of dbt, and the rules the database could not
evaluate. Written through dlt, so any
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
    "rule_errors": {
        "request_id": "text",
        "scorecard_id": "text",
        "definition_hash": "text",
        "rule_id": "text",
        "part": "text",
        "error": "text",
        "recorded_at": "timestamp",
    },
}


def append_meta(settings: Settings, table: str, *rows: dict[str, Any]) -> None:
    pipeline = dlt.pipeline(
        pipeline_name="readiness_meta",
        pipelines_dir=str(settings.dlt_dir),
        destination=dlt_destination(settings),
        dataset_name=META_DATASET,
    )
    pipeline.run(
        dlt.resource(
            list(rows), name=table, write_disposition="append", columns=hints(_TABLES[table])
        )
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


def record_rule_errors(settings: Settings, request_id: str, errors) -> None:
    """The rules the database could not evaluate in this request (see rule_probe)."""
    now = utc_now()
    append_meta(settings, "rule_errors", *(error.row(request_id, now) for error in errors))
