"""dlt source: the latest Cobertura coverage report of each repository.

Reports come from an artifact store over HTTP (``GET {base_url}/{owner}/{repo}/coverage.xml``,
bearer token, 404 = no report) or from a local folder laid out the same way.

Tables (dataset ``raw_coverage``), all state appended per snapshot day (``snapshot_on``):

- ``snapshots`` — one row per snapshot day this load describes;
- ``reports`` — the root figures of each repository's report (rates as 0-1 ratios);
- ``errors`` — reports that could not be read (malformed XML, not Cobertura, a bad slug),
  one row each; they never fail the load.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ingestion.coverage import settings
from ingestion.coverage.helpers import (
    coverage_client,
    fetch_report,
    folder_repositories,
    read_reports,
)
from ingestion.snapshots import hints, utc_now


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _reader(
    location: str, token: str | None, repositories: list[str] | None
) -> tuple[list[str], Callable[[str], bytes | None]]:
    """The repositories to read at ``location`` and how to fetch one report there."""
    if _is_url(location):
        if repositories is None:
            raise ValueError(
                "source coverage: an artifact store cannot be listed; pass repositories "
                "(the catalog's github.com/project-slug values) or a local path"
            )
        local = threading.local()  # one client (session) per fetching thread

        def fetch(slug: str) -> bytes | None:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = coverage_client(location, token)
            return fetch_report(client, slug)

        return list(repositories), fetch
    folder = Path(location)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"source coverage: report folder {folder} not found (set sources.coverage.path)"
        )

    def read_file(slug: str) -> bytes | None:
        owner, repo = slug.split("/", 1)
        report = folder / owner / repo / settings.REPORT_FILE
        return report.read_bytes() if report.is_file() else None

    names = list(repositories) if repositories is not None else folder_repositories(folder)
    return names, read_file


@dlt.source(name="coverage", max_table_nesting=0)
def coverage_source(
    base_url: str | None = dlt.config.value,
    token: str | None = dlt.secrets.value,
    repositories: list[str] | None = None,
    path: Path | None = None,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
) -> tuple[DltResource, ...]:
    """Each repository's latest report as a daily snapshot.

    Config ``sources.coverage.base_url`` (artifact store) and
    ``sources.coverage.repositories`` (the catalog's ``github.com/project-slug`` values;
    for a folder the default is every ``<owner>/<repo>/coverage.xml`` in it); optional
    secret ``sources.coverage.token``. ``path`` (a folder, str or Path; wins over
    ``base_url``) is an argument only: typed ``Path`` so dlt does not resolve it from
    config, where its bare-key fallback would read the ``PATH`` environment variable.
    ``history`` adds (day, location) pairs read again and stamped with that day; a
    location is a URL or a folder.
    """
    main_day = snapshot_on or dt.datetime.now(dt.UTC).date()
    main_location = str(path) if path else base_url or ""
    days = {main_day: main_location}
    for day, location in history:
        days.setdefault(day, location)
    slugs = list(repositories) if repositories is not None else None

    def report_results() -> Iterator[list[dict[str, Any]]]:
        for day, location in days.items():
            if not location:
                raise ValueError(
                    "source coverage: set sources.coverage.base_url or sources.coverage.path"
                )
            names, fetch = _reader(location, token, slugs)
            page = []
            workers = settings.FETCH_WORKERS if _is_url(location) else 1
            for repo, figures, error in read_reports(names, fetch, workers):
                page.append(
                    {"snapshot_on": day, "repo_full_name": repo, "figures": figures, "error": error}
                )
            yield page

    results = dlt.resource(report_results, name="report_results", selected=False)

    @dlt.transformer(
        data_from=results,
        name="reports",
        write_disposition="append",
        columns=hints(
            {
                "snapshot_on": "date",
                "repo_full_name": "text",
                "line_rate": "double",
                "branch_rate": "double",
                "lines_valid": "bigint",
                "lines_covered": "bigint",
                "branches_valid": "bigint",
                "branches_covered": "bigint",
                "report_timestamp": "bigint",
                "generated_at": "timestamp",
                "version": "text",
            }
        ),
    )
    def reports(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [
            {"snapshot_on": r["snapshot_on"], "repo_full_name": r["repo_full_name"], **r["figures"]}
            for r in page
            if r["figures"] is not None
        ]

    @dlt.transformer(
        data_from=results,
        name="errors",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "repo_full_name": "text", "message": "text"}),
    )
    def errors(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [
            {
                "snapshot_on": r["snapshot_on"],
                "repo_full_name": r["repo_full_name"],
                "message": r["error"],
            }
            for r in page
            if r["error"] is not None
        ]

    def snapshot_rows() -> Iterator[dict[str, Any]]:
        loaded_at = utc_now()
        for day, location in days.items():
            yield {"snapshot_on": day, "loaded_at": loaded_at, "location": location}

    snapshots = dlt.resource(
        snapshot_rows,
        name="snapshots",
        write_disposition="append",
        columns=hints({"snapshot_on": "date", "loaded_at": "timestamp", "location": "text"}),
    )
    return reports, errors, snapshots
