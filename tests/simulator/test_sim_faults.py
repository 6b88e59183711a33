"""Fault injection: each kind, per source, from Python and over the admin endpoint."""

from __future__ import annotations

import time

import pytest
import requests

from simulator import SimulatorServers
from simulator.servers.faults import FaultError


def _get(
    http: dict[str, requests.Session], servers: SimulatorServers, source: str, path: str
) -> requests.Response:
    return http[source].get(servers.base_urls[source] + path)


FIRST_PAGE = {
    "github": "/orgs/acme/repos?per_page=10",
    "okta": "/api/v1/users?limit=10",
    "pagerduty": "/services?limit=10",
    "datadog": "/api/v1/slo?limit=10&offset=0",
}


def test_github_primary_rate_limit_then_recovery(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    servers.set_fault("github", "rate_limit", count=2, reset_seconds=2)
    for _ in range(2):
        r = _get(http, servers, "github", "/orgs/acme/teams")
        assert r.status_code == 403
        assert r.headers["x-ratelimit-remaining"] == "0"
        assert time.time() < int(r.headers["x-ratelimit-reset"]) <= time.time() + 3
        assert r.json()["message"].startswith("API rate limit exceeded")
    assert _get(http, servers, "github", "/orgs/acme/teams").status_code == 200


def test_github_secondary_limit_and_graphql_primary_limit(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    servers.set_fault("github", "rate_limit", count=1, reset_seconds=1, variant="secondary")
    r = _get(http, servers, "github", "/orgs/acme/teams")
    assert (
        r.status_code == 403
        and r.headers["retry-after"] == "1"
        and r.headers["x-ratelimit-remaining"] != "0"
    )
    assert "secondary rate limit" in r.json()["message"]
    servers.set_fault("github", "rate_limit", count=1)
    r = http["github"].post(
        servers.base_urls["github"] + "/graphql", json={"query": "{ viewer { login } }"}
    )
    assert r.status_code == 200 and r.json()["errors"][0]["type"] == "RATE_LIMITED"
    assert (
        r.headers["x-ratelimit-remaining"] == "0" and r.headers["x-ratelimit-resource"] == "graphql"
    )
    servers.set_fault("github", "rate_limit", count=1, variant="primary_429")
    assert _get(http, servers, "github", "/orgs/acme/teams").status_code == 429


def test_okta_pagerduty_datadog_throttle_in_their_own_way(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    for source in ("okta", "pagerduty", "datadog", "prometheus", "artifacts"):
        servers.set_fault(source, "rate_limit", count=1, reset_seconds=2)
    r = _get(http, servers, "okta", FIRST_PAGE["okta"])
    assert r.status_code == 429 and r.json()["errorCode"] == "E0000047"
    assert (
        r.headers["x-rate-limit-remaining"] == "0"
        and time.time() < int(r.headers["x-rate-limit-reset"]) <= time.time() + 3
    )
    r = _get(http, servers, "pagerduty", FIRST_PAGE["pagerduty"])
    assert r.status_code == 429 and r.json() == {
        "error": {"message": "Rate Limit Exceeded", "code": 2020}
    }
    assert r.headers["ratelimit-reset"] == "2" and r.headers["ratelimit-remaining"] == "0"
    r = _get(http, servers, "datadog", FIRST_PAGE["datadog"])
    assert (
        r.status_code == 429
        and r.headers["x-ratelimit-reset"] == "2"
        and r.headers["x-ratelimit-remaining"] == "0"
    )
    r = _get(http, servers, "prometheus", "/api/v1/query?query=slo:objective:ratio")
    assert r.status_code == 429 and r.headers["retry-after"] == "2"
    assert _get(http, servers, "artifacts", "/acme/none/coverage.xml").status_code == 429
    for source in ("okta", "pagerduty", "datadog"):
        assert _get(http, servers, source, FIRST_PAGE[source]).status_code == 200


@pytest.mark.parametrize("source", ["github", "okta", "pagerduty", "datadog"])
def test_burst_of_server_errors(
    servers: SimulatorServers, http: dict[str, requests.Session], source: str
) -> None:
    servers.set_fault(source, "server_errors", count=2, status=502)
    assert [_get(http, servers, source, FIRST_PAGE[source]).status_code for _ in range(3)] == [
        502,
        502,
        200,
    ]


def test_slow_responses(servers: SimulatorServers, http: dict[str, requests.Session]) -> None:
    servers.set_fault("pagerduty", "slow", seconds=0.3, count=2)
    started = time.perf_counter()
    for _ in range(2):
        assert _get(http, servers, "pagerduty", FIRST_PAGE["pagerduty"]).status_code == 200
    assert time.perf_counter() - started >= 0.6
    started = time.perf_counter()
    _get(http, servers, "pagerduty", FIRST_PAGE["pagerduty"])
    assert time.perf_counter() - started < 0.3


@pytest.mark.parametrize("source", ["github", "okta", "pagerduty", "datadog"])
def test_malformed_json_is_a_200_with_a_truncated_body(
    servers: SimulatorServers, http: dict[str, requests.Session], source: str
) -> None:
    servers.set_fault(source, "malformed_json", count=1)
    r = _get(http, servers, source, FIRST_PAGE[source])
    assert r.status_code == 200
    with pytest.raises(requests.exceptions.JSONDecodeError):
        r.json()
    assert _get(http, servers, source, FIRST_PAGE[source]).json()


def _next_page(source: str, first: requests.Response) -> str:
    if source == "pagerduty":
        return FIRST_PAGE[source].replace("limit=10", "limit=10&offset=10")
    if source == "datadog":
        return FIRST_PAGE[source].replace("offset=0", "offset=10")
    return first.links["next"]["url"]


@pytest.mark.parametrize("source", ["github", "okta", "pagerduty", "datadog"])
def test_pagination_chain_breaks_midway(
    servers: SimulatorServers, http: dict[str, requests.Session], source: str
) -> None:
    servers.set_fault(source, "broken_pagination")
    first = _get(http, servers, source, FIRST_PAGE[source])
    assert first.status_code == 200
    follow = _next_page(source, first)
    url = follow if follow.startswith("http") else servers.base_urls[source] + follow
    assert [http[source].get(url).status_code for _ in range(2)] == [500, 500]
    servers.set_fault(source, "broken_pagination", mode="invalid_cursor")
    broken = http[source].get(url)
    assert broken.status_code == 400
    body = broken.json()
    assert {"github": "message", "okta": "errorCode", "pagerduty": "error", "datadog": "errors"}[
        source
    ] in body
    servers.clear_faults(source)
    assert http[source].get(url).status_code == 200


def test_graphql_cursor_breaks_midway(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    query = '{ organization(login: "acme") { repositories(first: 20, after: "Y3Vyc29yOnYyOjE5") { nodes { name } } } }'
    servers.set_fault("github", "broken_pagination", mode="invalid_cursor")
    body = (
        http["github"].post(servers.base_urls["github"] + "/graphql", json={"query": query}).json()
    )
    assert body["errors"][0]["type"] == "INVALID_CURSOR_ARGUMENTS"
    first = '{ organization(login: "acme") { repositories(first: 20) { nodes { name } } } }'
    assert (
        "errors"
        not in http["github"]
        .post(servers.base_urls["github"] + "/graphql", json={"query": first})
        .json()
    )


def test_expired_token_until_cleared(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    for source in ("github", "okta", "pagerduty", "datadog"):
        servers.set_fault(source, "expired_token")
    for _ in range(2):
        r = _get(http, servers, "github", FIRST_PAGE["github"])
        assert r.status_code == 401 and r.json()["message"] == "Bad credentials"
    assert _get(http, servers, "okta", FIRST_PAGE["okta"]).json()["errorCode"] == "E0000011"
    assert _get(http, servers, "pagerduty", FIRST_PAGE["pagerduty"]).status_code == 401
    assert _get(http, servers, "datadog", FIRST_PAGE["datadog"]).status_code == 403
    servers.clear_faults()
    assert _get(http, servers, "github", FIRST_PAGE["github"]).status_code == 200


def test_faults_over_the_admin_endpoint(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    admin = servers.base_urls["okta"] + "/_sim/faults"
    r = requests.post(admin, json={"kind": "server_errors", "params": {"count": 1, "status": 503}})
    assert r.status_code == 200 and r.json()["params"] == {"count": 1, "status": 503}
    assert requests.get(admin).json()["faults"] == {"server_errors": {"count": 1, "status": 503}}
    assert _get(http, servers, "okta", FIRST_PAGE["okta"]).status_code == 503
    assert requests.get(admin).json()["faults"] == {}
    requests.post(admin, json={"kind": "expired_token"})
    assert servers.faults()["okta"] == {"expired_token": {"count": None}}
    assert requests.post(admin, json={"clear": True}).json()["faults"] == {}
    assert requests.post(admin, json={"kind": "nonsense"}).status_code == 400
    with pytest.raises(FaultError):
        servers.set_fault("okta", "rate_limit", bogus=1)
