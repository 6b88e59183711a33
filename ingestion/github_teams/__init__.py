"""dlt source: the teams of a GitHub organisation and their direct members.

Tables (dataset ``raw_github_teams``), all daily snapshots (append-only, every row
stamped with ``snapshot_on``): ``snapshots``, ``teams`` (``org/slug``, name, parent),
``members`` (team, login, role). ``history`` days are read again from their own base URL
(the simulator's ``/_as_of/YYYY-MM-DD``) in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ingestion.github.helpers import GitHubApi, column_hints, public_url
from ingestion.github_teams import settings
from ingestion.github_teams.helpers import TeamsCrawl, crawl_teams
from ingestion.http import RetryPolicy
from ingestion.snapshots import utc_now


@dlt.source(name="github_teams", max_table_nesting=0)
def github_teams_source(
    org: str = dlt.config.value,
    base_url: str = settings.DEFAULT_BASE_URL,
    token: str = dlt.secrets.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    max_attempts: int = 6,
    backoff_factor: float = 0.5,
    max_retry_delay: float = 60.0,
) -> Sequence[DltResource]:
    """Teams and members of ``org``, through GitHub's GraphQL API.

    Config ``sources.github_teams.org`` / ``base_url`` and secret
    ``sources.github_teams.token`` (env ``SOURCES__GITHUB_TEAMS__ORG``, ...). The token
    needs ``read:org``. Building the source sends no request.
    """
    day = snapshot_on or dt.datetime.now(dt.UTC).date()
    retry = RetryPolicy(max_attempts, backoff_factor, max_retry_delay)
    snapshots = [(day, base_url), *((d, url) for d, url in history if d != day)]

    @cache
    def crawl(url: str) -> TeamsCrawl:
        return crawl_teams(GitHubApi(url, token, retry, source=settings.SOURCE_NAME), org)

    def snapshot_rows() -> Iterator[dict[str, Any]]:
        loaded_at = utc_now()
        for snapshot_day, url in snapshots:
            result = crawl(url)
            yield {
                "snapshot_on": snapshot_day,
                "loaded_at": loaded_at,
                "base_url": public_url(url),
                "team_count": len(result.teams),
                "member_count": sum(len(t.members) for t in result.teams),
                "graphql_requests": result.graphql_requests,
            }

    def teams() -> Iterator[dict[str, Any]]:
        for snapshot_day, url in snapshots:
            for row in crawl(url).team_rows():
                yield {"snapshot_on": snapshot_day, **row}

    def members() -> Iterator[dict[str, Any]]:
        for snapshot_day, url in snapshots:
            for row in crawl(url).member_rows():
                yield {"snapshot_on": snapshot_day, **row}

    return (
        dlt.resource(
            snapshot_rows,
            name="snapshots",
            write_disposition="append",
            columns=column_hints(
                {"snapshot_on": "date", "loaded_at": "timestamp", **settings.SNAPSHOT_COLUMNS}
            ),
        ),
        dlt.resource(
            teams,
            name="teams",
            write_disposition="append",
            columns=column_hints({"snapshot_on": "date", **settings.TEAM_COLUMNS}),
        ),
        dlt.resource(
            members,
            name="members",
            write_disposition="append",
            columns=column_hints({"snapshot_on": "date", **settings.MEMBER_COLUMNS}),
        ),
    )
