"""The PagerDuty source end to end: simulator over HTTP -> dlt -> DuckDB -> dbt staging."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from ingestion.http import RetryPolicy
from ingestion.pagerduty import helpers, pagerduty_source
from simulator import SimulatorServers, rule_outcomes
from simulator.model import Company
from simulator.timeline import day_end_epoch
from tests.ingestion.pagerduty.pagerduty_support import (
    PAST,
    TODAY,
    current,
    make_pipeline,
    query,
    requests_of,
    run_dbt,
    source,
)

UTC = dt.UTC


def _next_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=UTC)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, pd_servers: SimulatorServers) -> Path:
    """Today plus one past day of state (through /_as_of/), and 90 days of incidents."""
    folder = tmp_path_factory.mktemp("loaded")
    past_url = pd_servers.base_urls_as_of(PAST)["pagerduty"]
    make_pipeline(folder).run(source(pd_servers, history=[(PAST, past_url)]))
    return folder


@pytest.mark.parametrize("day", [TODAY, PAST], ids=["today", "past"])
def test_escalation_tiers_of_every_service_match_the_company(
    loaded: Path, pd_company: Company, day: dt.date
) -> None:
    rules = dict(
        query(
            loaded,
            f"""
            select s.service_id, p.escalation_rule_count
            from ({current("services")}) as s
            left join ({current("escalation_policies")}) as p
                on p.snapshot_on = s.snapshot_on
                and p.escalation_policy_id = s.escalation_policy_id
            where s.snapshot_on = '{day.isoformat()}'
            """,
        )
    )
    outcomes = rule_outcomes(pd_company, day)
    assert len(outcomes) > 30
    for service in pd_company.services:
        if service.name not in outcomes:
            continue
        derived = (rules.get(service.pd_service_id) or 0) >= 2
        assert derived == outcomes[service.name]["escalation-tiers"], service.name
    assert {o["escalation-tiers"] for o in outcomes.values()} == {True, False}


@pytest.mark.parametrize("day", [TODAY, PAST], ids=["today", "past"])
def test_few_incidents_of_every_service_match_the_company(
    loaded: Path, pd_company: Company, day: dt.date
) -> None:
    end = _next_midnight(day)
    counts = dict(
        query(
            loaded,
            f"""
            select service_id, count(*) from raw_pagerduty.incidents
            where created_at >= '{(end - dt.timedelta(days=14)).isoformat()}'
              and created_at < '{end.isoformat()}'
            group by service_id
            """,
        )
    )
    outcomes = rule_outcomes(pd_company, day)
    for service in pd_company.services:
        if service.name not in outcomes:
            continue
        derived = counts.get(service.pd_service_id, 0) < 2
        assert derived == outcomes[service.name]["few-incidents"], service.name
    assert {o["few-incidents"] for o in outcomes.values()} == {True, False}


def test_incidents_are_the_companys_last_90_days(loaded: Path, pd_company: Company) -> None:
    cutoff = day_end_epoch(TODAY.toordinal())
    since = (_next_midnight(TODAY) - dt.timedelta(days=90)).timestamp()
    expected = {
        i.id: (i.number, i.status_at(cutoff))
        for i in pd_company.events.incidents()
        if since <= i.created <= cutoff
    }
    rows = query(loaded, "select incident_id, incident_number, status from raw_pagerduty.incidents")
    assert {r[0]: (r[1], r[2]) for r in rows} == expected
    assert len(rows) == len(expected) > 100


@pytest.mark.parametrize("day", [TODAY, PAST], ids=["today", "past"])
def test_targets_oncalls_and_schedules_match_the_company(
    loaded: Path, pd_company: Company, day: dt.date
) -> None:
    ordinal = day.toordinal()
    where = f"where snapshot_on = '{day.isoformat()}'"
    targets = query(
        loaded,
        f"select escalation_policy_id, escalation_level, target_type, target_id "
        f"from ({current('escalation_targets')}) {where}",
    )
    oncalls = {
        (r[0], r[1])
        for r in query(
            loaded,
            f"select escalation_policy_id, escalation_level from ({current('oncalls')}) {where}",
        )
    }
    expected_targets = set()
    expected_oncalls = set()
    for ep in pd_company.escalation_policies:
        schedule = pd_company.schedules[ep.schedule]
        for level in range(1, ep.tiers_on(ordinal) + 1):
            if level == 1 or level - 2 >= len(ep.tier_users):
                expected_targets.add((ep.id, level, "schedule_reference", schedule.id))
                if schedule.users:
                    expected_oncalls.add((ep.id, level))
            else:
                person = pd_company.people[ep.tier_users[level - 2]]
                expected_targets.add((ep.id, level, "user_reference", person.pd_user_id))
                expected_oncalls.add((ep.id, level))
    assert set(targets) == expected_targets and len(targets) == len(expected_targets)
    assert oncalls == expected_oncalls
    schedules = query(
        loaded, f"select schedule_id, time_zone from ({current('schedules')}) {where}"
    )
    assert dict(schedules) == {s.id: s.time_zone for s in pd_company.schedules}


def test_requests_per_daily_run_and_the_incremental_second_run(
    tmp_path: Path, servers: SimulatorServers, pd_company: Company
) -> None:
    pipeline = make_pipeline(tmp_path)
    pipeline.run(source(servers))
    first = requests_of(servers)
    today = TODAY.toordinal()
    services = sum(1 for s in pd_company.services if s.pd_service_id and s.exists_on(today))
    incidents = query(tmp_path, "select count(*) from raw_pagerduty.incidents")[0][0]
    oncalls = query(tmp_path, "select count(*) from raw_pagerduty.oncalls")[0][0]
    assert first == {
        "GET /services": math.ceil(services / 100),
        "GET /escalation_policies": 1,
        "GET /schedules": 1,
        "GET /oncalls": math.ceil(oncalls / 100),
        "GET /incidents": math.ceil(incidents / 100),
    }

    servers.reset_stats()
    pipeline.run(source(servers))
    second = requests_of(servers)
    assert second == {**first, "GET /incidents": 1}
    state = pipeline.state["sources"]["pagerduty"]["resources"]["incidents"]["incremental"]
    newest = query(tmp_path, "select max(created_at) from raw_pagerduty.incidents")[0][0]
    assert state["created_at"]["last_value"] == newest
    assert query(
        tmp_path, "select count(*) = count(distinct incident_id) from raw_pagerduty.incidents"
    ) == [(True,)]
    # naive: per service, one call each for the service, its policy, on-calls, incidents
    naive = 4 * services
    assert sum(first.values()) < naive / 10 and sum(second.values()) < naive / 20


def test_a_status_change_is_merged_on_the_next_run(
    tmp_path: Path, servers: SimulatorServers, pd_company: Company
) -> None:
    """An incident still open at the end of day D is resolved by today: the second daily
    run reads it again (the refresh lag) and the merge replaces its row."""
    incidents = pd_company.events.incidents()
    day, incident = next(
        (dt.date.fromordinal(d), i)
        for d in range(TODAY.toordinal() - 5, TODAY.toordinal() - 80, -1)
        for i in incidents
        if dt.datetime.fromtimestamp(i.created, UTC).date().toordinal() == d
        and i.status_at(day_end_epoch(d)) != "resolved"
        and i.status_at(day_end_epoch(TODAY.toordinal())) == "resolved"
    )
    pipeline = make_pipeline(tmp_path)
    as_of = servers.base_urls_as_of(day)["pagerduty"]
    pipeline.run(source(servers, base_url=as_of, snapshot_on=day))
    sql = f"select status from raw_pagerduty.incidents where incident_id = '{incident.id}'"
    assert query(tmp_path, sql)[0][0] in ("triggered", "acknowledged")
    pipeline.run(source(servers))
    assert query(tmp_path, sql) == [("resolved",)]
    assert query(
        tmp_path, "select count(*) = count(distinct incident_id) from raw_pagerduty.incidents"
    ) == [(True,)]


def test_listings_above_the_offset_ceiling_are_split(
    tmp_path: Path,
    servers: SimulatorServers,
    loaded: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the ceiling lowered to 20, services are read team by team and incidents in
    time windows, and the tables come out the same."""
    monkeypatch.setattr(helpers, "OFFSET_CEILING", 20)
    monkeypatch.setattr(helpers, "SPLIT_TARGET", 10)
    make_pipeline(tmp_path).run(source(servers))
    counts = requests_of(servers)
    assert counts["GET /teams"] >= 1 and counts["GET /incidents"] > 20
    for table, columns in (
        ("services", "service_id, escalation_policy_id"),
        ("oncalls", "escalation_policy_id, escalation_level, user_id"),
    ):
        sql = (
            f"select {columns} from ({current(table)}) "
            f"where snapshot_on = '{TODAY.isoformat()}' order by all"
        )
        assert query(tmp_path, sql) == query(loaded, sql)
    sql = "select incident_id, status from raw_pagerduty.incidents order by all"
    assert query(tmp_path, sql) == query(loaded, sql)


