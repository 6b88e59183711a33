"""dlt source: the catalog of a running Backstage, read from its catalog API.

Many organisations keep their catalog in Backstage, fed from many locations. This source
reads every entity from ``GET /api/catalog/entities/by-query`` (see ``helpers.py``) and
turns each one into rows with the same code as a descriptor file
(``ingestion.catalog.entities``), so it gives the same tables, entities and facts as the
file source: dataset ``raw_backstage`` with ``snapshots``, ``entities``, ``relations``,
``links``, ``annotations`` and ``problems``. Staging reads both datasets as one catalog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import dlt

from ingestion.backstage import helpers
from ingestion.backstage.settings import (
    BACKOFF_FACTOR,
    MAX_ATTEMPTS,
    MAX_DELAY,
    ORIGIN_ANNOTATIONS,
    PAGE_SIZE,
    TIMEOUT,
)
from ingestion.catalog import catalog_tables
from ingestion.catalog.build import CatalogBuilder, CatalogRows, Placed, problem_row
from ingestion.catalog.entities import EntityError, read_entity
from ingestion.http import RetryPolicy
from ingestion.snapshots import snapshot_days


def _origin(entity: dict) -> str | None:
    metadata = entity.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict):
        for key in ORIGIN_ANNOTATIONS:
            if isinstance(annotations.get(key), str):
                return annotations[key]
    return None


def catalog_rows(entities) -> CatalogRows:
    """The rows of the entities a catalog API served, checked as a whole."""
    builder = CatalogBuilder()
    for number, entity in enumerate(entities, start=1):
        origin = _origin(entity)
        try:
            rows = read_entity(entity, origin, None)
        except EntityError as exc:
            issue = exc.issue
            builder.rows.problems.append(
                problem_row(
                    issue.severity,
                    issue.problem,
                    f"entity {number} of the catalog API: {issue.message}",
                    issue.hint,
                    file=origin,
                )
            )
            continue
        builder.add(Placed(rows, origin, None, None))
    return builder.finish()


@dlt.source(name="backstage", max_table_nesting=0)
def backstage_source(
    base_url: str = dlt.config.value,
    token: str | None = dlt.secrets.value,
    filters: Sequence[str] | None = None,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    page_size: int = PAGE_SIZE,
    max_attempts: int = MAX_ATTEMPTS,
    backoff_factor: float = BACKOFF_FACTOR,
    max_delay: float = MAX_DELAY,
    timeout: float = TIMEOUT,
):
    """Every entity of the Backstage at ``base_url`` (``sources.backstage.base_url``: the
    backend's URL, e.g. https://backstage.example.com), as the snapshot of ``snapshot_on``
    (default today, UTC). ``token`` (secret ``sources.backstage.token``) is sent as
    ``Authorization: Bearer``; ``filters`` (``sources.backstage.filters``) narrows the
    catalog with Backstage's ``filter`` expressions. ``history`` adds (day, base URL)
    readings stamped with their day. Nothing is requested until dlt extracts."""
    snapshots = snapshot_days(snapshot_on, base_url, history)
    policy = RetryPolicy(max_attempts, backoff_factor, max_delay)

    @cache
    def rows(url: str) -> CatalogRows:
        client = helpers.backstage_client(url, token, policy, timeout)
        return catalog_rows(helpers.query_entities(client, list(filters or []), page_size))

    return catalog_tables(snapshots, rows, str)
