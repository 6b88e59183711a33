"""Both sources end to end against the 40-service company: real dlt pipelines into one
DuckDB file (today, a past day through ``/_as_of/``, then a daily re-run), then
`dbt build --select staging.github staging.github_teams`. The raw tables and the staging
models must reproduce the simulator's ground truth for every service on both days."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb
import pytest

from ingestion.github import github_source
from ingestion.github_teams import github_teams_source
from simulator import SimulatorServers, generate_company, rule_outcomes
from simulator.model import Company
from tests.ingestion.github.gh_support import (
    FAR_PAST,
    PAST,
    TODAY,
    github_kwargs,
    pipeline,
    query,
)

REPO = Path(__file__).resolve().parents[3]
GRAPHQL = ("github", "POST /graphql")
RULES = (
    "branch-protection",
    "ci-pipeline",
    "merge-approval",
    "recent-commit",
    "no-vulnerabilities",
)
CONTRACT = {
    "stg_github__snapshots": {
        "snapshot_on": "DATE",
        "load_id": "VARCHAR",
        "loaded_at": "TIMESTAMP",
    },
    "stg_github__repositories": {
        "snapshot_on": "DATE",
        "repo_full_name": "VARCHAR",
        "is_archived": "BOOLEAN",
        "default_branch": "VARCHAR",
        "branch_protected": "BOOLEAN",
        "protection_source": "VARCHAR",
        "required_approving_review_count": "INTEGER",
        "ci_configured": "BOOLEAN",
        "ci_systems": "VARCHAR",
        "pushed_at": "TIMESTAMP",
    },
    "stg_github__commits": {
        "repo_full_name": "VARCHAR",
        "commit_sha": "VARCHAR",
        "committed_at": "TIMESTAMP",
    },
    "stg_github__vulnerability_alerts": {
        "repo_full_name": "VARCHAR",
        "alert_number": "INTEGER",
        "state": "VARCHAR",
        "severity": "VARCHAR",
        "created_at": "TIMESTAMP",
        "fixed_at": "TIMESTAMP",
        "dismissed_at": "TIMESTAMP",
    },
    "stg_github_teams__snapshots": {
        "snapshot_on": "DATE",
        "load_id": "VARCHAR",
        "loaded_at": "TIMESTAMP",
    },
    "stg_github_teams__teams": {
        "snapshot_on": "DATE",
        "team_slug": "VARCHAR",
        "name": "VARCHAR",
        "parent_team_slug": "VARCHAR",
    },
    "stg_github_teams__members": {
        "snapshot_on": "DATE",
        "team_slug": "VARCHAR",
        "login": "VARCHAR",
    },
}


@dataclass
class Loaded:
    path: Path
    company: Company
    first_run: dict[tuple[str, str], int]
    daily_run: dict[tuple[str, str], int]
    counts_after_first: dict[str, int] = field(default_factory=dict)
    state: dict = field(default_factory=dict)

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.sql(sql).fetchall()

    def counts(self) -> dict[str, int]:
        return {
            table: self.rows(f"select count(*) from raw_github.{table}")[0][0]
            for table in ("snapshots", "repositories", "commits", "vulnerability_alerts")
        }


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory, gh_servers: SimulatorServers, gh_company: Company
) -> Loaded:
    tmp = tmp_path_factory.mktemp("github-load")
    servers = gh_servers
    servers.clear_faults()
    servers.reset_stats()
    past = [(PAST, servers.base_urls_as_of(PAST)["github"])]
    github = pipeline(tmp, "github_load", "raw_github")
    github.run(github_source(**github_kwargs(servers, history=past)))
    result = Loaded(tmp / "warehouse.duckdb", gh_company, servers.stats(), {})
    result.counts_after_first = result.counts()
    servers.reset_stats()
    github.run(github_source(**github_kwargs(servers)))
    result.daily_run = servers.stats()
    result.state = github.state["sources"]["github"]["commits"]
    pipeline(tmp, "github_teams_load", "raw_github_teams").run(
        github_teams_source(**github_kwargs(servers, history=past))
    )
    dbt = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--select",
            "staging.github",
            "staging.github_teams",
            "--project-dir",
            str(REPO / "dbt_project"),
            "--profiles-dir",
            str(REPO / "dbt_project"),
        ],
        env={
            **os.environ,
            "READINESS_WAREHOUSE": str(result.path),
            "DBT_TARGET_PATH": str(tmp / "dbt-target"),
            "DBT_LOG_PATH": str(tmp / "dbt-logs"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert dbt.returncode == 0, dbt.stdout[-4000:] + dbt.stderr[-2000:]
    assert "ERROR=0" in dbt.stdout
    return result


def expected_outcomes(company: Company, day: dt.date) -> dict[str, dict[str, bool]]:
    """``{org/repo: {rule: passed}}`` of the five GitHub rules, from the model."""
    by_name = {s.name: s for s in company.services}
    return {
        f"{company.org}/{by_name[name].repo.name}".lower(): {rule: rules[rule] for rule in RULES}
        for name, rules in rule_outcomes(company, day).items()
    }


def outcomes(
    state: list[tuple], latest: dict[str, dt.datetime], vulnerable: set[str], end: dt.datetime
) -> dict[str, dict[str, bool]]:
    out = {}
    for repo, protected, approvals, ci in state:
        assert None not in (protected, approvals, ci), repo  # nothing unknown here
        committed = latest.get(repo)
        out[repo] = {
            "branch-protection": protected,
            "ci-pipeline": ci,
            "merge-approval": protected and approvals >= 1,
            "recent-commit": committed is not None and end - committed <= dt.timedelta(days=7),
            "no-vulnerabilities": repo not in vulnerable,
        }
    return out


def raw_outcomes(rows: Callable[[str], list[tuple]], day: dt.date) -> dict[str, dict[str, bool]]:
    """The five GitHub rules of ``day`` re-derived from the raw tables."""
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    cutoff = f"timestamp '{end.isoformat(sep=' ')}'"
    state = rows(
        "select repo_full_name, branch_protected, required_approving_review_count, "
        "ci_configured from raw_github.repositories "
        f"where snapshot_on = date '{day.isoformat()}' and _dlt_load_id = "
        f"(select max(_dlt_load_id) from raw_github.snapshots where snapshot_on = '{day}')"
    )
    latest = dict(
        rows(
            "select repo_full_name, max(committed_at) from raw_github.commits "
            f"where committed_at <= {cutoff} group by 1"
        )
    )
    vulnerable = {
        repo
        for (repo,) in rows(
            "select distinct repo_full_name from raw_github.vulnerability_alerts "
            f"where severity in ('HIGH', 'CRITICAL') and created_at <= {cutoff} and "
            f"coalesce(fixed_at, dismissed_at, auto_dismissed_at, {cutoff} + interval 1 day)"
            f" > {cutoff}"
        )
    }
    return outcomes(state, latest, vulnerable, end)


def test_raw_tables_reproduce_the_ground_truth_today_and_on_a_past_day(loaded: Loaded) -> None:
    for day in (TODAY, PAST):
        expected = expected_outcomes(loaded.company, day)
        assert raw_outcomes(loaded.rows, day) == expected, day
        for rule in RULES:  # both outcomes occur, so the comparison is not vacuous
            assert {r[rule] for r in expected.values()} == {True, False}, (day, rule)
    assert loaded.rows("select count(*), sum(error_count) from raw_github.snapshots") == [(3, 0)]
    # Protection source and CI systems as the model configured them.
    by_repo = {f"acme/{s.repo.name}".lower(): s for s in loaded.company.services}
    rows = loaded.rows(
        "select distinct repo_full_name, branch_protected, protection_source, ci_systems, "
        f"default_branch from raw_github.repositories where snapshot_on = date '{TODAY}'"
    )
    ci_names = {"jenkins": "jenkins", "circleci": "circleci", "gitlab": "gitlab-ci"}
    for repo, protected, source, systems, branch in rows:
        repo_model = by_repo[repo].repo
        assert branch == repo_model.default_branch
        assert source == (repo_model.protection_mode if protected else None), repo
        if systems and repo_model.ci_kind != "actions":
            assert systems == ci_names[repo_model.ci_kind], repo
    assert {r[2] for r in rows} == {"classic", "ruleset", None}


def test_a_daily_rerun_is_incremental_and_never_duplicates(loaded: Loaded) -> None:
    after = loaded.counts()
    first = loaded.counts_after_first
    assert after["commits"] == first["commits"]
    assert after["vulnerability_alerts"] == first["vulnerability_alerts"]
    assert after["snapshots"] == first["snapshots"] + 1
    assert loaded.rows(
        "select count(*) from (select repo_full_name, commit_sha from raw_github.commits "
        "group by all having count(*) > 1)"
    ) == [(0,)]
    # The first run filled 90 days of commits (follow-ups for busy histories) and read
    # the past day; the daily run asked only for commits since the last one.
    assert loaded.first_run[GRAPHQL] > loaded.daily_run[GRAPHQL] == 1
    assert loaded.state["watermark"] is not None and len(loaded.state["complete"]) == 40
    assert loaded.state["window_from"] == f"{PAST - dt.timedelta(days=90)}T00:00:00Z"


def test_the_commit_window_reaches_back_from_the_oldest_history_day(tmp_path: Path) -> None:
    """The demo seeds 90 days of history: its oldest day's rules need the commits of the
    week before it, 90 days back from that day rather than from today."""
    company = generate_company(seed=11, services=12, today=TODAY)
    with SimulatorServers(company) as servers:
        history = [(FAR_PAST, servers.base_urls_as_of(FAR_PAST)["github"])]
        github = pipeline(tmp_path, "github_window", "raw_github")
        github.run(github_source(**github_kwargs(servers, history=history)))
    state = github.state["sources"]["github"]["commits"]
    assert state["window_from"] == f"{FAR_PAST - dt.timedelta(days=90)}T00:00:00Z"
    window = query(
        tmp_path,
        "select count(*) from raw_github.commits where committed_at between "
        f"timestamp '{FAR_PAST - dt.timedelta(days=7)}' and timestamp '{FAR_PAST}'",
    )
    assert window[0][0] > 12  # the week before the oldest day, not only head commits
    for day in (TODAY, FAR_PAST):
        assert raw_outcomes(partial(query, tmp_path), day) == expected_outcomes(company, day)


def test_staging_models_expose_exactly_the_contract(loaded: Loaded) -> None:
    for model, columns in CONTRACT.items():
        described = loaded.rows(
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = 'staging' and table_name = '{model}' order by ordinal_position"
        )
        assert described == list(columns.items()), model
    # One snapshot row per day: of today's two loads the newest counts.
    snapshots = dict(loaded.rows("select snapshot_on, load_id from staging.stg_github__snapshots"))
    assert sorted(snapshots) == [PAST, TODAY]
    newest = loaded.rows("select max(_dlt_load_id) from raw_github.snapshots")[0][0]
    assert snapshots[TODAY] == newest
    assert loaded.rows(
        "select snapshot_on, count(*) from staging.stg_github__repositories group by 1 order by 1"
    ) == [(d, len(expected_outcomes(loaded.company, d))) for d in (PAST, TODAY)]
    severities = loaded.rows(
        "select distinct severity from staging.stg_github__vulnerability_alerts"
    )
    assert {s for (s,) in severities} == {"low", "medium", "high", "critical"}
    states = loaded.rows("select distinct state from staging.stg_github__vulnerability_alerts")
    assert {s for (s,) in states} <= {"open", "fixed", "dismissed", "auto_dismissed"}
    assert loaded.rows(
        "select count(*) from staging.stg_github__vulnerability_alerts "
        "where state = 'auto_dismissed' and dismissed_at is null"
    ) == [(0,)]


def test_staging_reproduces_the_ground_truth(loaded: Loaded) -> None:
    for day in (TODAY, PAST):
        end = dt.datetime.combine(day, dt.time(23, 59, 59))
        cutoff = f"timestamp '{end.isoformat(sep=' ')}'"
        state = loaded.rows(
            "select repo_full_name, branch_protected, required_approving_review_count, "
            "ci_configured from staging.stg_github__repositories "
            f"where snapshot_on = date '{day.isoformat()}'"
        )
        latest = dict(
            loaded.rows(
                "select repo_full_name, max(committed_at) from staging.stg_github__commits "
                f"where committed_at <= {cutoff} group by 1"
            )
        )
        vulnerable = {
            repo
            for (repo,) in loaded.rows(
                "select distinct repo_full_name from staging.stg_github__vulnerability_alerts "
                f"where severity in ('high', 'critical') and created_at <= {cutoff} "
                f"and coalesce(fixed_at, dismissed_at, {cutoff} + interval 1 day) > {cutoff}"
            )
        }
        assert outcomes(state, latest, vulnerable, end) == expected_outcomes(loaded.company, day)


def test_staging_teams_match_the_company(loaded: Loaded) -> None:
    company = loaded.company
    for day_date in (TODAY, PAST):
        day = company.day_of(day_date)
        teams = [t for t in company.teams if t.created_day <= day]
        loaded_teams = {
            slug: (name, parent)
            for slug, name, parent in loaded.rows(
                "select team_slug, name, parent_team_slug from staging.stg_github_teams__teams "
                f"where snapshot_on = date '{day_date.isoformat()}'"
            )
        }
        assert loaded_teams == {
            f"acme/{t.github_slug}": (
                t.title,
                f"acme/{company.teams[t.parent].github_slug}" if t.parent is not None else None,
            )
            for t in teams
        }
        loaded_members = set(
            loaded.rows(
                "select team_slug, login from staging.stg_github_teams__members "
                f"where snapshot_on = date '{day_date.isoformat()}'"
            )
        )
        assert loaded_members == {
            (f"acme/{t.github_slug}", company.people[p].github_login.lower())
            for t in teams
            for p in t.members
            if company.people[p].okta_status_on(day) not in (None, "DEPROVISIONED")
        }
    assert any(parent for _, parent in loaded_teams.values())
