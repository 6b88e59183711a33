"""The Backstage catalog API source against the simulated Backstage, over real HTTP."""

from __future__ import annotations

import pytest

from ingestion.backstage import catalog_rows, helpers
from ingestion.catalog.parse import read_catalog
from ingestion.http import RetryPolicy
from simulator import SimulatorServers, generate_company, write_catalog

FAST = RetryPolicy(max_attempts=3, backoff_factor=0.0, max_delay=0.0)


@pytest.fixture(scope="module")
def servers():
    with SimulatorServers(generate_company(seed=7, services=40)) as running:
        yield running


def client(servers, token=None):
    token = servers.credentials["backstage"]["token"] if token is None else token
    return helpers.backstage_client(servers.base_urls["backstage"], token, FAST, 10)


def test_pages_follow_the_cursor_and_give_what_the_files_give(servers, tmp_path):
    servers.reset_stats()
    api = catalog_rows(helpers.query_entities(client(servers), page_size=9))
    requests = servers.stats()[("backstage", "GET /api/catalog/entities/by-query")]
    assert requests == -(-len(api.entities) // 9)  # ceil: one request per page
    write_catalog(servers.company, tmp_path)
    files = read_catalog(tmp_path)

    def comparable(entity):
        return sorted((k, str(v)) for k, v in entity.items() if k not in ("file", "document_index"))

    assert sorted(map(comparable, api.entities)) == sorted(map(comparable, files.entities))
    assert {e["file"] for e in api.entities} >= {"file:/srv/catalog/domains.yaml"}
    assert [p["message"] for p in api.problems] == [p["message"] for p in files.problems]


def test_filters_narrow_the_catalog(servers):
    kinds = {
        e["kind"] for e in helpers.query_entities(client(servers), ["kind=group", "kind=user"], 50)
    }
    assert kinds == {"Group", "User"}


def test_a_wrong_token_fails_with_the_status_and_a_hint_and_no_secret(servers):
    with pytest.raises(helpers.BackstageError) as error:
        list(helpers.query_entities(client(servers, token="not-the-token")))
    message = str(error.value)
    assert message.startswith(
        "source backstage: HTTP 401 on GET /api/catalog/entities/by-query: "
        "AuthenticationError: Illegal token"
    )
    assert "sources.backstage.token" in message and "not-the-token" not in message


def test_a_truncated_page_is_asked_again(servers):
    servers.set_fault("backstage", "malformed_json", count=1)
    try:
        entities = list(helpers.query_entities(client(servers), page_size=500))
    finally:
        servers.clear_faults("backstage")
    assert len(entities) == len(list(helpers.query_entities(client(servers), page_size=500)))


def test_a_broken_cursor_fails_the_load_clearly(servers):
    servers.set_fault("backstage", "broken_pagination", mode="invalid_cursor")
    try:
        with pytest.raises(helpers.BackstageError) as error:
            list(helpers.query_entities(client(servers), page_size=10))
    finally:
        servers.clear_faults("backstage")
    assert "HTTP 400" in str(error.value) and "InputError: Malformed cursor" in str(error.value)
