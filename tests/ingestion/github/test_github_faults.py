"""One test per simulator fault kind: transient faults are retried as the headers say and
the load succeeds; persistent ones fail the dlt run with a message naming the source, the
status and the path (never the token), load nothing, and a re-run after the fault clears
loads without duplicates."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.github import github_source
from simulator import SimulatorServers
from tests.ingestion.github.gh_support import count, github_kwargs, pipeline, query

GRAPHQL = ("github", "POST /graphql")
TABLES = ("snapshots", "repositories", "commits", "vulnerability_alerts")


def _run(tmp_path: Path, servers: SimulatorServers, **extra) -> float:
    started = time.monotonic()
    pipeline(tmp_path, "github_faults", "raw_github").run(
        github_source(**github_kwargs(servers, **extra))
    )
    return time.monotonic() - started


def _counts(tmp_path: Path) -> dict[str, int]:
    return {table: count(tmp_path, "raw_github", table) for table in TABLES}


def _assert_no_duplicates(tmp_path: Path) -> None:
    assert query(
        tmp_path,
        "select count(*) from (select repo_full_name, commit_sha from raw_github.commits "
        "group by all having count(*) > 1)",
    ) == [(0,)]
    assert query(
        tmp_path,
        "select count(*) from (select repo_full_name, alert_number "
        "from raw_github.vulnerability_alerts group by all having count(*) > 1)",
    ) == [(0,)]
    assert query(
        tmp_path,
        "select count(*) from (select snapshot_on, repo_full_name, _dlt_load_id "
        "from raw_github.repositories group by all having count(*) > 1)",
    ) == [(0,)]


def _fails(tmp_path: Path, servers: SimulatorServers, *expected: str, **extra) -> str:
    with pytest.raises(PipelineStepFailed) as failure:
        _run(tmp_path, servers, **extra)
    message = str(failure.value)
    for part in ("source github", *expected):
        assert part in message, message
    assert servers.credentials["github"]["token"] not in message
    return message


@pytest.mark.parametrize(
    ("variant", "throttled", "min_wait"), [("primary", 2, 0.0), ("secondary", 1, 0.95)]
)
def test_rate_limit_is_waited_out(
    tmp_path: Path, servers: SimulatorServers, variant: str, throttled: int, min_wait: float
) -> None:
    # primary: GraphQL's 200 + RATE_LIMITED + x-ratelimit-reset (epoch, ≤ 1 s away);
    # secondary: 403 + Retry-After: 1, waited in full.
    servers.set_fault("github", "rate_limit", count=throttled, reset_seconds=1, variant=variant)
    elapsed = _run(tmp_path, servers)
    assert elapsed >= min_wait
    assert servers.faults()["github"] == {}  # every throttled answer was consumed
    assert _counts(tmp_path)["repositories"] == 40


def test_a_burst_of_server_errors_is_retried(tmp_path: Path, servers: SimulatorServers) -> None:
    servers.set_fault("github", "server_errors", count=3, status=502)
    _run(tmp_path, servers)
    assert servers.stats()[GRAPHQL] >= 4
    assert _counts(tmp_path)["repositories"] == 40


def test_slow_responses_only_take_longer(tmp_path: Path, servers: SimulatorServers) -> None:
    servers.set_fault("github", "slow", seconds=0.3, count=3)
    assert _run(tmp_path, servers) >= 0.9
    assert _counts(tmp_path)["repositories"] == 40


def test_malformed_json_is_asked_again_then_fails_when_it_persists(
    tmp_path: Path, servers: SimulatorServers
) -> None:
    servers.set_fault("github", "malformed_json", count=1)
    _run(tmp_path, servers)
    loaded = _counts(tmp_path)
    assert loaded["repositories"] == 40

    servers.set_fault("github", "malformed_json", count=50)
    _fails(tmp_path, servers, "malformed JSON", "/graphql")
    assert _counts(tmp_path) == loaded

    servers.clear_faults("github")
    _run(tmp_path, servers)
    after = _counts(tmp_path)
    assert after["commits"] == loaded["commits"]
    assert after["repositories"] == 2 * loaded["repositories"]
    _assert_no_duplicates(tmp_path)


def test_broken_pagination_fails_and_loads_nothing(
    tmp_path: Path, servers: SimulatorServers
) -> None:
    # 10 repositories per page: the second page of the bulk query is a follow-up page.
    servers.set_fault("github", "broken_pagination", mode="server_error")
    _fails(tmp_path, servers, "HTTP 500 on POST /graphql", page_size=10)
    servers.set_fault("github", "broken_pagination", mode="invalid_cursor")
    _fails(tmp_path, servers, "INVALID_CURSOR_ARGUMENTS", page_size=10)
    assert _counts(tmp_path) == dict.fromkeys(TABLES, 0)

    servers.clear_faults("github")
    _run(tmp_path, servers, page_size=10)
    assert _counts(tmp_path)["repositories"] == 40
    assert _counts(tmp_path)["snapshots"] == 1
    _assert_no_duplicates(tmp_path)


def test_expired_token_fails_without_touching_the_last_load(
    tmp_path: Path, servers: SimulatorServers
) -> None:
    _run(tmp_path, servers)
    loaded = _counts(tmp_path)

    before = servers.stats()[GRAPHQL]
    servers.set_fault("github", "expired_token")
    message = _fails(tmp_path, servers, "HTTP 401 on POST /graphql", "Bad credentials")
    assert "sources.github.token" in message
    assert _counts(tmp_path) == loaded
    assert servers.stats()[GRAPHQL] == before + 1  # refused once, not retried

    servers.clear_faults("github")
    _run(tmp_path, servers)
    after = _counts(tmp_path)
    assert after["snapshots"] == 2 and after["commits"] == loaded["commits"]
    _assert_no_duplicates(tmp_path)
