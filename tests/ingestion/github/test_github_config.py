"""Building the sources is free of I/O (Dagster builds them with placeholders), and their
configuration comes from dlt config/secrets or ``SOURCES__<SOURCE>__<KEY>`` variables."""

from __future__ import annotations

from pathlib import Path

import dlt
import pytest

from ingestion.github import github_source
from ingestion.github_teams import github_teams_source
from simulator import SimulatorServers
from tests.ingestion.github.gh_support import TODAY


def test_building_the_sources_sends_no_request() -> None:
    # An unresolvable host: any request while building would raise here.
    github = github_source(org="unset", base_url="http://unset", token="unset")
    assert {name: r.write_disposition for name, r in github.resources.items()} == {
        "snapshots": "append",
        "repositories": "append",
        "repository_errors": "append",
        "commits": "merge",
        "vulnerability_alerts": "merge",
    }
    schema = github.resources["commits"].compute_table_schema()
    assert [c for c, h in schema["columns"].items() if h.get("primary_key")] == [
        "repo_full_name",
        "commit_sha",
    ]
    assert schema["columns"]["committed_at"]["data_type"] == "timestamp"
    teams = github_teams_source(org="unset", base_url="http://unset", token="unset")
    assert set(teams.resources) == {"snapshots", "teams", "members"}


def test_configuration_comes_from_environment_variables(
    tmp_path: Path, servers: SimulatorServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = servers.credentials["github"]["token"]
    for source in ("GITHUB", "GITHUB_TEAMS"):
        monkeypatch.setenv(f"SOURCES__{source}__ORG", "acme")
        monkeypatch.setenv(f"SOURCES__{source}__BASE_URL", servers.base_urls["github"])
        monkeypatch.setenv(f"SOURCES__{source}__TOKEN", token)
    teams = list(github_teams_source(snapshot_on=TODAY).resources["teams"])
    assert teams and all(t["team_slug"].startswith("acme/") for t in teams)
    extract = dlt.pipeline(
        pipeline_name="test_github_env",
        pipelines_dir=str(tmp_path),
        destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
    )
    extract.extract(github_source(snapshot_on=TODAY))
    assert servers.stats()[("github", "POST /graphql")] >= 2
