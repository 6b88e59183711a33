"""Running a TPM's query on the published warehouse, with a row limit and a time limit.

The text is checked first (`dashboards.sql_guard`), then run on a fresh read-only
connection (`readiness.warehouse.connect_published`: file attached read-only, external
access disabled, configuration locked). The row limit is pushed into the query plan
(DuckDB's relation `limit`), so a large result is never materialised; the time limit is a
timer thread that interrupts the connection.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboards.sql_guard import check_query
from readiness.settings import Settings
from readiness.warehouse import connect_published

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIME_LIMIT_S = 20.0


class QueryFailed(RuntimeError):
    """DuckDB refused or failed the query (syntax, unknown column, time limit, ...)."""


@dataclass(frozen=True)
class QueryResult:
    frame: pd.DataFrame
    truncated: bool  # more rows than the limit: only the first `row_limit` are kept
    seconds: float


def run_query(
    settings: Settings,
    sql: str,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> QueryResult:
    """Check and run one query; raise RefusedQuery or QueryFailed with a clear message."""
    check_query(sql)
    connection = connect_published(settings)
    timer = threading.Timer(time_limit_s, connection.interrupt)
    began = time.monotonic()
    timer.start()
    try:
        frame = connection.sql(sql.strip().rstrip(";")).limit(row_limit + 1).df()
    except duckdb.InterruptException as exc:
        raise QueryFailed(
            f"The query was stopped after the time limit of {time_limit_s:g} s. Narrow it "
            "(filter on `evaluated_on`, aggregate before joining) and run it again."
        ) from exc
    except duckdb.Error as exc:
        raise QueryFailed(f"DuckDB: {exc}") from exc
    finally:
        timer.cancel()
        connection.close()
    seconds = time.monotonic() - began
    truncated = len(frame) > row_limit
    return QueryResult(frame.head(row_limit), truncated, seconds)
