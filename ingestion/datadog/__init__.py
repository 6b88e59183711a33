"""dlt source: Datadog monitors, SLOs and SLO history (v1 API).

Tables (dataset ``raw_datadog``):

- ``snapshots`` — one row per snapshot day this load describes;
- ``monitors``, ``monitor_tags``, ``slos``, ``slo_tags`` — state, appended per snapshot
  day (every row carries ``snapshot_on``); tags are ``key:value`` strings split at the
  first ``:``;
- ``slo_history_daily`` — events: good and total events per (SLO, UTC day), merged on
  that key, so the SLI of any past day's timeframe can be computed in SQL.

The join to the catalog is the tag ``service:<name>``, where ``<name>`` is the component's
``datadoghq.com/service-name`` annotation, else its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ingestion.datadog import settings
from ingestion.datadog.helpers import (
    base_url_for,
    daily_events,
    datadog_client,
    history_window,
    iter_monitor_pages,
    iter_slo_pages,
    monitor_row,
    slo_history,
    slo_row,
    tag_rows,
)
from ingestion.snapshots import hints, utc_now

TAG_COLUMNS = {"tag": "text", "tag_key": "text", "tag_value": "text"}


def snapshot_days(
    main: tuple[dt.date, str], history: Sequence[tuple[dt.date, str]]
) -> list[tuple[dt.date, str]]:
    """The (day, base URL) pairs to read state from: the main one first, one per day."""
    days = {main[0]: main[1]}
    for day, url in history:
        days.setdefault(day, url)
    return list(days.items())


@dlt.source(name="datadog", max_table_nesting=0)
def datadog_source(
    base_url: str = settings.DEFAULT_BASE_URL,
    api_key: str = dlt.secrets.value,
    app_key: str = dlt.secrets.value,
    site: str | None = None,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    history_days: int = settings.HISTORY_DAYS,
) -> tuple[DltResource, ...]:
    """Monitors and SLOs as daily snapshots, and SLO history as daily events.

    Config ``sources.datadog.base_url`` (default ``https://api.datadoghq.com``) or
    ``sources.datadog.site`` (e.g. ``datadoghq.eu``); secrets ``sources.datadog.api_key``
    and ``sources.datadog.app_key``. ``history`` adds (day, base URL) pairs whose state is
    read again and stamped with that day; SLO history is read once, from the main URL,
    covering ``history_days`` days plus each SLO's timeframe.
    """
    main_day = snapshot_on or dt.datetime.now(dt.UTC).date()
    days = snapshot_days((main_day, base_url_for(base_url, site)), history)

    def client(url: str):
        return datadog_client(url, api_key, app_key)

    def monitor_pages() -> Iterator[list[dict[str, Any]]]:
        for day, url in days:
            for page in iter_monitor_pages(client(url)):
                yield [{"snapshot_on": day, **monitor_row(m)} for m in page]

    def slo_pages() -> Iterator[list[dict[str, Any]]]:
        for day, url in days:
            for page in iter_slo_pages(client(url)):
                yield [{"snapshot_on": day, **slo_row(s)} for s in page]

    monitor_source = dlt.resource(monitor_pages, name="monitor_pages", selected=False)
    slo_source = dlt.resource(slo_pages, name="slo_pages", selected=False)

    @dlt.transformer(
        data_from=monitor_source,
        name="monitors",
        write_disposition="append",
        columns=hints(
            {
                "snapshot_on": "date",
                "monitor_id": "bigint",
                "name": "text",
                "monitor_type": "text",
                "overall_state": "text",
                "overall_state_modified": "timestamp",
                "created_at": "timestamp",
                "priority": "bigint",
            }
        ),
    )
    def monitors(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [{k: v for k, v in m.items() if k != "tags"} for m in page]

    @dlt.transformer(
        data_from=monitor_source,
        name="monitor_tags",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "monitor_id": "bigint", **TAG_COLUMNS}),
    )
    def monitor_tags(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [
            {"snapshot_on": m["snapshot_on"], "monitor_id": m["monitor_id"], **tag}
            for m in page
            for tag in tag_rows(m["tags"])
        ]

    @dlt.transformer(
        data_from=slo_source,
        name="slos",
        write_disposition="append",
        columns=hints(
            {
                "snapshot_on": "date",
                "slo_id": "text",
                "name": "text",
                "slo_type": "text",
                "target_pct": "double",
                "warning_pct": "double",
                "timeframe": "text",
                "timeframe_days": "bigint",
                "created_at": "timestamp",
                "modified_at": "timestamp",
            }
        ),
    )
    def slos(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [{k: v for k, v in s.items() if k != "tags"} for s in page]

    @dlt.transformer(
        data_from=slo_source,
        name="slo_tags",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "slo_id": "text", **TAG_COLUMNS}),
    )
    def slo_tags(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [
            {"snapshot_on": s["snapshot_on"], "slo_id": s["slo_id"], **tag}
            for s in page
            for tag in tag_rows(s["tags"])
        ]

    @dlt.transformer(
        data_from=slo_source,
        name="slo_history_daily",
        write_disposition="merge",
        primary_key=("slo_id", "day"),
        columns=hints(
            {
                "slo_id": "text",
                "day": "date",
                "good_events": "double",
                "total_events": "double",
                "read_at": "timestamp",
            }
        ),
    )
    def slo_history_daily(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        # Only the SLOs of the main snapshot: history is an event stream, read once.
        main_client = client(days[0][1])
        for slo in page:
            if slo["snapshot_on"] != main_day:
                continue
            timeframe_days = slo["timeframe_days"] or max(settings.TIMEFRAME_DAYS.values())
            from_ts, to_ts = history_window(main_day, timeframe_days, history_days)
            body = slo_history(main_client, slo["slo_id"], from_ts, to_ts)
            if body is None:
                continue
            first_day = dt.datetime.fromtimestamp(from_ts, dt.UTC).date()
            read_at = utc_now()
            yield [
                {**row, "read_at": read_at} for row in daily_events(slo["slo_id"], body, first_day)
            ]

    def snapshot_rows() -> Iterator[dict[str, Any]]:
        loaded_at = utc_now()
        for day, url in days:
            yield {"snapshot_on": day, "loaded_at": loaded_at, "location": url}

    snapshots = dlt.resource(
        snapshot_rows,
        name="snapshots",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "loaded_at": "timestamp", "location": "text"}),
    )

    return (
        monitors,
        monitor_tags,
        slos,
        slo_tags,
        slo_history_daily,
        snapshots,
    )
