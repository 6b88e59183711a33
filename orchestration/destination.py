"""Where dlt loads: the warehouse backend named by the settings.

DuckDB (default) is a file in the home folder; PostgreSQL is a server reached with the
READINESS_PG_* environment variables. Everything that loads through dlt (sources and the
raw_meta records) asks here, so the backend is configuration, not code.
"""

from __future__ import annotations

import dlt
from dlt.common.destination import Destination

from readiness.settings import Settings


def dlt_destination(settings: Settings) -> Destination:
    if settings.backend == "postgres":
        return dlt.destinations.postgres(credentials=settings.postgres_dsn())
    return dlt.destinations.duckdb(str(settings.warehouse_path))


def loader_file_format(settings: Settings) -> str | None:
    """Parquet loads into DuckDB many times faster than insert statements; PostgreSQL
    takes dlt's default (insert values)."""
    return "parquet" if settings.backend == "duckdb" else None
