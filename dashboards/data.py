"""Reading the published warehouse from Streamlit, cached per published version.

Every query reads the published file read-only (never the working warehouse, so a
running pipeline is never blocked). One read-only connection is kept per published
version and each query runs on a cursor of it (attaching the file costs tens of
milliseconds, a cursor about one); results are cached under the published file's
version: a new publish invalidates the cache, nothing else does.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from readiness.errors import WarehouseError
from readiness.settings import WAREHOUSE_ALIAS, Settings
from readiness.warehouse import connect_published, published_version


def settings() -> Settings:
    return Settings.from_env()


def version_key() -> str:
    return published_version(settings()).key


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(home: str, version: str) -> duckdb.DuckDBPyConnection:
    return connect_published(Settings(home=home))


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _cached_query(sql: str, params: tuple[Any, ...], home: str, version: str) -> pd.DataFrame:
    cursor = _connection(home, version).cursor()
    try:
        cursor.execute(f"use {WAREHOUSE_ALIAS}")
        return cursor.execute(sql, list(params)).df()
    finally:
        cursor.close()


def query(sql: str, *params: Any) -> pd.DataFrame:
    """Run one of `dashboards.queries` with positional parameters ($1, $2, ...)."""
    current = settings()
    return _cached_query(sql, tuple(params), str(current.home), published_version(current).key)


def require_published() -> bool:
    """Show a clear message instead of a traceback when nothing is published yet."""
    try:
        version_key()
    except WarehouseError as exc:
        st.error(str(exc))
        return False
    return True
