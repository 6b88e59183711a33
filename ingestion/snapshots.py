"""Conventions every readiness dlt source follows.

State is loaded as daily snapshots: every row carries ``snapshot_on`` (the day it
describes) and each load appends a ``snapshots`` row. Staging counts, for each snapshot
day, only the rows of the newest load of that day, so re-running a day never duplicates
anything and a failed load (nothing committed) never hides the previous one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
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


def snapshot_resource(snapshot_on: dt.date, details: Callable[[], dict[str, Any]]) -> DltResource:
    """The ``snapshots`` row of one load: which day it describes and what it read.

    ``details`` is called when the load runs (after the data resources were read), so
    building the source stays free of side effects.
    """

    def row() -> Iterator[dict[str, Any]]:
        yield {"snapshot_on": snapshot_on, "loaded_at": utc_now(), **details()}

    return dlt.resource(
        row,
        name="snapshots",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "loaded_at": "timestamp"}),
    )


def snapshot_table(
    name: str,
    rows: Callable[[], Iterable[dict[str, Any]]],
    snapshot_on: dt.date,
    columns: Columns,
) -> DltResource:
    """An append-only snapshot table: every row of ``rows()`` stamped with ``snapshot_on``.

    ``rows`` is called lazily, when dlt extracts the resource.
    """

    def stamped() -> Iterator[dict[str, Any]]:
        for row in rows():
            yield {"snapshot_on": snapshot_on, **row}

    return dlt.resource(
        stamped,
        name=name,
        write_disposition="append",
        columns=hints({"snapshot_on": "date", **columns}),
    )
