"""Conventions every readiness dlt source follows.

State is loaded as daily snapshots: every row carries ``snapshot_on`` (the day it
describes) and each load appends a ``snapshots`` row. Staging counts, for each snapshot
day, only the rows of the newest load of that day, so re-running a day never duplicates
anything and a failed load (nothing committed) never hides the previous one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import dlt
from dlt.extract.resource import DltResource

# dlt column hints: name -> data type. Declared so tables have the same shape whether or
# not a load had rows with a value in every column.
Columns = dict[str, str]


def hints(columns: Columns) -> dict[str, dict[str, Any]]:
    return {name: {"data_type": data_type, "nullable": True} for name, data_type in columns.items()}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


Snapshots = Sequence[tuple[dt.date, Any]]  # (day, location: folder or base URL)


def snapshot_days(
    snapshot_on: dt.date | None, location: Any, history: Sequence[tuple[dt.date, Any]]
) -> list[tuple[dt.date, Any]]:
    """The main snapshot (``snapshot_on``, default today UTC) then the history snapshots."""
    day = snapshot_on or dt.datetime.now(dt.UTC).date()
    return [(day, location), *((d, loc) for d, loc in history if d != day)]


def snapshot_resource(
    snapshots: Snapshots, details: Callable[[dt.date, Any], dict[str, Any]]
) -> DltResource:
    """The ``snapshots`` rows of one load: one per day it describes, with what was read.

    ``details(day, location)`` is called when the load runs, so building the source stays
    free of side effects.
    """

    def rows() -> Iterator[dict[str, Any]]:
        loaded_at = utc_now()
        for day, location in snapshots:
            yield {"snapshot_on": day, "loaded_at": loaded_at, **details(day, location)}

    return dlt.resource(
        rows,
        name="snapshots",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "loaded_at": "timestamp"}),
    )


def snapshot_table(
    name: str,
    snapshots: Snapshots,
    rows: Callable[[dt.date, Any], Iterable[dict[str, Any]]],
    columns: Columns,
) -> DltResource:
    """An append-only snapshot table: ``rows(day, location)`` for every snapshot, each row
    stamped with its day. Called lazily, when dlt extracts the resource."""

    def stamped() -> Iterator[dict[str, Any]]:
        for day, location in snapshots:
            for row in rows(day, location):
                yield {"snapshot_on": day, **row}

    return dlt.resource(
        stamped,
        name=name,
        write_disposition="append",
        columns=hints({"snapshot_on": "date", **columns}),
    )
