"""The generator: determinism, scale, coherence, and that every template rule can go both ways."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from simulator import (
    generate_company,
    rule_outcomes,
    write_catalog,
    write_coverage,
    write_custom_data,
)
from simulator.expected import RULES, level_distribution
from simulator.model import Company
from tests.simulator.sim_support import TODAY


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_size_and_today_give_byte_identical_output(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        company = generate_company(seed=11, services=60, today=TODAY)
        root = tmp_path / run
        write_catalog(company, root / "catalog")
        write_custom_data(company, root / "custom")
        write_coverage(company, root / "coverage")
        outputs.append(
            (_files(root), rule_outcomes(company), [i.id for i in company.events.incidents()])
        )
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0]) > 10


def test_another_seed_gives_another_company() -> None:
    a = generate_company(seed=1, services=40, today=TODAY)
    b = generate_company(seed=2, services=40, today=TODAY)
    assert [s.name for s in a.services] != [s.name for s in b.services]


def test_today_defaults_to_the_current_utc_date() -> None:
    assert generate_company(seed=3, services=10).today == dt.datetime.now(dt.UTC).date()


def test_twenty_thousand_services_are_generated_coherently() -> None:
    company = generate_company(seed=7, services=20_000, today=TODAY)
    assert len(company.services) == 20_000
    assert len({s.name for s in company.services}) == 20_000
    assert len({s.repo.name for s in company.services}) == 20_000
    assert len({s.repo.id for s in company.services}) == 20_000
    assert len({p.login for p in company.people}) == len(company.people)
    assert len({p.github_login for p in company.people}) == len(company.people)
    pd_ids = [s.pd_service_id for s in company.services if s.pd_service_id]
    assert len(set(pd_ids)) == len(pd_ids)
    assert len({m.id for m in company.monitors}) == len(company.monitors)
    assert len({s.id for s in company.slos}) == len(company.slos)
    teams = company.teams
    for service in company.services:
        assert teams[service.owner_team].kind == "team"
        assert 0 <= service.system < len(company.systems)
        if service.escalation_policy is not None:
            assert company.escalation_policies[service.escalation_policy].team == service.owner_team
    assert len(company.domains) >= 3 and len(teams) > 2_000


def _structure(company: Company) -> None:
    day = company.today_day
    assert len(company.domains) >= 3
    assert sum(t.kind == "team" for t in company.teams) >= 15
    statuses = Counter(p.okta_status_on(day) for p in company.people)
    assert statuses["ACTIVE"] > statuses["DEPROVISIONED"] > 0
    assert statuses["SUSPENDED"] > 0
    zero_active = [
        t
        for t in company.teams
        if t.kind == "team"
        and not any(company.people[p].okta_status_on(day) == "ACTIVE" for p in t.members)
    ]
    assert zero_active
    assert any(
        p.github_login.replace("-", "") != p.login.split("@")[0].replace(".", "")
        for p in company.people
    )
    assert any(p.github_login == f"{p.first}{p.last}".lower() for p in company.people)
    assert sum(not t.has_okta_group for t in company.teams) == 1
    assert all(t.okta_group_name != t.name for t in company.teams)
    kinds = Counter(s.kind for s in company.services)
    lifecycles = Counter(s.lifecycle for s in company.services)
    assert kinds["service"] > kinds["website"] > 0 and kinds["library"] > 0
    assert (
        lifecycles["production"] > 0
        and lifecycles["experimental"] > 0
        and lifecycles["deprecated"] > 0
    )
    defects = Counter(s.owner_defect for s in company.services)
    assert defects["dangling"] > 0 and defects["short"] > 0
    assert any(s.dd_service != s.name for s in company.services)
    assert any(s.pd_service_id is None for s in company.services)
    assert any(not s.depends_on_on(day) for s in company.services)
    assert {s.repo.default_branch for s in company.services} == {"main", "master"}
    assert {s.repo.ci_kind for s in company.services} >= {"actions", "jenkins", "circleci", None}
    assert {s.repo.protection_mode for s in company.services} == {"classic", "ruleset", None}
    assert {
        company.escalation_policies[s.escalation_policy].tiers_on(day)
        for s in company.services
        if s.escalation_policy is not None
    } == {1, 2, 3}
    assert any(s.repo.coverage is None for s in company.services)
    assert any(s.incident_doc.on(day) is None for s in company.services)


def test_company_of_150_has_the_realistic_variety_the_rules_need(company: Company) -> None:
    _structure(company)


def test_every_template_rule_has_passing_and_failing_services_today(company: Company) -> None:
    outcomes = rule_outcomes(company)
    assert len(outcomes) == sum(s.exists_on(company.today_day) for s in company.services)
    for rule in RULES:
        passed = sum(o[rule] for o in outcomes.values())
        assert 0 < passed < len(outcomes), f"{rule}: {passed} of {len(outcomes)} pass"


def test_levels_are_spread_and_drift_over_time(company: Company) -> None:
    today = level_distribution(company)
    assert all(today[level] > 0 for level in ("none", "bronze", "silver", "gold")), today
    assert today["none"] + today["bronze"] + today["silver"] > today["gold"]
    earlier = rule_outcomes(company, TODAY - dt.timedelta(days=60))
    now = rule_outcomes(company)
    changed = [name for name in earlier if name in now and earlier[name] != now[name]]
    assert len(changed) > 20
    assert len(now) > len(earlier)  # services created during the window did not exist then


def test_small_companies_still_have_three_domains() -> None:
    company = generate_company(seed=5, services=10, today=TODAY)
    assert len(company.services) == 10 and len(company.domains) >= 3
    assert all(
        s.owner_team in {t.index for t in company.teams if t.kind == "team"}
        for s in company.services
    )
