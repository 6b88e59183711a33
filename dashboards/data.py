"""Reading the published warehouse from Streamlit, cached per published version.

Every query opens the published file read-only (never the working warehouse, so a
running pipeline is never blocked) and its result is cached under the published file's
version: a new publish invalidates the cache, nothing else does.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from readiness.errors import WarehouseError
from readiness.settings import Settings
from readiness.warehouse import connect_published, published_version


def settings() -> Settings:
    return Settings.from_env()


def version_key() -> str:
    return published_version(settings()).key


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached_query(sql: str, params: tuple[Any, ...], version: str) -> pd.DataFrame:
    connection = connect_published(settings())
    try:
        return connection.execute(sql, list(params)).df()
    finally:
        connection.close()


def query(sql: str, *params: Any) -> pd.DataFrame:
    return _cached_query(sql, tuple(params), version_key())


def require_published() -> bool:
    """Show a clear message instead of a traceback when nothing is published yet."""
    try:
        version_key()
    except WarehouseError as exc:
        st.error(str(exc))
        return False
    return True