def test_building_the_source_does_no_io(servers: SimulatorServers) -> None:
    built = pagerduty_source(base_url="http://unset", api_key="unset")
    assert set(built.resources) == {
        "snapshots",
        "services",
        "escalation_policies",
        "escalation_targets",
        "schedules",
        "oncalls",
        "incidents",
    }
    assert requests_of(servers) == {}


def test_dbt_staging_contract(loaded: Path, pd_company: Company) -> None:
    result = run_dbt(loaded, "staging.pagerduty")
    assert result.returncode == 0, result.stdout[-3000:]
    contract = {
        "stg_pagerduty__snapshots": ["snapshot_on", "load_id", "loaded_at"],
        "stg_pagerduty__services": [
            "snapshot_on",
            "service_id",
            "name",
            "status",
            "escalation_policy_id",
        ],
        "stg_pagerduty__escalation_policies": [
            "snapshot_on",
            "escalation_policy_id",
            "name",
            "escalation_rule_count",
            "num_loops",
        ],
        "stg_pagerduty__escalation_targets": [
            "snapshot_on",
            "escalation_policy_id",
            "escalation_level",
            "target_type",
            "target_id",
        ],
        "stg_pagerduty__schedules": ["snapshot_on", "schedule_id", "name", "time_zone"],
        "stg_pagerduty__oncalls": [
            "snapshot_on",
            "escalation_policy_id",
            "escalation_level",
            "schedule_id",
            "user_id",
            "starts_at",
            "ends_at",
        ],
        "stg_pagerduty__incidents": [
            "incident_id",
            "incident_number",
            "service_id",
            "created_at",
            "resolved_at",
            "status",
            "urgency",
        ],
    }
    for model, columns in contract.items():
        described = query(loaded, f"describe staging.{model}")
        assert [c[0] for c in described] == columns, model
    types = {c[0]: c[1] for c in query(loaded, "describe staging.stg_pagerduty__incidents")}
    assert types["created_at"] == "TIMESTAMP" and types["incident_number"] == "BIGINT"
    types = {
        c[0]: c[1] for c in query(loaded, "describe staging.stg_pagerduty__escalation_policies")
    }
    assert types["escalation_rule_count"] == "INTEGER"
    tiers = dict(
        query(
            loaded,
            f"""
            select escalation_policy_id, escalation_rule_count
            from staging.stg_pagerduty__escalation_policies
            where snapshot_on = '{PAST.isoformat()}'
            """,
        )
    )
    day = PAST.toordinal()
    assert tiers == {ep.id: ep.tiers_on(day) for ep in pd_company.escalation_policies}
    first = query(
        loaded,
        "select min(created_at) from staging.stg_pagerduty__incidents",
    )[0][0]
    assert first >= dt.datetime(2026, 8, 29)  # naive UTC, 90 days back from tomorrow


def test_a_listing_that_cannot_be_split_fails_at_the_ceiling(
    servers: SimulatorServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schedules have no filter to split by: past the ceiling the read fails, loudly."""
    monkeypatch.setattr(helpers, "PAGE_SIZE", 2)
    monkeypatch.setattr(helpers, "OFFSET_CEILING", 5)
    client = helpers.pagerduty_client(
        servers.base_urls["pagerduty"],
        servers.credentials["pagerduty"]["api_key"],
        RetryPolicy(),
    )
    with pytest.raises(helpers.PagerDutyError, match="GET /schedules holds more than 5 items"):
        list(helpers.list_schedules(client))
    assert requests_of(servers) == {"GET /schedules": 2}  # offsets 0 and 2, never 4
