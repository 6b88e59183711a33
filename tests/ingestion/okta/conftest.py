"""One 40-service simulated company and its servers for the Okta tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorServers, generate_company
from simulator.model import Company
from tests.ingestion.okta.okta_support import TODAY


@pytest.fixture(scope="session")
def okta_company() -> Company:
    return generate_company(seed=7, services=40, today=TODAY)


@pytest.fixture(scope="session")
def okta_servers(okta_company: Company) -> Iterator[SimulatorServers]:
    with SimulatorServers(okta_company) as running:
        yield running


@pytest.fixture
def servers(okta_servers: SimulatorServers) -> Iterator[SimulatorServers]:
    """The session's servers, with counters reset and no fault left behind."""
    okta_servers.clear_faults()
    okta_servers.reset_stats()
    yield okta_servers
    okta_servers.clear_faults()
