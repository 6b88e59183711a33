"""Fidelity: responses have the recorded real responses' keys, and the facts served over
HTTP reproduce the model's ground truth for every template rule that depends on them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import requests

from simulator import SimulatorServers, rule_outcomes
from simulator.model import Company
from tests.simulator.sim_support import real


def _recorded(relative: str, index: int = 0) -> object:
    exchanges = real(relative)
    assert isinstance(exchanges, list)
    return exchanges[index]


def test_github_objects_have_the_recorded_keys(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    base = servers.base_urls["github"]
    fixture = _recorded("github/octokit-fixtures/get-repository.normalized-fixture.json")[
        "response"
    ]
    service = company.services[0]
    ours = http["github"].get(f"{base}/repos/acme/{service.repo.name}").json()
    assert set(ours) == set(fixture)
    protected = next(
        s
        for s in company.services
        if s.repo.protection_mode == "classic"
        and s.repo.protection[0] <= company.today_day < s.repo.protection[1]
        and s.repo.approvals_span[0] <= company.today_day < s.repo.approvals_span[1]
    )
    recorded = _recorded("github/pygithub-replay/BranchProtection.setUp.json", 2)["response_body"]
    ours = (
        http["github"]
        .get(
            f"{base}/repos/acme/{protected.repo.name}/branches/{protected.repo.default_branch}/protection"
        )
        .json()
    )
    assert set(recorded) - {"required_status_checks"} <= set(ours) <= set(recorded)
    assert set(ours["required_pull_request_reviews"]) == set(
        recorded["required_pull_request_reviews"]
    )
    recorded = _recorded("github/pygithub-replay/Repository.testGetWorkflows.json", 1)[
        "response_body"
    ]
    actions = next(
        s
        for s in company.services
        if s.repo.ci_kind == "actions" and s.repo.workflows[0].created_day <= company.today_day
    )
    ours = http["github"].get(f"{base}/repos/acme/{actions.repo.name}/actions/workflows").json()
    assert set(ours) == set(recorded) and set(ours["workflows"][0]) == set(recorded["workflows"][0])
    recorded = _recorded("github/pygithub-replay/DependabotAlert.testMultipleAlerts.json")[
        "response_body"
    ][0]
    alerted = next(s for s in company.services if company.events.alerts(s))
    ours = http["github"].get(f"{base}/repos/acme/{alerted.repo.name}/dependabot/alerts").json()[0]
    assert set(ours) == set(recorded)
    assert set(ours["security_advisory"]) == set(recorded["security_advisory"])
    recorded = _recorded(
        "github/pygithub-replay/CompletableGithubObjectWithPaginatedProperty.testRepoCommitsFiles.commits-list.json"
    )["response_body"][0]
    ours = http["github"].get(f"{base}/repos/acme/{service.repo.name}/commits?per_page=1").json()[0]
    assert set(ours) == set(recorded) and set(ours["commit"]) == set(recorded["commit"])


def test_okta_objects_have_the_recorded_keys(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    base = servers.base_urls["okta"]
    recorded_user = _recorded("okta/TestUsersResource.test_user_pagination.json", 2)[
        "response_body"
    ][0]
    ours = http["okta"].get(f"{base}/api/v1/users?limit=1").json()[0]
    assert set(ours) == set(recorded_user)
    assert set(recorded_user["profile"]) <= set(ours["profile"])
    recorded_group = _recorded("okta/TestGroupsResource.test_list_groups.json", 1)["response_body"][
        0
    ]
    groups = http["okta"].get(f"{base}/api/v1/groups").json()
    assert set(groups[0]) == set(recorded_group) and set(groups[0]["_links"]) == set(
        recorded_group["_links"]
    )
    assert groups[0]["type"] == "BUILT_IN" and groups[0]["profile"]["name"] == "Everyone"


def test_pagerduty_objects_have_the_example_keys(
    servers: SimulatorServers, http: dict[str, requests.Session]
) -> None:
    base = servers.base_urls["pagerduty"]
    for path, key, example in (
        ("/incidents?date_range=all&limit=1", "incidents", "pagerduty/list_incidents.example.json"),
        (
            "/escalation_policies?limit=1",
            "escalation_policies",
            "pagerduty/list_escalation_policies.example.json",
        ),
        ("/oncalls?limit=1", "oncalls", "pagerduty/list_oncalls.example.json"),
    ):
        recorded = real(example)
        ours = http["pagerduty"].get(base + path).json()
        assert set(ours) - {"total"} == set(recorded) - {"total"}
        assert set(ours[key][0]) == set(recorded[key][0]), key
    recorded = real("pagerduty/list_schedules.example.json")["schedules"][0]
    ours = http["pagerduty"].get(base + "/schedules?limit=1").json()["schedules"][0]
    assert set(recorded) <= set(ours)
    recorded = real("pagerduty/list_services.example.json")["services"][0]
    ours = http["pagerduty"].get(base + "/services?limit=1").json()["services"][0]
    assert set(recorded) <= set(ours) and set(ours) - set(recorded) <= {
        "description",
        "last_incident_timestamp",
    }


def test_datadog_objects_have_the_recorded_keys(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    base = servers.base_urls["datadog"]
    recorded = _recorded("datadog/test_get_all_slos_returns_ok_response_with_pagination.json")[
        "response_body"
    ]
    ours = http["datadog"].get(f"{base}/api/v1/slo?limit=500&offset=0").json()
    assert set(ours) == set(recorded) and set(ours["metadata"]["page"]) == set(
        recorded["metadata"]["page"]
    )
    with_warning = next(s for s in ours["data"] if "warning_threshold" in s)
    assert set(with_warning) == set(recorded["data"][1])
    without = next(s for s in ours["data"] if "warning_threshold" not in s)
    assert set(without) == set(recorded["data"][0])
    recorded = _recorded("datadog/test_get_all_monitors_returns_ok_response_with_pagination.json")[
        "response_body"
    ][0]
    monitor = http["datadog"].get(f"{base}/api/v1/monitor?page=0&page_size=1").json()[0]
    assert set(monitor) == set(recorded)
    history = _recorded("datadog/test_get_an_slos_history_returns_ok_response.json", 1)[
        "response_body"
    ]
    slo = company.slos[0]
    to_ts = int(dt.datetime(2026, 11, 26, tzinfo=dt.UTC).timestamp())
    ours = (
        http["datadog"]
        .get(
            f"{base}/api/v1/slo/{slo.id}/history",
            params={"from_ts": to_ts - 30 * 86400, "to_ts": to_ts},
        )
        .json()
    )
    assert set(ours) == set(history) and set(ours["data"]) == set(history["data"])
    assert set(ours["data"]["series"]) == set(history["data"]["series"])
    assert set(history["data"]["overall"]) <= set(ours["data"]["overall"])


def test_prometheus_envelope_matches_the_recorded_matrix(servers: SimulatorServers) -> None:
    recorded = real("prometheus/grafana-range_missing.result.json")
    ours = requests.get(
        servers.base_urls["prometheus"] + "/api/v1/query_range",
        params={
            "query": 'slo:sli_availability:ratio_rate30d{slo="availability"}',
            "start": "2026-11-01T00:00:00Z",
            "end": "2026-11-03T00:00:00Z",
            "step": "1d",
        },
    ).json()
    assert set(ours) == set(recorded) and set(ours["data"]) == set(recorded["data"])
    series = ours["data"]["result"][0]
    assert set(series) == set(recorded["data"]["result"][0]) and len(series["values"]) == 3
    assert all(isinstance(v, str) for _, v in series["values"])
    form = requests.post(
        servers.base_urls["prometheus"] + "/api/v1/query",
        data={
            "query": 'avg_over_time(slo:sli_availability:ratio_rate1d{slo="availability"}[30d])',
            "time": "2026-11-26T23:59:59Z",
        },
    ).json()
    instant = requests.get(
        servers.base_urls["prometheus"] + "/api/v1/query",
        params={
            "query": 'slo:sli_availability:ratio_rate30d{slo="availability"}',
            "time": "2026-11-26T23:59:59Z",
        },
    ).json()
    averaged = {r["metric"]["service"]: float(r["value"][1]) for r in form["data"]["result"]}
    rolling = {r["metric"]["service"]: float(r["value"][1]) for r in instant["data"]["result"]}
    assert averaged and averaged.keys() == rolling.keys()
    assert all(abs(averaged[k] - rolling[k]) < 1e-6 for k in averaged)  # both are the 30-day mean
    bad = requests.get(
        servers.base_urls["prometheus"] + "/api/v1/query", params={"query": "rate(x[5m])"}
    )
    assert (
        bad.status_code == 400
        and bad.json()["errorType"] == "bad_data"
        and bad.json()["status"] == "error"
    )
    bad = requests.get(
        servers.base_urls["prometheus"] + "/api/v1/query", params={"query": "nosuchfn(x)"}
    )
    assert 'unknown function with name "nosuchfn"' in bad.json()["error"]


def test_facts_served_over_http_reproduce_the_ground_truth(
    servers: SimulatorServers, http: dict[str, requests.Session], company: Company
) -> None:
    """Read each source like an ingestion would and re-derive ten rules for every service."""
    urls = servers.base_urls
    day = company.today_day
    truth = rule_outcomes(company)
    services = {s.name: s for s in company.services if s.exists_on(day)}
    # Okta: groups with ≥ 1 ACTIVE member, by profile.name.
    groups = http["okta"].get(urls["okta"] + "/api/v1/groups").json()
    active_groups = set()
    for group in groups:
        members = http["okta"].get(f"{urls['okta']}/api/v1/groups/{group['id']}/users").json()
        if any(m["status"] == "ACTIVE" for m in members):
            active_groups.add(group["profile"]["name"])
    # PagerDuty: escalation rules per service, incidents in the last 14 days.
    policies = {}
    offset = 0
    while True:
        page = (
            http["pagerduty"]
            .get(
                urls["pagerduty"] + "/escalation_policies", params={"limit": 100, "offset": offset}
            )
            .json()
        )
        policies.update({p["id"]: len(p["escalation_rules"]) for p in page["escalation_policies"]})
        if not page["more"]:
            break
        offset += 100
    pd_services = (
        http["pagerduty"]
        .get(urls["pagerduty"] + "/services", params={"limit": 100})
        .json()["services"]
    )
    pd_services += (
        http["pagerduty"]
        .get(urls["pagerduty"] + "/services", params={"limit": 100, "offset": 100})
        .json()["services"]
    )
    tiers = {
        s["id"]: policies[s["escalation_policy"]["id"]]
        for s in pd_services
        if s["escalation_policy"]
    }
    end = dt.datetime.combine(company.today, dt.time(23, 59, 59), dt.UTC)
    since = (end - dt.timedelta(days=14) + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent: dict[str, int] = {}
    offset = 0
    while True:
        page = (
            http["pagerduty"]
            .get(
                urls["pagerduty"] + "/incidents",
                params={
                    "since": since,
                    "until": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "limit": 100,
                    "offset": offset,
                },
            )
            .json()
        )
        for incident in page["incidents"]:
            recent[incident["service"]["id"]] = recent.get(incident["service"]["id"], 0) + 1
        if not page["more"]:
            break
        offset += 100
    # Datadog: monitors by service tag; SLO history per SLO over its timeframe.
    monitor_tags = {
        t
        for m in http["datadog"].get(urls["datadog"] + "/api/v1/monitor").json()
        for t in m["tags"]
    }
    slo_ok: dict[str, list[bool]] = {}
    to_ts = int(end.timestamp())
    for slo in http["datadog"].get(urls["datadog"] + "/api/v1/slo").json()["data"]:
        days = int(slo["timeframe"].rstrip("d"))
        from_ts = int((end - dt.timedelta(days=days) + dt.timedelta(seconds=1)).timestamp())
        overall = (
            http["datadog"]
            .get(
                f"{urls['datadog']}/api/v1/slo/{slo['id']}/history",
                params={"from_ts": from_ts, "to_ts": to_ts},
            )
            .json()["data"]["overall"]
        )
        tag = next(t.split(":", 1)[1] for t in slo["tags"] if t.startswith("service:"))
        slo_ok.setdefault(tag, []).append(
            overall["sli_value"] is not None and overall["sli_value"] >= slo["target_threshold"]
        )
    github = urls["github"]
    for name, service in services.items():
        expected = truth[name]
        team = company.teams[service.owner_team]
        owner = service.owner_ref.split("/", 1)[-1]
        owner_ok = owner == team.name and team.okta_group_name in active_groups
        assert owner_ok == expected["owner-set"], name
        assert (tiers.get(service.pd_service_id or "", 0) >= 2) == expected["escalation-tiers"], (
            name
        )
        assert (recent.get(service.pd_service_id or "", 0) < 2) == expected["few-incidents"], name
        assert (f"service:{service.dd_service}" in monitor_tags) == expected["monitor-set"], name
        checks = slo_ok.get(service.dd_service, [])
        assert (bool(checks) and all(checks)) == expected["slos-met"], name
        alerts = (
            http["github"]
            .get(
                f"{github}/repos/acme/{service.repo.name}/dependabot/alerts",
                params={"state": "open", "severity": "critical,high"},
            )
            .json()
        )
        assert (not alerts) == expected["no-vulnerabilities"], name
        workflows = (
            http["github"]
            .get(f"{github}/repos/acme/{service.repo.name}/actions/workflows")
            .json()["workflows"]
        )
        root = http["github"].get(f"{github}/repos/acme/{service.repo.name}/contents/").json()
        other_ci = {e["name"] for e in root} & {"Jenkinsfile", ".circleci", ".gitlab-ci.yml"}
        assert (any(w["state"] == "active" for w in workflows) or bool(other_ci)) == expected[
            "ci-pipeline"
        ], name
        commit = (
            http["github"]
            .get(f"{github}/repos/acme/{service.repo.name}/commits?per_page=1")
            .json()[0]
        )
        committed = dt.datetime.fromisoformat(
            commit["commit"]["committer"]["date"].replace("Z", "+00:00")
        )
        assert (end - committed <= dt.timedelta(days=7)) == expected["recent-commit"], name
        report = http["artifacts"].get(f"{urls['artifacts']}/acme/{service.repo.name}/coverage.xml")
        covered = (
            report.status_code == 200
            and float(ET.fromstring(report.content).get("line-rate")) > 0.85
        )
        assert covered == expected["code-coverage"], name
