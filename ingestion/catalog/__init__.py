"""dlt source: a Backstage catalog read from descriptor YAML files and folders.

Tables (dataset ``raw_catalog``): ``snapshots``, ``entities``, ``relations``, ``links``,
``annotations``, ``problems``. See ``parse.py`` for how files are read (Locations
followed) and ``entities.py`` for how a descriptor becomes rows. The Backstage catalog
API source (``ingestion.backstage``) writes the same tables from a running Backstage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import dlt

from ingestion.catalog.build import CatalogRows
from ingestion.catalog.parse import read_catalog
from ingestion.snapshots import snapshot_days, snapshot_resource, snapshot_table

COLUMNS = {
    "entities": {
        "entity_ref": "text",
        "kind": "text",
        "namespace": "text",
        "name": "text",
        "title": "text",
        "display_name": "text",
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
    "problems": {
        "file": "text",
        "document_index": "bigint",
        "line": "bigint",
        "entity_ref": "text",
        "severity": "text",
        "problem": "text",
        "message": "text",
        "hint": "text",
    },
}


def catalog_tables(snapshots, rows, location) -> tuple:
    """The resources of a catalog source: ``rows(location)`` gives a snapshot's rows."""

    def table(name: str):
        return snapshot_table(
            name, snapshots, lambda day, where: getattr(rows(where), name), COLUMNS[name]
        )

    return (
        snapshot_resource(
            snapshots,
            lambda day, where: {
                "location": location(where),
                "entity_count": len(rows(where).entities),
                "error_count": rows(where).count("error"),
                "warning_count": rows(where).count("warning"),
            },
        ),
        *(table(name) for name in COLUMNS),
    )


def _paths(path: str | Sequence[str]) -> tuple[str, ...]:
    return (path,) if isinstance(path, str) else tuple(str(p) for p in path)


@dlt.source(name="catalog", max_table_nesting=0)
def catalog_source(
    path: str | Sequence[str] = dlt.config.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str | Sequence[str]]] = (),
):
    """Read the catalog's files and folders as the snapshot of ``snapshot_on`` (default:
    today, UTC).

    ``path`` is one file or folder or a list of them, from config ``sources.catalog.path``
    (or env ``SOURCES__CATALOG__PATH``). ``history`` adds (day, paths) snapshots of past
    days, read in the same load.
    """
    snapshots = snapshot_days(snapshot_on, _paths(path), [(d, _paths(p)) for d, p in history])
    parsed: dict = {}  # unchanged files are parsed once per load (see read_catalog)

    @cache
    def rows(paths: tuple[str, ...]) -> CatalogRows:
        return read_catalog([Path(p) for p in paths], parsed)

    return catalog_tables(snapshots, rows, lambda paths: ", ".join(paths))
