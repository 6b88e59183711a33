"""The demo company end to end over HTTP: every outcome equals the simulator's ground truth.

The simulator knows, from its own model, whether each of the sixteen template rules
passes for each service on each day (simulator/expected.py). Loading every source over
real HTTP, evaluating with dbt and publishing must give exactly the same answers, on
every day of the history, with no `unknown` left.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from orchestration.demo import run_demo
from readiness.warehouse import connect_published
from simulator import generate_company
from simulator.expected import rule_outcomes
from tests.conftest import copy_manifest

pytestmark = pytest.mark.slow
DAYS = 3
# An explicit day: the comparison must not depend on the day the suite runs (this one is
# the day it failed on when the ground truth counted seconds, not calendar days).
DEMO_DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, manifest_dir):
    from readiness.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("demo") / "home")
    copy_manifest(manifest_dir, settings)
    result = run_demo(
        settings, services=150, seed=7, days=DAYS, echo=lambda _: None, quiet=True, today=DEMO_DAY
    )
    assert result.summary.success, result.summary.failures
    assert not result.summary.source_failures
    return settings, result


def outcomes(settings, day: dt.date) -> dict[tuple[str, str], str]:
    connection = connect_published(settings)
    try:
        rows = connection.execute(
            "select entity_ref, rule_id, outcome from marts.fct_rule_outcomes "
            "where evaluated_on = ? and scorecard_id = 'production-readiness'",
            [day],
        ).fetchall()
    finally:
        connection.close()
    return {(ref.split("/", 1)[1], rule): outcome for ref, rule, outcome in rows}


def test_every_outcome_on_every_day_matches_the_ground_truth(demo):
    settings, result = demo
    company = generate_company(seed=7, services=150, today=result.day)
    for back in range(DAYS):
        day = result.day - dt.timedelta(days=back)
        expected = {
            (service, rule): "pass" if passed else "fail"
            for service, rules in rule_outcomes(company, as_of=day).items()
            for rule, passed in rules.items()
        }
        actual = outcomes(settings, day)
        assert actual == expected, (
            f"{day}: {len(set(actual.items()) ^ set(expected.items()))} differ"
        )


def test_every_rule_has_passing_and_failing_services(demo):
    settings, result = demo
    by_rule: dict[str, Counter] = {}
    for (_, rule), outcome in outcomes(settings, result.day).items():
        by_rule.setdefault(rule, Counter())[outcome] += 1
    assert len(by_rule) == 16
    for rule, counts in by_rule.items():
        assert counts["pass"] and counts["fail"], (rule, counts)
        assert not counts["unknown"], (rule, counts)


def test_requests_per_source_stay_bulk(demo):
    _, result = demo
    services = 150
    # GraphQL pages of 50 repositories and one workflows call per repository with
    # workflows, per day; everything else well under one request per service per day.
    assert result.requests["github"] <= DAYS * (services / 50 + services) + 10
    assert result.requests["okta"] <= DAYS * 40
    assert result.requests["pagerduty"] <= DAYS * 10
    assert result.requests["prometheus"] <= 5
