"""dlt source: a Backstage catalog read from a folder of descriptor YAML files.

Tables (dataset ``raw_catalog``): ``snapshots``, ``entities``, ``relations``, ``links``,
``annotations``, ``errors``. See ``parse.py`` for how descriptors become rows.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import dlt

from ingestion.catalog.parse import read_catalog
from ingestion.snapshots import snapshot_resource, snapshot_table


@dlt.source(name="catalog", max_table_nesting=0)
def catalog_source(path: str = dlt.config.value, snapshot_on: dt.date | None = None):
    """Read the catalog folder once and yield its tables as one snapshot.

    ``path`` comes from config ``sources.catalog.path`` (or env ``SOURCES__CATALOG__PATH``);
    ``snapshot_on`` is the day the snapshot describes (default: today, UTC).
    """
    folder = Path(path)
    day = snapshot_on or dt.datetime.now(dt.UTC).date()

    @cache
    def rows():
        if not folder.is_dir():
            raise FileNotFoundError(
                f"catalog folder {folder} not found "
                "(set sources.catalog.path, or pass --catalog DIR)"
            )
        return read_catalog(folder)

    return (
        snapshot_resource(
            day,
            lambda: {
                "location": str(folder),
                "entity_count": len(rows().entities),
                "error_count": len(rows().errors),
            },
        ),
        snapshot_table(
            "entities",
            lambda: rows().entities,
            day,
            {
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
        ),
        snapshot_table(
            "relations",
            lambda: rows().relations,
            day,
            {"source_ref": "text", "relation": "text", "target_ref": "text"},
        ),
        snapshot_table(
            "links",
            lambda: rows().links,
            day,
            {"entity_ref": "text", "link_type": "text", "url": "text", "title": "text"},
        ),
        snapshot_table(
            "annotations",
            lambda: rows().annotations,
            day,
            {"entity_ref": "text", "key": "text", "value": "text"},
        ),
        snapshot_table(
            "errors",
            lambda: rows().errors,
            day,
            {"file": "text", "document_index": "bigint", "line": "bigint", "message": "text"},
        ),
    )
