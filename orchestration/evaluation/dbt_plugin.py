"""A dbt-duckdb plugin (profiles.yml) that lets a kill-safety test hold dbt's own process
at a named point of the build (readiness.pause).

When ``READINESS_PAUSE_AT`` is set it registers one SQL function, ``readiness_pause(name)``,
which holds the process at that point; the macro ``pause_point`` calls it from a model's
hook. Otherwise it registers nothing: in an ordinary run dbt's connection is untouched.
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin

from readiness.pause import PAUSE_AT, pause_point


def _pause(name: str) -> bool:
    pause_point(name)
    return True


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        if os.environ.get(PAUSE_AT):
            conn.create_function("readiness_pause", _pause, ["VARCHAR"], "BOOLEAN")
