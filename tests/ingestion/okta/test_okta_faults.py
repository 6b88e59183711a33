"""One test per simulator fault kind: transient faults are ridden out, persistent ones fail
the run with a clear message and load nothing, and a re-run after the fault loads cleanly."""

from __future__ import annotations

import time
from pathlib import Path

import dlt
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.okta import helpers
from simulator import SimulatorServers
from tests.ingestion.okta.okta_support import FAST, current, make_pipeline, query, source

TABLES = ("users", "groups", "group_members")


def _snapshot(tmp_path: Path) -> dict[str, list[tuple]]:
    """What staging would count: the newest load of each day, per table, sorted."""
    return {
        table: query(
            tmp_path,
            f"select * exclude (_dlt_load_id, _dlt_id) from ({current(table)}) order by all",
        )
        for table in TABLES
    }


def _loads(tmp_path: Path) -> list[tuple]:
    return query(tmp_path, "select load_id, status from raw_okta._dlt_loads order by load_id")


@pytest.fixture(scope="module")
def baseline(
    tmp_path_factory: pytest.TempPathFactory, okta_servers: SimulatorServers
) -> dict[str, list[tuple]]:
    """A clean load of today, the reference every fault run is compared with."""
    folder = tmp_path_factory.mktemp("baseline")
    make_pipeline(folder).run(source(okta_servers, **FAST))
    return _snapshot(folder)


def _run(tmp_path: Path, servers: SimulatorServers) -> dlt.Pipeline:
    pipeline = make_pipeline(tmp_path / "run")
    pipeline.run(source(servers, **FAST))
    return pipeline


@pytest.mark.parametrize("variant", ["once", "three_times"])
def test_rate_limit_waits_for_the_reset_epoch(
    tmp_path: Path, servers: SimulatorServers, baseline: dict, variant: str
) -> None:
    count = 1 if variant == "once" else 3
    servers.set_fault("okta", "rate_limit", count=count, reset_seconds=1)
    started = time.monotonic()
    _run(tmp_path, servers)
    elapsed = time.monotonic() - started
    assert _snapshot(tmp_path / "run") == baseline
    if count == 3:
        # each 429 says "reset at the next whole second": waiting it out takes ≥ 1 s in all,
        # far longer than the 0.05 s exponential backoff would have waited
        assert elapsed >= 1.0


def test_server_error_burst_is_retried(
    tmp_path: Path, servers: SimulatorServers, baseline: dict
) -> None:
    servers.set_fault("okta", "server_errors", count=3, status=503)
    _run(tmp_path, servers)
    assert _snapshot(tmp_path / "run") == baseline


def test_slow_responses_still_load(
    tmp_path: Path, servers: SimulatorServers, baseline: dict
) -> None:
    servers.set_fault("okta", "slow", seconds=0.2, count=4)
    _run(tmp_path, servers)
    assert _snapshot(tmp_path / "run") == baseline


def test_one_truncated_body_is_asked_again(
    tmp_path: Path, servers: SimulatorServers, baseline: dict
) -> None:
    servers.set_fault("okta", "malformed_json", count=1)
    _run(tmp_path, servers)
    assert _snapshot(tmp_path / "run") == baseline


def _persistent_fault_fails_cleanly(
    tmp_path: Path, servers: SimulatorServers, baseline: dict, kind: str, **params
) -> str:
    """A good load; then a run under the fault fails and adds no load; then, once the
    fault clears, a re-run gives exactly the baseline again. Returns the error text."""
    pipeline = _run(tmp_path, servers)
    loads = _loads(tmp_path / "run")
    raw_rows = query(tmp_path / "run", "select count(*) from raw_okta.users")
    servers.set_fault("okta", kind, **params)
    with pytest.raises(PipelineStepFailed) as failure:
        pipeline.run(source(servers, **FAST))
    assert _loads(tmp_path / "run") == loads  # nothing of the failed run was loaded
    assert query(tmp_path / "run", "select count(*) from raw_okta.users") == raw_rows
    assert not pipeline.has_pending_data
    servers.clear_faults("okta")
    pipeline.run(source(servers, **FAST))
    assert len(_loads(tmp_path / "run")) == len(loads) + 1
    assert _snapshot(tmp_path / "run") == baseline  # the re-run duplicates nothing
    message = str(failure.value)
    assert servers.credentials["okta"]["token"] not in message
    return message


def test_expired_token_fails_with_the_status_and_path(
    tmp_path: Path, servers: SimulatorServers, baseline: dict
) -> None:
    message = _persistent_fault_fails_cleanly(tmp_path, servers, baseline, "expired_token")
    assert "source okta: HTTP 401 on GET /api/v1/users: E0000011 Invalid token provided" in message
    assert "sources.okta.api_token" in message


def test_broken_pagination_fails_after_retries(
    tmp_path: Path,
    servers: SimulatorServers,
    baseline: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(helpers, "USERS_PAGE_SIZE", 10)  # so the users list has a page 2
    message = _persistent_fault_fails_cleanly(
        tmp_path, servers, baseline, "broken_pagination", mode="server_error"
    )
    assert "source okta: HTTP 500 on GET /api/v1/users" in message


def test_invalid_cursor_fails_at_once(
    tmp_path: Path,
    servers: SimulatorServers,
    baseline: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(helpers, "USERS_PAGE_SIZE", 10)
    message = _persistent_fault_fails_cleanly(
        tmp_path, servers, baseline, "broken_pagination", mode="invalid_cursor"
    )
    assert "HTTP 400 on GET /api/v1/users: E0000001" in message


def test_persistently_malformed_json_fails(
    tmp_path: Path, servers: SimulatorServers, baseline: dict
) -> None:
    message = _persistent_fault_fails_cleanly(
        tmp_path, servers, baseline, "malformed_json", count=1000
    )
    assert "source okta: malformed JSON in page 1 of GET /api/v1/users" in message
