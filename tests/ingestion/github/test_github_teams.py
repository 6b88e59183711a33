"""The GitHub teams source: end to end against the simulator, member pagination past the
first page, and its faults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.github_teams import github_teams_source
from ingestion.github_teams.helpers import crawl_teams
from simulator import SimulatorServers
from simulator.model import Company
from tests.ingestion.github.gh_support import PAST, TODAY, count, github_kwargs, pipeline, query

GRAPHQL = ("github", "POST /graphql")


def _run(tmp_path: Path, servers: SimulatorServers, **extra: Any) -> None:
    pipeline(tmp_path, "github_teams", "raw_github_teams").run(
        github_teams_source(**github_kwargs(servers, **extra))
    )


def test_loads_teams_parents_and_direct_members(
    tmp_path: Path, servers: SimulatorServers, gh_company: Company
) -> None:
    _run(tmp_path, servers, history=[(PAST, servers.base_urls_as_of(PAST)["github"])])
    assert servers.stats() == {GRAPHQL: 2}  # one request per snapshot day
    for day_date in (TODAY, PAST):
        day = gh_company.day_of(day_date)
        teams = [t for t in gh_company.teams if t.created_day <= day]
        loaded = query(
            tmp_path,
            "select team_slug, parent_team_slug, member_count from raw_github_teams.teams "
            f"where snapshot_on = date '{day_date.isoformat()}'",
        )
        members = {
            t.github_slug: [
                p
                for p in t.members
                if gh_company.people[p].okta_status_on(day) not in (None, "DEPROVISIONED")
            ]
            for t in teams
        }
        assert sorted(loaded) == sorted(
            (
                f"acme/{t.github_slug}",
                f"acme/{gh_company.teams[t.parent].github_slug}" if t.parent is not None else None,
                len(members[t.github_slug]),
            )
            for t in teams
        )
        logins = query(
            tmp_path,
            "select team_slug, login from raw_github_teams.members "
            f"where snapshot_on = date '{day_date.isoformat()}'",
        )
        assert sorted(logins) == sorted(
            (f"acme/{slug}", gh_company.people[p].github_login.lower())
            for slug, people in members.items()
            for p in people
        )


class _PagedMembersApi:
    """Two teams, one of whose 150 members continue on a second page."""

    source = "github_teams"

    def __init__(self) -> None:
        self.graphql_requests = 0
        self.calls: list[dict[str, Any]] = []

    def graphql(self, query: str, variables: dict[str, Any]):
        self.graphql_requests += 1
        self.calls.append(variables)

        def members(logins: list[str], cursor: str | None) -> dict[str, Any]:
            return {
                "pageInfo": {"hasNextPage": cursor is not None, "endCursor": cursor},
                "edges": [{"role": "MEMBER", "node": {"login": x}} for x in logins],
            }

        if self.graphql_requests == 1:
            big = [f"User{i}" for i in range(100)]
            nodes = [
                {
                    "slug": "big",
                    "combinedSlug": "Acme/big",
                    "name": "Big",
                    "parentTeam": None,
                    "members": members(big, "m100"),
                },
                {
                    "slug": "small",
                    "combinedSlug": "Acme/small",
                    "name": "Small",
                    "parentTeam": {"combinedSlug": "Acme/big"},
                    "members": members(["Lead"], None),
                },
            ]
            page = {"hasNextPage": False, "endCursor": "t2"}
            return {"organization": {"teams": {"pageInfo": page, "nodes": nodes}}}, []
        rest = [f"User{i}" for i in range(100, 150)]
        return {"t0": {"team": {"members": members(rest, None)}}}, []


def test_members_continue_past_the_first_page() -> None:
    api = _PagedMembersApi()
    crawl = crawl_teams(api, "acme")  # type: ignore[arg-type]
    assert api.graphql_requests == 2
    assert api.calls[1] == {"org": "acme", "slug0": "big", "cursor0": "m100"}
    rows = {r["team_slug"]: r for r in crawl.team_rows()}
    assert rows["acme/big"]["member_count"] == 150
    assert rows["acme/small"]["parent_team_slug"] == "acme/big"
    assert {"team_slug": "acme/small", "login": "lead", "role": "member"} in crawl.member_rows()


def test_transient_faults_are_retried(tmp_path: Path, servers: SimulatorServers) -> None:
    servers.set_fault("github", "server_errors", count=2, status=503)
    _run(tmp_path, servers)
    servers.set_fault("github", "rate_limit", count=1, reset_seconds=1, variant="primary_429")
    _run(tmp_path, servers)
    assert servers.stats()[GRAPHQL] == 5
    assert query(tmp_path, "select count(distinct _dlt_load_id) from raw_github_teams.teams") == [
        (2,)
    ]


def test_expired_token_fails_and_a_rerun_loads_once(
    tmp_path: Path, servers: SimulatorServers
) -> None:
    servers.set_fault("github", "expired_token")
    with pytest.raises(PipelineStepFailed) as failure:
        _run(tmp_path, servers)
    message = str(failure.value)
    assert "source github_teams: HTTP 401 on POST /graphql" in message
    assert servers.credentials["github"]["token"] not in message
    assert count(tmp_path, "raw_github_teams", "teams") == 0
    servers.clear_faults("github")
    _run(tmp_path, servers)
    ((teams, distinct),) = query(
        tmp_path, "select count(*), count(distinct team_slug) from raw_github_teams.teams"
    )
    assert teams == distinct > 0
    assert count(tmp_path, "raw_github_teams", "snapshots") == 1
