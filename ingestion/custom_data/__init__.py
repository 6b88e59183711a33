"""dlt source: custom data keyed by entity (YAML, JSON or CSV files in a folder).

Tables (dataset ``raw_custom_data``): ``snapshots``, ``entity_values``, ``errors``.
Which keys are facts is declared in dbt (var ``custom_data_facts``); every key is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import dlt

from ingestion.custom_data.parse import CustomDataRows, read_custom_data
from ingestion.snapshots import snapshot_days, snapshot_resource, snapshot_table


@dlt.source(name="custom_data", max_table_nesting=0)
def custom_data_source(
    path: str = dlt.config.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
):
    """Read the custom data folder (config ``sources.custom_data.path``) as one snapshot;
    ``history`` adds (day, folder) snapshots of past days."""
    snapshots = snapshot_days(snapshot_on, path, history)

    @cache
    def rows(folder: str) -> CustomDataRows:
        if not Path(folder).is_dir():
            raise FileNotFoundError(
                f"custom data folder {folder} not found "
                "(set sources.custom_data.path, or pass --custom-data DIR)"
            )
        return read_custom_data(Path(folder))

    return (
        snapshot_resource(
            snapshots,
            lambda day, folder: {
                "location": str(folder),
                "value_count": len(rows(folder).values),
                "error_count": len(rows(folder).errors),
            },
        ),
        snapshot_table(
            "entity_values",
            snapshots,
            lambda day, folder: rows(folder).values,
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
            snapshots,
            lambda day, folder: rows(folder).errors,
            {"file": "text", "item": "bigint", "line": "bigint", "message": "text"},
        ),
    )
