"""dlt source: daily SLI samples from a Prometheus server, by configurable PromQL.

Tables (dataset ``raw_prometheus``):

- ``snapshots`` — one row per snapshot day this load describes;
- ``sli_daily`` — events: one value per (query name, series, UTC day), merged on that key.
  ``series`` is the series' label set; ``service`` its ``service`` label, the catalog
  component name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ingestion.prometheus import settings
from ingestion.prometheus.helpers import (
    daily_samples,
    prometheus_client,
    query_range,
    range_window,
)
from ingestion.snapshots import hints, utc_now


@dlt.source(name="prometheus", max_table_nesting=0)
def prometheus_source(
    base_url: str = dlt.config.value,
    bearer_token: str | None = dlt.secrets.value,
    queries: dict[str, str] | None = None,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    history_days: int = settings.HISTORY_DAYS,
) -> tuple[DltResource, ...]:
    """One ``query_range`` per configured query over the last ``history_days`` days.

    Config ``sources.prometheus.base_url`` and ``sources.prometheus.queries`` (a table of
    name = PromQL; default ``settings.DEFAULT_QUERIES``); optional secret
    ``sources.prometheus.bearer_token`` for a server behind an authenticating proxy.
    Prometheus has no state to snapshot: ``history`` days only get their ``snapshots``
    row, since the samples of those days come from the single range query.
    """
    main_day = snapshot_on or dt.datetime.now(dt.UTC).date()
    selected = dict(queries or settings.DEFAULT_QUERIES)
    days = {main_day: base_url}
    for day, url in history:
        days.setdefault(day, url)

    @dlt.resource(
        name="sli_daily",
        write_disposition="merge",
        primary_key=("query_name", "series", "day"),
        columns=hints(
            {
                "query_name": "text",
                "series": "text",
                "service": "text",
                "day": "date",
                "value": "double",
                "sampled_at": "timestamp",
            }
        ),
    )
    def sli_daily() -> Iterator[list[dict[str, Any]]]:
        client = prometheus_client(base_url, bearer_token)
        start, end = range_window(main_day, history_days)
        for name, expression in selected.items():
            data = query_range(client, name, expression, start, end)
            yield list(daily_samples(name, data))

    def snapshot_rows() -> Iterator[dict[str, Any]]:
        loaded_at = utc_now()
        for day, url in days.items():
            yield {"snapshot_on": day, "loaded_at": loaded_at, "location": url}

    snapshots = dlt.resource(
        snapshot_rows,
        name="snapshots",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "loaded_at": "timestamp", "location": "text"}),
    )
    return sli_daily, snapshots
