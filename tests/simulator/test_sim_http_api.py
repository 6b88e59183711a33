"""The servers over real HTTP: auth failures, pagination chains, GraphQL, history, counters."""

from __future__ import annotations

import datetime as dt
import time

import requests

from simulator import SimulatorServers
from simulator.model import Company
from simulator.timeline import day_end_epoch
from tests.simulator.sim_support import TODAY

ORG_REPOS_QUERY = """
query OrgRepos($org: String!, $cursor: String) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) {
    repositories(first: 50, after: $cursor, orderBy: {field: NAME, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      totalCount
      nodes {
        name nameWithOwner isArchived isFork visibility pushedAt
        defaultBranchRef { name target { ... on Commit { committedDate oid } } }
        repositoryTopics(first: 20) { nodes { topic { name } } }
        branchProtectionRules(first: 10) {
          nodes {
            pattern isAdminEnforced
            requiresApprovingReviews requiredApprovingReviewCount
            requiresCodeOwnerReviews dismissesStaleReviews
            requiresStatusChecks requiresStrictStatusChecks requiredStatusCheckContexts
          }
        }
        vulnerabilityAlerts(first: 100, states: [OPEN]) {
          totalCount
          nodes {
            number state createdAt dismissedAt fixedAt vulnerableManifestPath
            securityVulnerability { severity package { name ecosystem } vulnerableVersionRange
                                    firstPatchedVersion { identifier } }
            securityAdvisory { ghsaId severity summary }
          }
        }
      }
    }
  }
}
"""

RULESET_QUERY = """
query Repo($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name target { ... on Commit { committedDate history(first: 1) { totalCount } } } }
    rulesets(first: 10) { nodes { name enforcement target conditions { refName { include exclude } }
      rules(first: 20) { nodes { type parameters { ... on PullRequestParameters { requiredApprovingReviewCount } } } } } }
    workflows: object(expression: "HEAD:.github/workflows") { ... on Tree { entries { name type } } }
    root: object(expression: "HEAD:") { ... on Tree { entries { name type } } }
  }
}
"""


def _links(response: requests.Response) -> dict[str, str]:
    return {rel: link["url"] for rel, link in response.links.items()}


# -- auth ------------------------------------------------------------------------------------


