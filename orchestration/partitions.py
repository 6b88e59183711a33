"""Daily partitions: one partition per evaluated day, today included."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from readiness.settings import Settings


def daily_partitions(settings: Settings) -> dg.DailyPartitionsDefinition:
    # end_offset=1: today's partition exists (the 06:00 run evaluates today, not yesterday).
    return dg.DailyPartitionsDefinition(
        start_date=settings.history_start.isoformat(), end_offset=1, timezone="UTC"
    )


def evaluation_window(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the partitions this run materializes."""
    window = context.partition_time_window
    return window.start.date(), (window.end - dt.timedelta(days=1)).date()
