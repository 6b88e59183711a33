"""The Okta source end to end: simulator over HTTP -> dlt -> DuckDB -> dbt staging."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from ingestion.okta import helpers, okta_source
from simulator import SimulatorServers, rule_outcomes
from simulator.model import Company, Team
from tests.ingestion.okta.okta_support import (
    PAST,
    TODAY,
    current,
    make_pipeline,
    query,
    requests_of,
    run_dbt,
    source,
)


def _group_people(company: Company, team: Team) -> list[int]:
    """Who the company puts in a team's Okta group (departments include their teams)."""
    members = list(team.members)
    if team.kind == "department":
        for child in team.children:
            members += company.teams[child].members
    return members


def _active_members_by_group(tmp_path: Path, day) -> dict[str, int]:
    rows = query(
        tmp_path,
        f"""
        select g.group_name, count(u.user_id) filter (where u.status = 'ACTIVE')
        from ({current("groups")}) as g
        left join ({current("group_members")}) as m
            on m.snapshot_on = g.snapshot_on and m.group_id = g.group_id
        left join ({current("users")}) as u
            on u.snapshot_on = m.snapshot_on and u.user_id = m.user_id
        where g.snapshot_on = '{day.isoformat()}'
        group by g.group_name
        """,
    )
    return dict(rows)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, okta_servers: SimulatorServers) -> Path:
    """Today plus one past day (through the simulator's /_as_of/ prefix), in one run."""
    folder = tmp_path_factory.mktemp("loaded")
    past_url = okta_servers.base_urls_as_of(PAST)["okta"]
    make_pipeline(folder).run(source(okta_servers, history=[(PAST, past_url)]))
    return folder


@pytest.mark.parametrize("day", [TODAY, PAST], ids=["today", "past"])
def test_active_members_of_every_team_group_match_the_company(
    loaded: Path, okta_company: Company, day
) -> None:
    counts = _active_members_by_group(loaded, day)
    ordinal = day.toordinal()
    checked = 0
    for team in okta_company.teams:
        if not team.has_okta_group:
            assert team.okta_group_name not in counts
            continue
        expected = sum(
            okta_company.people[p].okta_status_on(ordinal) == "ACTIVE"
            for p in _group_people(okta_company, team)
        )
        assert counts[team.okta_group_name] == expected, team.name
        checked += 1
    assert checked == sum(t.has_okta_group for t in okta_company.teams) > 5

    # the owner-set rule as the catalog will evaluate it: spec.owner -> Group ->
    # okta.com/group-name -> at least one ACTIVE member
    outcomes = rule_outcomes(okta_company, day)
    teams = okta_company.lookup("team")
    for service in okta_company.services:
        if service.name not in outcomes:
            continue
        name = service.owner_ref.split("/", 1)[-1]
        team = okta_company.teams[teams[name]] if name in teams else None
        derived = team is not None and counts.get(team.okta_group_name, 0) >= 1
        assert derived == outcomes[service.name]["owner-set"], service.name


@pytest.mark.parametrize("day", [TODAY, PAST], ids=["today", "past"])
def test_users_of_every_status_including_deprovisioned(
    loaded: Path, okta_company: Company, day
) -> None:
    ordinal = day.toordinal()
    expected = Counter(
        p.okta_status_on(ordinal) for p in okta_company.people if p.exists_on(ordinal)
    )
    rows = query(
        loaded,
        f"select status, count(*) from ({current('users')}) "
        f"where snapshot_on = '{day.isoformat()}' group by status",
    )
    assert dict(rows) == dict(expected)
    assert expected["DEPROVISIONED"] > 0
    logins = query(
        loaded,
        f"select count(*), count(distinct user_id) from ({current('users')}) "
        f"where snapshot_on = '{day.isoformat()}'",
    )
    assert logins[0][0] == logins[0][1] == sum(expected.values())
    types = dict(
        query(
            loaded,
            f"select group_type, count(*) from ({current('groups')}) "
            f"where snapshot_on = '{day.isoformat()}' group by 1",
        )
    )
    assert types["BUILT_IN"] == 1 and types["APP_GROUP"] == 3 and types["OKTA_GROUP"] > 5


def test_requests_per_daily_run(
    tmp_path: Path, servers: SimulatorServers, okta_company: Company
) -> None:
    make_pipeline(tmp_path).run(source(servers))
    counts = requests_of(servers)
    day = TODAY.toordinal()
    people = [p for p in okta_company.people if p.exists_on(day)]
    deprovisioned = sum(p.okta_status_on(day) == "DEPROVISIONED" for p in people)
    groups = query(tmp_path, "select count(*) from raw_okta.groups")[0][0]
    assert counts == {
        "GET /api/v1/users": math.ceil((len(people) - deprovisioned) / 200)
        + max(1, math.ceil(deprovisioned / 200)),
        "GET /api/v1/groups": 1,
        "GET /api/v1/groups/{group_id}/users": groups,  # one page per group
    }
    # naive: per service, look up the owner's group and list its members
    naive = 2 * len(okta_company.services)
    assert sum(counts.values()) < naive / 2


def test_small_pages_follow_both_link_lines_and_give_the_same_rows(
    tmp_path: Path, servers: SimulatorServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pipeline(tmp_path / "big").run(source(servers))
    monkeypatch.setattr(helpers, "USERS_PAGE_SIZE", 7)
    monkeypatch.setattr(helpers, "MEMBERS_PAGE_SIZE", 3)
    servers.reset_stats()
    make_pipeline(tmp_path / "small").run(source(servers))
    assert requests_of(servers)["GET /api/v1/users"] > 4
    for table, key in (("users", "user_id, status"), ("group_members", "group_id, user_id")):
        sql = f"select {key} from raw_okta.{table} order by all"
        assert query(tmp_path / "small", sql) == query(tmp_path / "big", sql)


def test_building_the_source_does_no_io(servers: SimulatorServers) -> None:
    built = okta_source(base_url="http://unset", api_token="unset")
    assert set(built.resources) == {"snapshots", "users", "groups", "group_members"}
    assert requests_of(servers) == {}


def test_dbt_staging_contract(loaded: Path, okta_company: Company) -> None:
    result = run_dbt(loaded, "staging.okta")
    assert result.returncode == 0, result.stdout[-3000:]
    contract = {
        "stg_okta__snapshots": ["snapshot_on", "load_id", "loaded_at"],
        "stg_okta__users": ["snapshot_on", "user_id", "login", "email", "status", "is_active"],
        "stg_okta__groups": ["snapshot_on", "group_id", "group_name", "group_type"],
        "stg_okta__group_members": ["snapshot_on", "group_id", "user_id"],
    }
    for model, columns in contract.items():
        described = query(loaded, f"describe staging.{model}")
        assert [c[0] for c in described] == columns, model
    types = {c[0]: c[1] for c in query(loaded, "describe staging.stg_okta__users")}
    assert types["is_active"] == "BOOLEAN" and types["snapshot_on"] == "DATE"
    assert query(loaded, "select count(*) from staging.stg_okta__snapshots")[0][0] == 2
    mixed_case = query(
        loaded, "select count(*) from staging.stg_okta__users where login <> lower(login)"
    )
    assert mixed_case[0][0] == 0
    active = query(
        loaded,
        f"""
        select count(*) from staging.stg_okta__users
        where is_active and snapshot_on = '{TODAY.isoformat()}'
        """,
    )[0][0]
    day = TODAY.toordinal()
    assert active == sum(p.okta_status_on(day) == "ACTIVE" for p in okta_company.people)
