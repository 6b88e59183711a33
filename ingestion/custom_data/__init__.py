"""dlt source: custom data keyed by entity (YAML, JSON or CSV files in a folder).

Tables (dataset ``raw_custom_data``): ``snapshots``, ``entity_values``, ``errors``.
Which keys are facts is declared in dbt (var ``custom_data_facts``); every key is loaded.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import dlt

from ingestion.custom_data.parse import read_custom_data
from ingestion.snapshots import snapshot_resource, snapshot_table


@dlt.source(name="custom_data", max_table_nesting=0)
def custom_data_source(path: str = dlt.config.value, snapshot_on: dt.date | None = None):
    """Read the custom data folder (config ``sources.custom_data.path``) as one snapshot."""
    folder = Path(path)
    day = snapshot_on or dt.datetime.now(dt.UTC).date()

    @cache
    def rows():
        if not folder.is_dir():
            raise FileNotFoundError(
                f"custom data folder {folder} not found "
                "(set sources.custom_data.path, or pass --custom-data DIR)"
            )
        return read_custom_data(folder)

    return (
        snapshot_resource(
            day,
            lambda: {
                "location": str(folder),
                "value_count": len(rows().values),
                "error_count": len(rows().errors),
            },
        ),
        snapshot_table(
            "entity_values",
            lambda: rows().values,
            day,
            {
                "entity_ref": "text",
                "key": "text",
                "value": "text",
                "value_type": "text",
                "file": "text",
            },
        ),
        snapshot_table(
            "errors",
            lambda: rows().errors,
            day,
            {"file": "text", "item": "bigint", "line": "bigint", "message": "text"},
        ),
    )
