"""dlt source: custom data keyed by entity (YAML, JSON or CSV files in a folder).

Tables (dataset ``raw_custom_data``): ``snapshots``, ``entity_values``, ``refused_values``
(keys of items that were refused: their facts are unknown) and ``errors`` (every problem,
with file, item, line, entity, key and a hint). Files are validated against the folder's
``schema.yml`` (see ``schema.py``); which keys are facts is declared in dbt (var
``custom_data_facts``). A bad file or item never stops the load: it is an error row, and
the rest loads.
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
                "refused_count": len(rows(folder).refused),
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
                "line": "bigint",
            },
        ),
        snapshot_table(
            "refused_values",
            snapshots,
            lambda day, folder: rows(folder).refused,
            {"entity_ref": "text", "key": "text", "file": "text", "line": "bigint"},
        ),
        snapshot_table(
            "errors",
            snapshots,
            lambda day, folder: rows(folder).errors,
            {
                "file": "text",
                "item": "bigint",
                "line": "bigint",
                "entity_ref": "text",
                "data_key": "text",
                "message": "text",
                "hint": "text",
            },
        ),
    )
