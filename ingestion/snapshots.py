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
import pyarrow as pa
from dlt.common.utils import uniq_id
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

    all_columns = {"snapshot_on": "date", **columns}
    schema = _arrow_schema(all_columns)

    def stamped() -> Iterator[Any]:
        # One item per snapshot day, far cheaper for dlt than a row at a time when a
        # backfill loads many days: an Arrow table when every column has a plain type
        # (dlt then writes it without normalizing row by row), else a list of rows.
        for day, location in snapshots:
            page = [{"snapshot_on": day, **row} for row in rows(day, location)]
            if page:
                yield _as_arrow(page, schema) if schema is not None else page

    return dlt.resource(
        stamped,
        name=name,
        write_disposition="append",
        columns=hints(all_columns),
    )


_ARROW_TYPES = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "bool": pa.bool_(),
    "double": pa.float64(),
    "date": pa.date32(),
}


def _arrow_schema(columns: Columns) -> pa.Schema | None:
    if any(data_type not in _ARROW_TYPES for data_type in columns.values()):
        return None
    return pa.schema([(name, _ARROW_TYPES[data_type]) for name, data_type in columns.items()])


def _as_arrow(page: list[dict[str, Any]], schema: pa.Schema) -> Any:
    """``page`` as an Arrow table of ``schema``; the rows as they are when they hold a
    column the schema lacks or a value of another type (dlt then infers as usual).

    dlt adds its ``_dlt_load_id`` and ``_dlt_id`` columns to rows, not to Arrow tables
    (unless configured to): they are added here, so a table has the same columns however
    its rows arrived, and staging can pick each snapshot day's newest load.
    """
    names = set(schema.names)
    if any(key not in names for row in page for key in row):
        return page
    try:
        table = pa.Table.from_pylist(page, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        return page
    load_id = dlt.current.load_package_state()["load_id"]
    table = table.append_column("_dlt_load_id", pa.array([load_id] * len(page), pa.string()))
    return table.append_column("_dlt_id", pa.array([uniq_id() for _ in page], pa.string()))