def test_each_api_refuses_missing_and_wrong_credentials_with_its_real_body(
    servers: SimulatorServers,
) -> None:
    urls = servers.base_urls
    r = requests.get(f"{urls['github']}/orgs/acme/repos")
    assert r.status_code == 401 and r.json()["message"] == "Requires authentication"
    r = requests.get(f"{urls['github']}/orgs/acme/repos", headers={"Authorization": "token nope"})
    assert r.status_code == 401 and r.json()["message"] == "Bad credentials"
    assert r.json()["documentation_url"].startswith("https://docs.github.com/")
    r = requests.post(f"{urls['github']}/graphql", json={"query": "{ viewer { login } }"})
    assert r.status_code == 401 and "requires you to be authenticated" in r.json()["message"]
    r = requests.get(f"{urls['okta']}/api/v1/users", headers={"Authorization": "SSWS wrong"})
    assert r.status_code == 401 and r.json()["errorCode"] == "E0000011"
    assert r.json()["errorSummary"] == "Invalid token provided"
    r = requests.get(
        f"{urls['pagerduty']}/services", headers={"Authorization": "Token token=wrong"}
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == 2006
    creds = servers.credentials["datadog"]
    r = requests.get(f"{urls['datadog']}/api/v1/slo", headers={"DD-API-KEY": creds["api_key"]})
    assert r.status_code == 403 and r.json() == {"errors": ["Forbidden"]}
    r = requests.get(f"{urls['artifacts']}/acme/x/coverage.xml")
    assert r.status_code == 401
    r = requests.get(f"{urls['prometheus']}/api/v1/query", params={"query": "slo:objective:ratio"})
    assert r.status_code == 200  # a stock Prometheus has no auth


def test_prometheus_bearer_token_is_enforced_when_configured(company: Company) -> None:
    with SimulatorServers(company, prometheus_token="prom-secret") as guarded:
        url = guarded.base_urls["prometheus"] + "/api/v1/query"
        assert requests.get(url, params={"query": "slo:objective:ratio"}).status_code == 401
        ok = requests.get(
            url,
            params={"query": "slo:objective:ratio"},
            headers={"Authorization": "Bearer prom-secret"},
        )
        assert ok.status_code == 200 and ok.json()["status"] == "success"
        assert guarded.credentials["prometheus"] == {"bearer_token": "prom-secret"}


def test_rate_limit_headers_follow_each_vendor(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    urls = servers.base_urls
    r = http["github"].get(f"{urls['github']}/orgs/acme/teams")
    assert (
        r.headers["x-ratelimit-resource"] == "core"
        and int(r.headers["x-ratelimit-reset"]) > time.time()
    )
    r = http["okta"].get(f"{urls['okta']}/api/v1/groups")
    assert (
        int(r.headers["x-rate-limit-reset"]) > time.time()
        and r.headers["x-rate-limit-limit"] == "500"
    )
    r = http["pagerduty"].get(f"{urls['pagerduty']}/services")
    assert 0 < int(r.headers["ratelimit-reset"]) <= 60
    r = http["datadog"].get(f"{urls['datadog']}/api/v1/monitor")
    assert 0 < int(r.headers["x-ratelimit-reset"]) <= 60 and r.headers["x-ratelimit-period"] == "60"


# -- pagination --------------------------------------------------------------------------------


def test_github_link_headers_walk_every_repository(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    url = f"{servers.base_urls['github']}/orgs/acme/repos?per_page=40"
    seen: list[str] = []
    pages = []
    while url:
        r = http["github"].get(url)
        assert r.status_code == 200
        pages.append(_links(r))
        seen += [repo["name"] for repo in r.json()]
        url = _links(r).get("next", "")
    assert (
        len(seen) == len(set(seen)) == sum(s.exists_on(company.today_day) for s in company.services)
    )
    assert set(pages[0]) == {"next", "last"}
    assert set(pages[1]) == {"prev", "next", "last", "first"}
    assert set(pages[-1]) == {"prev", "first"}
    r = http["github"].get(f"{servers.base_urls['github']}/orgs/acme/repos?per_page=500")
    assert len(r.json()) == 100  # per_page is capped at 100


def test_commit_link_header_counts_commits_like_github(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    service = next(
        s for s in company.services if company.events.commit_count(s, company.today_day) > 3
    )
    base = servers.base_urls["github"]
    r = http["github"].get(
        f"{base}/repos/acme/{service.repo.name}/commits",
        params={"sha": service.repo.default_branch, "per_page": 1},
    )
    last = _links(r)["last"]
    assert f"/repositories/{service.repo.id}/commits" in last
    assert int(last.rsplit("page=", 1)[1]) == company.events.commit_count(
        service, company.today_day
    )
    follow = http["github"].get(_links(r)["next"])
    assert follow.status_code == 200 and follow.json()[0]["sha"] == r.json()[0]["parents"][0]["sha"]
    wrong = http["github"].get(
        f"{base}/repos/acme/{service.repo.name}/commits", params={"sha": "no-such-branch"}
    )
    assert wrong.status_code == 404


def test_dependabot_alerts_page_by_cursor(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    url = f"{servers.base_urls['github']}/orgs/acme/dependabot/alerts?per_page=25&state=open"
    numbers = []
    while url:
        r = http["github"].get(url)
        assert r.status_code == 200
        numbers += [(a["repository"]["name"], a["number"]) for a in r.json()]
        assert all(a["state"] == "open" for a in r.json())
        url = _links(r).get("next", "")
        assert "page=" not in url.replace("per_page", "")
    expected = sum(len(company.events.open_alerts(s, company.today_day)) for s in company.services)
    assert len(numbers) == len(set(numbers)) == expected
    bad = http["github"].get(f"{servers.base_urls['github']}/orgs/acme/dependabot/alerts?page=2")
    assert bad.status_code == 400


def test_okta_cursor_chain_and_self_links(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    url = f"{servers.base_urls['okta']}/api/v1/users?limit=40"
    ids = []
    while url:
        r = http["okta"].get(url)
        assert r.status_code == 200
        rels = [link.split('rel="')[1].rstrip('"') for link in r.raw.headers.getlist("link")]
        assert rels[0] == "self"
        ids += [u["id"] for u in r.json()]
        url = _links(r).get("next", "")
        if url:
            assert "after=0" in url
    day = company.today_day
    expected = [
        p.okta_id
        for p in company.people
        if p.exists_on(day) and p.okta_status_on(day) != "DEPROVISIONED"
    ]
    assert ids == expected
    deprovisioned = http["okta"].get(
        f"{servers.base_urls['okta']}/api/v1/users", params={"filter": 'status eq "DEPROVISIONED"'}
    )
    assert deprovisioned.status_code == 200 and deprovisioned.json()
    assert {u["status"] for u in deprovisioned.json()} == {"DEPROVISIONED"}
    r = http["okta"].get(f"{servers.base_urls['okta']}/api/v1/users?limit=1000")
    assert "limit=200" in r.raw.headers.getlist("link")[0]  # Okta caps users pages at 200
    r = http["okta"].get(f"{servers.base_urls['okta']}/api/v1/users?limit=100")
    assert len(r.json()) == 100 and "next" in _links(r)


def test_pagerduty_offset_paging_with_more_and_the_10000_ceiling(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    base = servers.base_urls["pagerduty"]
    total = (
        http["pagerduty"]
        .get(f"{base}/services", params={"total": "true", "limit": 1})
        .json()["total"]
    )
    offset, names = 0, []
    while True:
        page = (
            http["pagerduty"].get(f"{base}/services", params={"limit": 25, "offset": offset}).json()
        )
        assert page["limit"] == 25 and page["offset"] == offset and page["total"] is None
        names += [s["id"] for s in page["services"]]
        if not page["more"]:
            break
        offset += 25
    assert len(names) == len(set(names)) == total
    assert http["pagerduty"].get(f"{base}/services", params={"limit": 500}).json()["limit"] == 100
    ceiling = http["pagerduty"].get(f"{base}/incidents", params={"offset": 9950, "limit": 100})
    assert ceiling.status_code == 400 and ceiling.json()["error"]["code"] == 2002
    assert (
        "Offset+limit exceeds maximum allowed value of 10000"
        in ceiling.json()["error"]["errors"][0]
    )


def test_datadog_slo_offsets_and_monitor_pages(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    base = servers.base_urls["datadog"]
    everything = http["datadog"].get(f"{base}/api/v1/slo").json()
    assert "metadata" not in everything
    offset, ids = 0, []
    while True:
        body = (
            http["datadog"].get(f"{base}/api/v1/slo", params={"limit": 20, "offset": offset}).json()
        )
        assert body["metadata"]["page"]["total_filtered_count"] == len(everything["data"])
        ids += [s["id"] for s in body["data"]]
        if len(body["data"]) < 20:
            break
        offset += 20
    assert ids == [s["id"] for s in everything["data"]]
    monitors = http["datadog"].get(f"{base}/api/v1/monitor").json()
    assert isinstance(monitors, list) and len(monitors) == sum(
        m.exists_on(company.today_day) for m in company.monitors
    )
    paged, page = [], 0
    while True:
        chunk = (
            http["datadog"]
            .get(f"{base}/api/v1/monitor", params={"page": page, "page_size": 30})
            .json()
        )
        paged += chunk
        if len(chunk) < 30:
            break
        page += 1
    assert [m["id"] for m in paged] == [m["id"] for m in monitors]


# -- GraphQL ------------------------------------------------------------------------------------


def _graphql(
    http: dict[str, requests.Session], servers: SimulatorServers, query: str, **variables: object
) -> dict:
    r = http["github"].post(
        f"{servers.base_urls['github']}/graphql", json={"query": query, "variables": variables}
    )
    assert r.status_code == 200
    return r.json()


def test_graphql_org_repositories_query_from_api_shapes(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    cursor, names, pages = None, [], 0
    while True:
        body = _graphql(http, servers, ORG_REPOS_QUERY, org="acme", cursor=cursor)
        assert "errors" not in body
        repos = body["data"]["organization"]["repositories"]
        assert body["data"]["rateLimit"]["cost"] == 2  # (1 + 50 × 3 connections) / 100, rounded
        names += [n["name"] for n in repos["nodes"]]
        pages += 1
        if not repos["pageInfo"]["hasNextPage"]:
            break
        cursor = repos["pageInfo"]["endCursor"]
    existing = sorted(
        s.repo.name.lower() for s in company.services if s.exists_on(company.today_day)
    )
    assert (
        [n.lower() for n in names] == existing
        and repos["totalCount"] == len(existing)
        and pages == 3
    )
    node = next(
        n
        for page_node in [repos["nodes"]]
        for n in page_node
        if n["vulnerabilityAlerts"]["totalCount"]
    )
    alert = node["vulnerabilityAlerts"]["nodes"][0]
    assert alert["state"] == "OPEN" and alert["securityVulnerability"]["severity"] in {
        "LOW",
        "MODERATE",
        "HIGH",
        "CRITICAL",
    }
    assert node["visibility"] in {"PUBLIC", "PRIVATE", "INTERNAL"}


def test_graphql_refuses_more_than_100_records_with_githubs_error(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    body = _graphql(http, servers, ORG_REPOS_QUERY.replace("first: 50", "first: 101"), org="acme")
    assert "data" not in body or body["data"] is None
    error = body["errors"][0]
    assert error["type"] == "EXCESSIVE_PAGINATION"
    assert (
        error["message"]
        == "Requesting 101 records on the `repositories` connection exceeds the `first` limit of 100 records."
    )
    body = _graphql(
        http, servers, '{ organization(login: "acme") { repositories { totalCount } } }'
    )
    assert body["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
    body = _graphql(http, servers, '{ organization(login: "acme") { nope } }')
    assert body["errors"][0]["message"] == "Field 'nope' doesn't exist on type 'Organization'"
    body = _graphql(http, servers, '{ repository(owner: "acme", name: "missing") { name } }')
    assert body["data"] == {"repository": None} and body["errors"][0]["type"] == "NOT_FOUND"


def test_graphql_rulesets_workflow_tree_and_history(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    day = company.today_day
    ruleset_service = next(
        s
        for s in company.services
        if s.repo.protection_mode == "ruleset"
        and s.repo.protection[0] <= day < s.repo.protection[1]
    )
    repo = _graphql(http, servers, RULESET_QUERY, owner="acme", name=ruleset_service.repo.name)[
        "data"
    ]["repository"]
    ruleset = repo["rulesets"]["nodes"][0]
    assert ruleset["enforcement"] == "ACTIVE" and ruleset["target"] == "BRANCH"
    assert ruleset["conditions"]["refName"]["include"] == ["~DEFAULT_BRANCH"]
    assert {r["type"] for r in ruleset["rules"]["nodes"]} >= {"DELETION", "NON_FAST_FORWARD"}
    total = repo["defaultBranchRef"]["target"]["history"]["totalCount"]
    assert total == company.events.commit_count(ruleset_service, day)
    actions = next(
        s
        for s in company.services
        if s.repo.ci_kind == "actions" and s.repo.workflows[0].created_day <= day
    )
    repo = _graphql(http, servers, RULESET_QUERY, owner="acme", name=actions.repo.name)["data"][
        "repository"
    ]
    assert {e["name"] for e in repo["workflows"]["entries"]} == {
        w.path.rsplit("/", 1)[1] for w in actions.repo.workflows if w.created_day <= day
    }
    jenkins = next(
        s
        for s in company.services
        if s.repo.ci_kind == "jenkins" and s.repo.ci_span[0] <= day < s.repo.ci_span[1]
    )
    repo = _graphql(http, servers, RULESET_QUERY, owner="acme", name=jenkins.repo.name)["data"][
        "repository"
    ]
    assert (
        "Jenkinsfile" in {e["name"] for e in repo["root"]["entries"]} and repo["workflows"] is None
    )


# -- history ----------------------------------------------------------------------------------


def test_as_of_prefix_serves_the_past_and_keeps_the_prefix_in_links(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    past = TODAY - dt.timedelta(days=45)
    prefix = {
        source: f"{url}/_as_of/{past.isoformat()}" for source, url in servers.base_urls.items()
    }
    assert servers.base_urls_as_of(past) == prefix
    r = http["github"].get(f"{prefix['github']}/orgs/acme/repos?per_page=30")
    assert _links(r)["next"].startswith(prefix["github"] + "/orgs/acme/repos")
    day = past.toordinal()
    assert int(_links(r)["last"].rsplit("page=", 1)[1]) == -(
        -sum(s.exists_on(day) for s in company.services) // 30
    )
    changed = next(
        s
        for s in company.services
        if s.repo.protection_mode == "classic"
        and s.exists_on(day)
        and (s.repo.protection[0] <= day < s.repo.protection[1])
        != (s.repo.protection[0] <= company.today_day < s.repo.protection[1])
    )
    then = http["github"].get(
        f"{prefix['github']}/repos/acme/{changed.repo.name}/branches/{changed.repo.default_branch}/protection"
    )
    now = http["github"].get(
        f"{servers.base_urls['github']}/repos/acme/{changed.repo.name}/branches/{changed.repo.default_branch}/protection"
    )
    assert {then.status_code, now.status_code} == {200, 404}
    incidents = (
        http["pagerduty"]
        .get(
            f"{prefix['pagerduty']}/incidents",
            params={"date_range": "all", "limit": 100, "sort_by": "created_at:desc"},
        )
        .json()["incidents"]
    )
    assert incidents and max(i["created_at"] for i in incidents) <= dt.datetime.fromtimestamp(
        day_end_epoch(day), dt.UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    okta_then = http["okta"].get(f"{prefix['okta']}/api/v1/users?limit=200").json()
    okta_now = http["okta"].get(f"{servers.base_urls['okta']}/api/v1/users?limit=200").json()
    assert {u["id"]: u["status"] for u in okta_then} != {u["id"]: u["status"] for u in okta_now}
    body = (
        http["github"]
        .post(
            f"{prefix['github']}/graphql",
            json={"query": ORG_REPOS_QUERY, "variables": {"org": "acme"}},
        )
        .json()
    )
    pushed = [n["pushedAt"] for n in body["data"]["organization"]["repositories"]["nodes"]]
    assert max(pushed) <= f"{past.isoformat()}T23:59:59Z"
    future = requests.get(
        f"{servers.base_urls['okta']}/_as_of/{(TODAY + dt.timedelta(days=1)).isoformat()}/api/v1/users"
    )
    assert future.status_code == 400


# -- counters and admin endpoints ----------------------------------------------------------------------


def test_requests_are_counted_per_endpoint_template(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    servers.reset_stats()
    base = servers.base_urls["github"]
    for service in company.services[:3]:
        http["github"].get(f"{base}/repos/acme/{service.repo.name}/actions/workflows")
    http["github"].post(f"{base}/graphql", json={"query": "{ viewer { login } }"})
    http["okta"].get(f"{servers.base_urls['okta']}/api/v1/groups")
    stats = servers.stats()
    assert stats == {
        ("github", "GET /repos/{owner}/{repo}/actions/workflows"): 3,
        ("github", "POST /graphql"): 1,
        ("okta", "GET /api/v1/groups"): 1,
    }
    over_http = requests.get(f"{base}/_sim/stats").json()
    assert (
        over_http["requests"]
        == {"GET /repos/{owner}/{repo}/actions/workflows": 3, "POST /graphql": 1}
        and over_http["total"] == 4
    )
    assert requests.post(f"{servers.base_urls['okta']}/_sim/reset").json()["reset"] is True
    assert ("okta", "GET /api/v1/groups") not in servers.stats() and (
        "github",
        "POST /graphql",
    ) in servers.stats()
