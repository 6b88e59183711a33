"""One 40-service simulated company and its servers for the PagerDuty tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorServers, generate_company
from simulator.model import Company
from tests.ingestion.pagerduty.pagerduty_support import TODAY


@pytest.fixture(scope="session")
def pd_company() -> Company:
    return generate_company(seed=7, services=40, today=TODAY)


@pytest.fixture(scope="session")
def pd_servers(pd_company: Company) -> Iterator[SimulatorServers]:
    with SimulatorServers(pd_company) as running:
        yield running


@pytest.fixture
def servers(pd_servers: SimulatorServers) -> Iterator[SimulatorServers]:
    """The session's servers, with counters reset and no fault left behind."""
    pd_servers.clear_faults()
    pd_servers.reset_stats()
    yield pd_servers
    pd_servers.clear_faults()
