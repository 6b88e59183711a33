"""dlt source: a Backstage catalog read from a folder of descriptor YAML files.

Tables (dataset ``raw_catalog``): ``snapshots``, ``entities``, ``relations``, ``links``,
``annotations``, ``errors``. See ``parse.py`` for how descriptors become rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import dlt

from ingestion.catalog.parse import CatalogRows, read_catalog
from ingestion.snapshots import snapshot_days, snapshot_resource, snapshot_table

_COLUMNS = {
    "entities": {
        "entity_ref": "text",
        "kind": "text",
        "namespace": "text",
        "name": "text",
        "title": "text",
        "description": "text",
        "spec_type": "text",
        "lifecycle": "text",
        "owner_ref": "text",
        "system_ref": "text",
        "domain_ref": "text",
        "parent_ref": "text",
        "tier": "text",
        "tier_number": "bigint",
        "email": "text",
        "file": "text",
        "document_index": "bigint",
    },
    "relations": {"source_ref": "text", "relation": "text", "target_ref": "text"},
    "links": {"entity_ref": "text", "link_type": "text", "url": "text", "title": "text"},
    "annotations": {"entity_ref": "text", "key": "text", "value": "text"},
    "errors": {"file": "text", "document_index": "bigint", "line": "bigint", "message": "text"},
}


@dlt.source(name="catalog", max_table_nesting=0)
def catalog_source(
    path: str = dlt.config.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
):
    """Read the catalog folder as the snapshot of ``snapshot_on`` (default: today, UTC).

    ``path`` comes from config ``sources.catalog.path`` (or env ``SOURCES__CATALOG__PATH``).
    ``history`` adds (day, folder) snapshots of past days, read in the same load.
    """
    snapshots = snapshot_days(snapshot_on, path, history)
    parsed: dict = {}  # unchanged files are parsed once per load (see read_catalog)

    @cache
    def rows(folder: str) -> CatalogRows:
        if not Path(folder).is_dir():
            raise FileNotFoundError(
                f"catalog folder {folder} not found "
                "(set sources.catalog.path, or pass --catalog DIR)"
            )
        return read_catalog(Path(folder), parsed)

    def table(name: str):
        return snapshot_table(
            name, snapshots, lambda day, folder: getattr(rows(folder), name), _COLUMNS[name]
        )

    return (
        snapshot_resource(
            snapshots,
            lambda day, folder: {
                "location": str(folder),
                "entity_count": len(rows(folder).entities),
                "error_count": len(rows(folder).errors),
            },
        ),
        *(table(name) for name in _COLUMNS),
    )
