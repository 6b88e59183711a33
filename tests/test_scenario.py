"""The scenario catalog, end to end through Dagster, dlt, dbt and publish.

Every (entity, rule) outcome, score and level below is written down by hand from the
files in tests/scenarios/basic and compared exactly with the published marts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from orchestration.runner import run_days
from readiness.errors import SpecError
from readiness.warehouse import connect_published
from tests.conftest import BASIC
from tests.conftest import SCENARIO_DAY as DAY

pytestmark = pytest.mark.slow

PAYMENTS, LEDGER, ORPHAN, SEARCH = (
    f"component:default/{n}" for n in ("payments-api", "ledger", "orphan-svc", "search-ui")
)
NA, EX, UNK = "not_applicable", "exempt", "unknown"

EXPECTED_OUTCOMES = {
    #          has-deps  runbook  owner   playbook prod-logs chat protected
    PAYMENTS: ("pass", "pass", "pass", "pass", "pass", NA, UNK),
    LEDGER: (EX, "fail", "pass", "fail", "pass", NA, UNK),  # short owner `payments` resolves
    ORPHAN: ("pass", "fail", "fail", "fail", "fail", NA, UNK),  # dangling owner, no links
    SEARCH: ("fail", "pass", "pass", "fail", NA, NA, UNK),  # experimental: prod-logs n/a
}
RULES = ("has-deps", "runbook", "owner", "playbook", "prod-logs", "chat", "protected")
EXPECTED_SCORES = {
    # entity: (score_pct, level, points_earned, points_possible)
    PAYMENTS: (72.73, "bronze", 8, 11),
    LEDGER: (30.0, None, 3, 10),
    ORPHAN: (9.09, None, 1, 11),
    SEARCH: (40.0, None, 4, 10),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scenario(scenario_home):
    return scenario_home


def fetch(settings, sql, *params):
    connection = connect_published(settings)
    try:
        return connection.execute(sql, list(params)).fetchall()
    finally:
        connection.close()


def test_every_outcome_matches_the_hand_written_expectation(scenario):
    rows = fetch(
        scenario,
        "select entity_ref, rule_id, outcome from marts.fct_rule_outcomes "
        "where evaluated_on = ? and scorecard_id = 'scenario'",
        DAY,
    )
    actual = {(entity, rule): outcome for entity, rule, outcome in rows}
    expected = {
        (entity, rule): outcome
        for entity, outcomes in EXPECTED_OUTCOMES.items()
        for rule, outcome in zip(RULES, outcomes, strict=True)
    }
    assert actual == expected


def test_every_score_and_level_matches(scenario):
    rows = fetch(
        scenario,
        "select entity_ref, score_pct, level, points_earned, points_possible "
        "from marts.fct_entity_scores where evaluated_on = ?",
        DAY,
    )
    assert {r[0]: tuple(r[1:]) for r in rows} == EXPECTED_SCORES


def test_reasons_explain_unknown_exempt_and_not_applicable(scenario):
    reasons = {
        (entity, rule): reason
        for entity, rule, reason in fetch(
            scenario,
            "select entity_ref, rule_id, reason from marts.fct_rule_outcomes where evaluated_on = ?",
            DAY,
        )
    }
    assert reasons[(PAYMENTS, "protected")] == "branch_protected: source github never loaded"
    assert reasons[(PAYMENTS, "chat")] == "not effective until 2027-01-01"
    assert reasons[(SEARCH, "prod-logs")] == "excluded by the rule's applies_to filter"
    assert reasons[(LEDGER, "has-deps")] == (
        "exempt until 2027-01-01 (approved by cto@example.com): "
        "The ledger is a leaf service by design; it calls nothing."
    )
    assert reasons[(ORPHAN, "runbook")] is None  # the expired exemption no longer applies
    assert reasons[(PAYMENTS, "runbook")] is None


def test_outcome_rows_carry_the_definition_hash_and_evidence(scenario):
    from readiness.standards import load_standards

    (card,) = load_standards(BASIC / "scorecards").scorecards
    hashes = fetch(scenario, "select distinct definition_hash from marts.fct_rule_outcomes")
    assert hashes == [(card.definition_hash,)]
    stored = fetch(
        scenario,
        "select rule_id, condition_text from marts.dim_rules where is_current order by position",
    )
    assert [r[0] for r in stored] == list(RULES)
    evidence = fetch(
        scenario,
        "select fact_values from marts.fct_rule_outcomes where entity_ref = ? and rule_id = ?",
        ORPHAN,
        "has-deps",
    )
    assert evidence == [("dependency_count=1",)]


def test_dimensions_and_team_rollup(scenario):
    teams = dict(fetch(scenario, "select team_ref, parent_ref from marts.dim_teams"))
    assert teams == {
        "group:default/platform": None,
        "group:default/payments": "group:default/platform",  # from the parent's children
        "group:default/search": "group:default/platform",  # from spec.parent
    }
    domain = fetch(
        scenario, "select domain_ref from marts.dim_entities where entity_ref = ?", PAYMENTS
    )
    assert domain == [("domain:default/commerce",)]
    rollup = {
        team: (count, score)
        for team, count, score in fetch(
            scenario,
            "select scope_ref, entity_count, avg_score_pct from marts.fct_scores_daily "
            "where scope_type = 'team'",
        )
    }
    assert rollup == {
        "group:default/payments": (2, 51.37),
        "group:default/search": (1, 40.0),
        "(owner not resolved)": (1, 9.09),
    }
    problems = fetch(
        scenario,
        "select file, document_index, line, entity_ref, severity, problem, message "
        "from marts.fct_catalog_problems order by severity",
    )
    assert problems == [
        ("services.yaml", 6, 73, None, "error", "missing-name", "metadata.name is missing"),
        (
            "services.yaml",
            3,
            47,
            "component:default/orphan-svc",
            "warning",
            "dangling-reference",
            "spec.owner: group:default/ghost-team is not in the catalog",
        ),
    ]


def test_rerunning_the_same_day_changes_nothing(scenario):
    before = fetch(scenario, "select * from marts.fct_rule_outcomes order by all")
    summary = run_days(scenario, DAY, quiet=True)
    assert summary.success, summary.failures
    after = fetch(scenario, "select * from marts.fct_rule_outcomes order by all")
    assert after == before
    assert len(after) == 28


def test_a_failed_run_leaves_the_published_warehouse_untouched(scenario, tmp_path):
    import duckdb

    published = scenario.published_path
    before = digest(published)
    broken = tmp_path / "scorecards"
    shutil.copytree(BASIC / "scorecards", broken)
    card = broken / "scenario.yml"
    card.write_text(
        card.read_text().replace("condition: owner_resolved", "condition: owner_resolvd")
    )
    # Invalid standards are refused before anything runs, naming file, rule and fact.
    with pytest.raises(SpecError) as error:
        run_days(scenario.with_(scorecards_dir=broken), DAY + dt.timedelta(days=1), quiet=True)
    assert "scenario.yml" in str(error.value) and "unknown fact 'owner_resolvd'" in str(error.value)
    # A run whose build cannot complete publishes nothing: here another process holds the
    # working warehouse open, which makes dlt and dbt fail.
    with duckdb.connect(str(scenario.warehouse_path)):
        summary = run_days(scenario, DAY + dt.timedelta(days=1), quiet=True)
    assert not summary.success
    assert summary.failures and summary.published is None
    assert digest(published) == before


def test_a_source_that_fails_to_load_makes_its_facts_unknown_and_says_why(scenario, tmp_path):
    day = DAY + dt.timedelta(days=5)
    settings = scenario.with_(custom_data_dir=tmp_path / "vanished", freshness_days=1)
    summary = run_days(settings, day, quiet=True)
    assert summary.success, summary.failures  # evaluated and published all the same
    assert len(summary.source_failures) == 1 and "custom data folder" in summary.source_failures[0]
    reasons = fetch(
        scenario,
        "select distinct outcome, reason from marts.fct_rule_outcomes "
        "where evaluated_on = ? and rule_id = 'playbook'",
        day,
    )
    ((outcome, reason),) = reasons
    assert outcome == "unknown"
    assert reason.startswith(
        "incident_process_documented: source custom_data last loaded 2026-06-1"
    )
    assert "(stale after 1 days); its load of 2026-06-20 failed: custom data folder" in reason
    # the other sources are fresh: catalog facts still decide their rules
    assert fetch(
        scenario,
        "select outcome from marts.fct_rule_outcomes where evaluated_on = ? and entity_ref = ? "
        "and rule_id = 'runbook'",
        day,
        PAYMENTS,
    ) == [("pass",)]


def test_refused_custom_data_is_unknown_not_false_and_the_rest_loads(scenario, tmp_path):
    day = DAY + dt.timedelta(days=9)
    folder = tmp_path / "custom_data"
    shutil.copytree(BASIC / "custom_data", folder)
    # orphan-svc says `maybe` (refused: its fact is unknown, not false); search-ui's CSV
    # row is valid and loads beside it; a truncated JSON file is refused whole.
    (folder / "more.yaml").write_text(
        "entity: orphan-svc\ndata: {incident-process-documented: maybe}\n", encoding="utf-8"
    )
    (folder / "rows.csv").write_text(
        "entity,incident-process-documented\nsearch-ui,true\n", encoding="utf-8"
    )
    (folder / "cut.json").write_text('[{"entity": "ledger", "da', encoding="utf-8")
    summary = run_days(scenario.with_(custom_data_dir=folder), day, quiet=True)
    assert summary.success, summary.failures
    outcomes = dict(
        fetch(
            scenario,
            "select entity_ref, outcome from marts.fct_rule_outcomes "
            "where evaluated_on = ? and rule_id = 'playbook'",
            day,
        )
    )
    assert outcomes == {PAYMENTS: "pass", LEDGER: "fail", ORPHAN: "unknown", SEARCH: "pass"}
    errors = fetch(
        scenario,
        "select file, item, line, entity_ref, data_key, message from staging.stg_custom_data__errors "
        "where snapshot_on = ? order by file",
        day,
    )
    assert errors == [
        ("cut.json", None, 1, None, None, errors[0][5]),
        (
            "more.yaml",
            1,
            1,
            ORPHAN,
            "incident-process-documented",
            "is 'maybe', not true or false",
        ),
    ]
    assert "ends before the JSON does" in errors[0][5]


def test_without_custom_data_its_rules_are_unknown(make_settings):
    settings = make_settings(catalog_dir=BASIC / "catalog", scorecards_dir=BASIC / "scorecards")
    summary = run_days(settings, DAY, quiet=True)
    assert summary.success, summary.failures
    rows = fetch(
        settings,
        "select entity_ref, outcome, reason from marts.fct_rule_outcomes where rule_id = 'playbook'",
    )
    assert {r[1] for r in rows} == {"unknown"}
    assert {r[2] for r in rows} == {"incident_process_documented: source custom_data never loaded"}


def test_published_facts_model_is_exactly_the_documented_contract(scenario):
    import yaml

    from readiness.facts import FACTS_MODEL, FACTS_YAML, default_dbt_project_dir, load_facts

    spec = yaml.safe_load((default_dbt_project_dir() / FACTS_YAML).read_text())
    (model,) = [m for m in spec["models"] if m["name"] == FACTS_MODEL]
    documented = [c["name"] for c in model["columns"]]
    columns = fetch(
        scenario,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
        FACTS_MODEL,
    )
    assert [name for name, _ in columns] == documented
    types = dict(columns)
    duckdb_types = {
        "boolean": "BOOLEAN",
        "integer": "INTEGER",
        "double": "DOUBLE",
        "varchar": "VARCHAR",
        "date": "DATE",
    }
    for fact in load_facts().values():
        assert types[fact.name] == duckdb_types[fact.data_type], fact.name


def test_custom_data_facts_are_declared_in_dbt_and_documented():
    import yaml

    from readiness.facts import default_dbt_project_dir, load_facts

    project = yaml.safe_load((default_dbt_project_dir() / "dbt_project.yml").read_text())
    declared = project["vars"]["custom_data_facts"]
    documented = {f.name for f in load_facts().values() if f.source == "custom_data"}
    assert set(declared) == documented
