"""dlt source: repository facts of a GitHub organisation, through GraphQL in bulk.

Tables (dataset ``raw_github``):

- ``snapshots``: one row per snapshot day of this load (main day and history days);
- ``repositories``: one row per repository per snapshot day (append-only): default
  branch, protection and required approvals, CI, archived, last push;
- ``repository_errors``: per snapshot day, the repositories and facets (``commits``,
  ``alerts``, ``protection_rules``, ``rulesets``, ``ci``, ...) GitHub could not answer,
  whose facts are unknown that day;
- ``commits``: default-branch commits (``merge`` on repository + sha);
- ``vulnerability_alerts``: Dependabot alerts in every state (``merge`` on repository +
  number, the newest load wins).

The main snapshot reads everything; each ``history`` day reads repository state only,
from its own base URL (the simulator's ``/_as_of/YYYY-MM-DD``). Commits are read
incrementally: the first time a repository is seen, the 90 days before the earliest
snapshot day; afterwards only what is newer than the last load (minus a 3-day overlap).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ingestion.github import settings
from ingestion.github.helpers import (
    Crawl,
    GitHubApi,
    alert_rows,
    column_hints,
    commit_rows,
    crawl_repositories,
    error_rows,
    iso_z,
    parse_timestamp,
    public_url,
    repository_row,
)
from ingestion.http import RetryPolicy
from ingestion.snapshots import utc_now


@dlt.source(name="github", max_table_nesting=0)
def github_source(
    org: str = dlt.config.value,
    base_url: str = settings.DEFAULT_BASE_URL,
    token: str = dlt.secrets.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    page_size: int = settings.REPOSITORY_PAGE_SIZE,
    max_attempts: int = 6,
    backoff_factor: float = 0.5,
    max_retry_delay: float = 60.0,
) -> Sequence[DltResource]:
    """Repositories, commits and Dependabot alerts of ``org``.

    Config ``sources.github.org`` / ``base_url`` (default ``https://api.github.com``; GitHub
    Enterprise Server: ``https://HOST/api/v3``) and secret ``sources.github.token``, or env
    ``SOURCES__GITHUB__ORG``, ``SOURCES__GITHUB__BASE_URL``, ``SOURCES__GITHUB__TOKEN``.
    ``snapshot_on`` is the day the main snapshot describes (default: today, UTC);
    ``history`` lists extra ``(day, base_url)`` snapshots of repository state. Building the
    source sends no request: everything is read when dlt extracts.
    """
    day = snapshot_on or dt.datetime.now(dt.UTC).date()
    retry = RetryPolicy(max_attempts, backoff_factor, max_retry_delay)
    snapshots: list[tuple[dt.date, str, bool]] = [(day, base_url, True)]
    snapshots += [(d, url, False) for d, url in history if d != day]
    apis: dict[str, GitHubApi] = {}

    def api(url: str) -> GitHubApi:
        if url not in apis:
            apis[url] = GitHubApi(url, token, retry)
        return apis[url]

    @cache
    def crawl(snapshot_day: dt.date, url: str, with_events: bool) -> Crawl:
        if not with_events:
            return crawl_repositories(api(url), org, page_size=page_size, since=None)
        earliest = min(d for d, _, _ in snapshots)
        return _crawl_main(api(url), org, page_size, snapshot_day, earliest)

    def each_snapshot() -> Iterator[tuple[dt.date, bool, Crawl]]:
        for snapshot_day, url, with_events in snapshots:
            yield snapshot_day, with_events, crawl(snapshot_day, url, with_events)

    def snapshot_rows() -> Iterator[dict[str, Any]]:
        loaded_at = utc_now()
        for snapshot_day, url, with_events in snapshots:
            result = crawl(snapshot_day, url, with_events)
            yield {
                "snapshot_on": snapshot_day,
                "loaded_at": loaded_at,
                "base_url": public_url(url),
                "repository_count": len(result.repos),
                "error_count": sum(len(f.errors) for f in result.repos) + len(result.orphan_errors),
                "graphql_requests": result.graphql_requests,
                "rest_requests": result.rest_requests,
            }

    def repositories() -> Iterator[dict[str, Any]]:
        for snapshot_day, with_events, result in each_snapshot():
            for facts in result.repos:
                yield {"snapshot_on": snapshot_day, **repository_row(facts, with_events)}

    def repository_errors() -> Iterator[dict[str, Any]]:
        for snapshot_day, _, result in each_snapshot():
            for row in error_rows(result):
                yield {"snapshot_on": snapshot_day, **row}

    def commits() -> Iterator[dict[str, Any]]:
        result = crawl(day, base_url, True)
        for facts in result.repos:
            yield from commit_rows(facts)

    def vulnerability_alerts() -> Iterator[dict[str, Any]]:
        result = crawl(day, base_url, True)
        for facts in result.repos:
            if "alerts" not in facts.errors:
                yield from alert_rows(facts)

    snapshot_columns = {"snapshot_on": "date", "loaded_at": "timestamp"}
    return (
        dlt.resource(
            snapshot_rows,
            name="snapshots",
            write_disposition="append",
            columns=column_hints({**snapshot_columns, **settings.SNAPSHOT_COLUMNS}),
        ),
        dlt.resource(
            repositories,
            name="repositories",
            write_disposition="append",
            columns=column_hints({"snapshot_on": "date", **settings.REPOSITORY_COLUMNS}),
        ),
        dlt.resource(
            repository_errors,
            name="repository_errors",
            write_disposition="append",
            columns=column_hints({"snapshot_on": "date", **settings.ERROR_COLUMNS}),
        ),
        dlt.resource(
            commits,
            name="commits",
            write_disposition="merge",
            primary_key=("repo_full_name", "commit_sha"),
            columns=column_hints(settings.COMMIT_COLUMNS),
        ),
        dlt.resource(
            vulnerability_alerts,
            name="vulnerability_alerts",
            write_disposition="merge",
            primary_key=("repo_full_name", "alert_number"),
            columns=column_hints(settings.ALERT_COLUMNS),
        ),
    )


def _crawl_main(api: GitHubApi, org: str, page_size: int, day: dt.date, earliest: dt.date) -> Crawl:
    """The main snapshot: state, alerts, and the commits not loaded before.

    The commit window is the 90 days before the earliest snapshot day of the run, so
    that history days see the commits before them as the main day does.

    dlt source state keeps the newest commit date loaded (``watermark``), where the
    loaded window starts (``window_from``) and the repositories whose window is complete.
    A later run asks only for commits since the watermark minus an overlap, and fills
    the window of repositories it has not seen; a run whose window starts earlier (a
    backfill) reads its whole window again. State is committed with the load, so a
    failed run changes nothing.
    """
    state = dlt.current.source_state().setdefault("commits", {})
    window_start = dt.datetime.combine(earliest, dt.time()) - dt.timedelta(
        days=settings.COMMIT_WINDOW_DAYS
    )
    day_end = dt.datetime.combine(day, dt.time(23, 59, 59))
    watermark = parse_timestamp(state.get("watermark"))
    covered_from = parse_timestamp(state.get("window_from"))
    since, gap_since = window_start, None
    if watermark is not None and covered_from is not None and covered_from <= window_start:
        resume = watermark - dt.timedelta(days=settings.COMMIT_OVERLAP_DAYS)
        if window_start < resume <= day_end:
            since, gap_since = resume, window_start
    result = crawl_repositories(
        api,
        org,
        page_size=page_size,
        since=since,
        gap_since=gap_since,
        known_repos=state.get("complete") or (),
    )
    complete = set(state.get("complete") or ()) if gap_since is not None else set()
    newest = watermark
    for facts in result.repos:
        if "commits" in facts.errors:
            complete.discard(facts.full_name)
            continue
        complete.add(facts.full_name)
        for committed in facts.commits.values():
            if committed <= day_end and (newest is None or committed > newest):
                newest = committed
    state["complete"] = sorted(complete)
    state["watermark"] = iso_z(newest) if newest is not None else None
    if gap_since is None or covered_from is None:  # a full window was read
        covered_from = window_start if covered_from is None else min(covered_from, window_start)
    state["window_from"] = iso_z(covered_from)
    return result
