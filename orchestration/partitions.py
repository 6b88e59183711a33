"""Days: daily partitions for the evaluation marts, and the window of days a run covers.

Only the per-day marts (facts, outcomes, scores, team rollups) are partitioned by day.
Ingestion writes snapshots stamped with their own days, and the models that only prepare
the window are scratch tables: neither needs a Dagster event per day, which for a 90-day
backfill would cost thousands of events. Every run carries its window in two tags, so
each step knows which days it serves whether or not it is partitioned.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)

from readiness.settings import Settings

FIRST_DAY_TAG = "readiness/first_day"
LAST_DAY_TAG = "readiness/last_day"


def daily_partitions(settings: Settings) -> dg.DailyPartitionsDefinition:
    # end_offset=1: today's partition exists (the 06:00 run evaluates today, not yesterday).
    return dg.DailyPartitionsDefinition(
        start_date=settings.history_start.isoformat(), end_offset=1, timezone="UTC"
    )


def window_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Tags naming a run's days; for the partitioned marts, the partition (range) too."""
    tags = {FIRST_DAY_TAG: first.isoformat(), LAST_DAY_TAG: last.isoformat()}
    if first == last:
        tags[PARTITION_NAME_TAG] = first.isoformat()
    else:
        tags[ASSET_PARTITION_RANGE_START_TAG] = first.isoformat()
        tags[ASSET_PARTITION_RANGE_END_TAG] = last.isoformat()
    return tags


def run_window(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) this run serves: its window tags, else its partitions,
    else today (a run started by hand in the Dagster UI)."""
    tags = context.run.tags
    if FIRST_DAY_TAG in tags:
        return (
            dt.date.fromisoformat(tags[FIRST_DAY_TAG]),
            dt.date.fromisoformat(tags.get(LAST_DAY_TAG, tags[FIRST_DAY_TAG])),
        )
    if getattr(context, "has_partition_key", False):
        window = context.partition_time_window
        return window.start.date(), (window.end - dt.timedelta(days=1)).date()
    today = dt.datetime.now(dt.UTC).date()
    return today, today


def days_of(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
