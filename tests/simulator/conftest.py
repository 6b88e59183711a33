"""Shared fixtures: one 150-service company and its servers for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from simulator import SimulatorServers, generate_company
from simulator.model import Company
from tests.simulator.sim_support import TODAY, auth_headers


@pytest.fixture(scope="session")
def company() -> Company:
    return generate_company(seed=7, services=150, today=TODAY)


@pytest.fixture(scope="session")
def servers(company: Company) -> Iterator[SimulatorServers]:
    with SimulatorServers(company) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_leftover_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "servers" in request.fixturenames:
        request.getfixturevalue("servers").clear_faults()


@pytest.fixture(scope="session")
def http(servers: SimulatorServers) -> dict[str, requests.Session]:
    """A keep-alive session per source, pre-authenticated."""
    sessions = {}
    for source in servers.base_urls:
        session = requests.Session()
        session.headers.update(auth_headers(servers, source))
        sessions[source] = session
    return sessions
