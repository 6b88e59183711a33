"""Requests per run, counted by the simulator, for the 150-service demo company."""

from __future__ import annotations

import math
from pathlib import Path

from ingestion.github import github_source
from ingestion.github_teams import github_teams_source
from simulator import SimulatorServers, generate_company
from simulator.git_state import workflows_on
from tests.ingestion.github.gh_support import TODAY, github_kwargs, pipeline, query

NAIVE_CALLS_PER_REPO = 6  # repo, protection, rulesets, commits, workflows, alerts
WORKFLOWS = ("github", "GET /repos/{owner}/{repo}/actions/workflows")
GRAPHQL = ("github", "POST /graphql")


def test_requests_per_daily_run_stay_far_below_one_rest_call_per_fact(tmp_path: Path) -> None:
    company = generate_company(seed=7, services=150, today=TODAY)
    day = company.today_day
    repos = [s for s in company.services if s.exists_on(day)]
    with_workflow_files = sum(1 for s in repos if workflows_on(s, day))
    pages = math.ceil(len(repos) / 50)
    with SimulatorServers(company) as servers:
        github = pipeline(tmp_path, "github_requests", "raw_github")
        github.run(github_source(**github_kwargs(servers)))
        first = servers.stats()
        servers.reset_stats()
        github.run(github_source(**github_kwargs(servers)))
        daily = servers.stats()
        servers.reset_stats()
        pipeline(tmp_path, "github_teams_requests", "raw_github_teams").run(
            github_teams_source(**github_kwargs(servers))
        )
        teams = servers.stats()

    # First run: the bulk pages, plus follow-ups (25 repositories each) for histories
    # longer than 100 commits in the 90-day window.
    assert pages < first[GRAPHQL] <= pages + 4 * math.ceil(len(repos) / 25)
    assert first[WORKFLOWS] == with_workflow_files
    # A daily run: one GraphQL request per 50 repositories (commits since the last run
    # fit in them), and the workflow list only of repositories with workflow files
    # (GraphQL has no Actions workflow state).
    assert daily == {GRAPHQL: pages, WORKFLOWS: with_workflow_files}
    assert sum(daily.values()) / len(repos) < 1 < NAIVE_CALLS_PER_REPO
    recorded = query(
        tmp_path,
        "select graphql_requests, rest_requests from raw_github.snapshots "
        "order by _dlt_load_id desc limit 1",
    )
    assert recorded == [(pages, with_workflow_files)]  # the source counts what it sends
    # Teams: every team with its members in one request, not 1 + one per team.
    assert teams == {GRAPHQL: 1} and len(company.teams) > 1
