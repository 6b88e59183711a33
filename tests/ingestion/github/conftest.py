"""One 40-service company and its servers for the GitHub source tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorServers, generate_company
from simulator.model import Company
from tests.ingestion.github.gh_support import TODAY


@pytest.fixture(scope="session")
def gh_company() -> Company:
    return generate_company(seed=7, services=40, today=TODAY)


@pytest.fixture(scope="session")
def gh_servers(gh_company: Company) -> Iterator[SimulatorServers]:
    with SimulatorServers(gh_company) as running:
        yield running


@pytest.fixture
def servers(gh_servers: SimulatorServers) -> Iterator[SimulatorServers]:
    """The session's servers with clean counters, and no fault left behind."""
    gh_servers.clear_faults()
    gh_servers.reset_stats()
    yield gh_servers
    gh_servers.clear_faults()
