"""Recorded real GitHub responses (tests/fixtures/real/github, provenance in its README)
replayed through a local HTTP server to the source's own client and parsers."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from ingestion.github.helpers import (
    GitHubApi,
    GitHubSourceError,
    RepoFacts,
    active_workflows,
    ci_facts,
    connection_nodes,
    read_workflows,
    workflow_states,
)
from ingestion.http import RetryPolicy
from tests.ingestion.github.gh_support import real

FAST = RetryPolicy(max_attempts=3, backoff_factor=0.05, max_delay=0.2)
# Hop-by-hop and encoding headers of the recording do not describe the replayed body.
DROPPED = {"content-encoding", "transfer-encoding", "content-length", "status", "connection"}


def _replay(body: Any, status: int, headers: dict[str, str], host: str = "") -> Response:
    kept = {k: str(v) for k, v in headers.items() if k.lower() not in DROPPED}
    if host:
        kept = {k: v.replace("https://api.github.com", host) for k, v in kept.items()}
    return Response(json.dumps(body), status=status, headers=kept)


def _api(httpserver: HTTPServer) -> GitHubApi:
    return GitHubApi(httpserver.url_for("").rstrip("/"), "recorded-placeholder", FAST)


def test_the_recorded_workflow_list_is_parsed(httpserver: HTTPServer) -> None:
    exchange = real("pygithub-replay/Repository.testGetWorkflows.json")[1]
    assert exchange["url"].endswith("/repos/PyGithub/PyGithub/actions/workflows")
    httpserver.expect_request("/repos/PyGithub/PyGithub/actions/workflows").respond_with_response(
        _replay(exchange["response_body"], 200, exchange["response_headers"])
    )
    api = _api(httpserver)
    items = api.rest_list(
        "/repos/PyGithub/PyGithub/actions/workflows", {"per_page": 100}, "workflows"
    )
    rows = workflow_states(items)
    assert rows == [
        (".github/workflows/check.yml", "active"),
        (".github/workflows/python-publish.yml", "active"),
    ]
    assert active_workflows(rows) == 2
    assert workflow_states(exchange["response_body"]["workflows"]) == rows
    request = httpserver.log[0][0]
    assert request.headers["Authorization"] == "Bearer recorded-placeholder"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert request.args["per_page"] == "100"


def test_link_header_pages_are_followed_verbatim(httpserver: HTTPServer) -> None:
    """The octokit recording: 5 pages, `next` links rewritten to /repositories/{id}/."""
    host = httpserver.url_for("").rstrip("/")
    exchanges = real("octokit-fixtures/paginate-issues.normalized-fixture.json")
    for exchange in exchanges:
        path, _, query_string = exchange["path"].partition("?")
        httpserver.expect_request(path, query_string=query_string).respond_with_response(
            _replay(exchange["response"], exchange["status"], exchange["headers"], host)
        )
    api = _api(httpserver)
    items = api.rest_list(
        "/repos/octokit-fixture-org/paginate-issues/issues", {"per_page": 3}, None
    )
    assert [i["number"] for i in items] == [i["number"] for e in exchanges for i in e["response"]]
    assert len(items) == 13 and api.rest_requests == 5
    assert [r.path for r, _ in httpserver.log][1:] == ["/repositories/1000/issues"] * 4


def test_recorded_rate_limits_are_waited_out_then_reported(httpserver: HTTPServer) -> None:
    secondary = real("pygithub-replay/SpecificExceptions.testAuthenticatedRateLimitExceeded.json")[
        0
    ]
    assert secondary["response_headers"]["Retry-After"] == "60"
    workflows = real("pygithub-replay/Repository.testGetWorkflows.json")[1]
    path = "/repos/PyGithub/PyGithub/actions/workflows"
    httpserver.expect_ordered_request(path).respond_with_response(
        _replay(secondary["response_body"], 403, secondary["response_headers"])
    )
    httpserver.expect_ordered_request(path).respond_with_response(
        _replay(workflows["response_body"], 200, workflows["response_headers"])
    )
    started = time.monotonic()
    items = _api(httpserver).rest_list(path, {"per_page": 100}, "workflows")
    # Retry-After: 60 is honoured, capped by the policy's max_delay (0.2 s here).
    assert time.monotonic() - started >= 0.2 and len(items) == 2

    primary = real("pygithub-replay/SpecificExceptions.testRateLimitExceeded.json")[1]
    assert primary["response_headers"]["x-ratelimit-remaining"] == "0"
    httpserver.clear()
    httpserver.expect_request(path).respond_with_response(
        _replay(primary["response_body"], 403, primary["response_headers"])
    )
    api = _api(httpserver)
    with pytest.raises(Exception) as failure:
        api.rest_list(path, {"per_page": 100}, "workflows")
    error = api.error(failure.value)
    assert isinstance(error, GitHubSourceError)
    assert str(error) == (
        "source github: HTTP 403 on GET /repos/PyGithub/PyGithub/actions/workflows: "
        "API Rate Limit Exceeded for 92.104.200.119"
    )
    assert len(httpserver.log) == FAST.max_attempts  # retried, then given up


def test_recorded_graphql_pages_are_read_with_their_cursors(httpserver: HTTPServer) -> None:
    exchanges = [e for e in real("pygithub-replay/PaginatedList.testGraphQlPagination.json")][1:]
    for exchange in exchanges[:2]:
        httpserver.expect_ordered_request("/graphql", method="POST").respond_with_response(
            _replay(exchange["response_body"], 200, exchange["response_headers"])
        )
    api = _api(httpserver)
    cursor = None
    seen: list[int] = []
    for exchange in exchanges[:2]:
        data, errors = api.graphql("query Q { repository { discussions } }", {"after": cursor})
        assert errors == []
        nodes, page = connection_nodes(data["repository"]["discussions"])
        recorded = exchange["response_body"]["data"]["repository"]["discussions"]
        assert page["endCursor"] == recorded["pageInfo"]["endCursor"]
        assert page["hasNextPage"] is True
        seen += [n["number"] for n in nodes]
        cursor = page["endCursor"]
    assert len(seen) == len(set(seen)) > 2
    # The second request carried the first page's endCursor.
    second = json.loads(httpserver.log[1][0].get_data())
    first_page = exchanges[0]["response_body"]["data"]["repository"]["discussions"]
    assert second["variables"]["after"] == first_page["pageInfo"]["endCursor"]
    assert httpserver.log[0][1].headers["X-RateLimit-Resource"] == "graphql"


def test_workflow_statuses_make_ci_unknown_but_throttling_fails(httpserver: HTTPServer) -> None:
    """404/403 on one repository's workflows: its CI is unknown; a 403 that is the
    recorded rate limit (x-ratelimit-remaining: 0) is no answer about the repository."""
    files = {"entries": [{"name": "ci.yml", "type": "blob"}]}
    hidden = RepoFacts(node={"nameWithOwner": "acme/hidden", "workflowFiles": files})
    throttled = RepoFacts(node={"nameWithOwner": "acme/throttled", "workflowFiles": files})
    httpserver.expect_request("/repos/acme/hidden/actions/workflows").respond_with_json(
        {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, status=404
    )
    primary = real("pygithub-replay/SpecificExceptions.testRateLimitExceeded.json")[1]
    httpserver.expect_request("/repos/acme/throttled/actions/workflows").respond_with_response(
        _replay(primary["response_body"], 403, primary["response_headers"])
    )
    api = _api(httpserver)
    read_workflows(api, [hidden])
    assert hidden.errors["ci"][0] == "HTTP 404"
    assert ci_facts(hidden)["ci_configured"] is None
    with pytest.raises(GitHubSourceError, match="HTTP 403 on GET /repos/acme/throttled"):
        read_workflows(api, [throttled])
