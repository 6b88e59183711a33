"""The benchmark's peer comparison is sound: readiness's rules translate into
json-rules-engine conditions, and both engines give the same outcome for every (entity,
rule), unknown included. No timings here: `make bench` measures; tests only check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from benchmarks import peer
from readiness.warehouse import connect_published
from tests.conftest import REPO, SCENARIO_DAY

BENCH_SCORECARDS = REPO / "benchmarks" / "scorecards"


def test_sql_conditions_translate_to_engine_conditions():
    assert peer.to_engine_condition("f.dependency_count >= 1") == {
        "all": [{"fact": "dependency_count", "operator": "greaterThanInclusive", "value": 1}]
    }
    assert peer.to_engine_condition("1 < f.tier") == {
        "all": [{"fact": "tier", "operator": "greaterThan", "value": 1}]
    }
    assert peer.to_engine_condition("NOT f.system_ref IS NULL") == {
        "not": {"fact": "system_ref", "operator": "equal", "value": None}
    }
    assert peer.to_engine_condition("f.has_runbook_link AND (f.x = 'a' OR f.y IN (1, 2.5))") == {
        "all": [
            {"fact": "has_runbook_link", "operator": "equal", "value": True},
            {
                "any": [
                    {"fact": "x", "operator": "equal", "value": "a"},
                    {"fact": "y", "operator": "in", "value": [1, 2.5]},
                ]
            },
        ]
    }
    with pytest.raises(peer.TranslationError):
        peer.to_engine_condition("f.a + f.b > 2")


def bench_standards(tmp_path: Path) -> Path:
    folder = tmp_path / "scorecards"
    shutil.copytree(REPO / "scorecards", folder)
    for path in BENCH_SCORECARDS.glob("*.yml"):
        shutil.copy(path, folder / path.name)
    return folder


def test_the_benchmark_has_forty_rules_that_all_translate(tmp_path):
    scorecards = peer.engine_scorecards(bench_standards(tmp_path))
    assert sum(len(sc["rules"]) for sc in scorecards) == 40
    assert {sc["id"] for sc in scorecards} == {"production-readiness", "operational-excellence"}


@pytest.fixture(scope="module")
def node_peer():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the json-rules-engine peer")
    peer.npm_ci()


def run_node(tmp_path: Path, day, scorecards, entities, facts):
    spec = {"day": day.isoformat(), "scorecards": scorecards, "facts": facts, "entities": entities}
    (tmp_path / "in.json").write_text(json.dumps(spec))
    return peer.run_peer(tmp_path / "in.json", tmp_path / "out.json", scorecards, keep=True)


def sql_outcomes(scorecards_dir: Path, facts: list[str], entities: list[list]) -> dict:
    """The 40 rules evaluated straight in DuckDB with fct_rule_outcomes' CASE logic."""
    from readiness.facts import load_facts
    from readiness.standards import load_standards

    types = {name: fact.data_type for name, fact in load_facts().items()}
    connection = duckdb.connect()
    connection.execute(
        "create table f (entity_ref varchar, "
        + ", ".join(f"{name} {types[name]}" for name in facts)
        + ")"
    )
    connection.executemany(f"insert into f values ({', '.join('?' * (len(facts) + 1))})", entities)
    out = {}
    for scorecard in load_standards(scorecards_dir).scorecards:
        for rule in scorecard.rules:
            condition = rule.condition.sql["duckdb"]
            applies = rule.applies_to.sql["duckdb"] if rule.applies_to else None
            case = "case "
            if applies:
                case += f"when ({applies}) is null then 'unknown' "
                case += f"when not ({applies}) then 'not_applicable' "
            case += f"when ({condition}) then 'pass' when not ({condition}) then 'fail' "
            case += "else 'unknown' end"
            rows = connection.execute(
                f"select entity_ref, {case} from f "
                f"where coalesce(({scorecard.applies_to.sql['duckdb']}), false)"
            ).fetchall()
            for ref, outcome in rows:
                out[(ref, scorecard.id, rule.rule.id)] = outcome
    return out


def test_engines_agree_on_every_null_pattern_of_the_forty_rules(tmp_path, node_peer):
    """Each fact in turn NULL, or true/false/low/high, for a few entities: every rule is
    seen passing, failing, unknown and (for filtered rules) not applicable."""
    import datetime as dt

    folder = bench_standards(tmp_path)
    scorecards = peer.engine_scorecards(folder)
    facts = peer.facts_used(scorecards)
    from readiness.facts import load_facts

    types = {name: fact.data_type for name, fact in load_facts().items()}
    samples = {
        "boolean": [True, False],
        "integer": [0, 1, 2, 3, 5, 40],
        "double": [50.0, 80.0, 95.0, 99.9],
        "varchar": ["production", "experimental", "deprecated", "component:default/x"],
    }
    entities = []
    for i in range(60):
        row = [f"component:default/e{i:03d}"]
        for j, name in enumerate(facts):
            if name == "kind":
                row.append("component" if i % 13 else "api")
                continue
            values = samples[types[name]]
            row.append(None if (i + j) % 7 == 0 else values[(i * 3 + j) % len(values)])
        entities.append(row)
    expected = sql_outcomes(folder, facts, entities)
    result = run_node(tmp_path, dt.date(2026, 6, 15), scorecards, entities, facts)
    comparison = peer.compare(expected, result.outcomes)
    assert comparison.identical, comparison.differences
    assert {"pass", "fail", "unknown", "not_applicable"} <= set(comparison.outcome_mix)


def test_engines_agree_with_the_scenario_run(tmp_path, scenario_published, node_peer):
    """The basic scenario's published outcomes (through dbt), against the peer on the same
    facts; exempt pairs are left out (json-rules-engine has no exemptions)."""
    scorecards_dir = REPO / "tests" / "scenarios" / "basic" / "scorecards"
    scorecards = peer.engine_scorecards(scorecards_dir, exemptions=True)
    facts = peer.facts_used(scorecards)
    connection = connect_published(scenario_published)
    try:
        entities = [
            list(row)
            for row in connection.execute(
                f"select entity_ref, {', '.join(facts)} from marts.fct_entity_facts "
                "where evaluated_on = ? order by entity_ref",
                [SCENARIO_DAY],
            ).fetchall()
        ]
        ours, _ = peer.readiness_outcomes(connection, SCENARIO_DAY)
    finally:
        connection.close()
    result = run_node(tmp_path, SCENARIO_DAY, scorecards, entities, facts)
    exempt = {key for key, outcome in ours.items() if outcome == "exempt"}
    assert exempt, "the scenario has exemptions: the comparison must leave them out"
    comparison = peer.compare(
        {k: v for k, v in ours.items() if k not in exempt},
        {k: v for k, v in result.outcomes.items() if k not in exempt},
    )
    assert comparison.identical, comparison.differences
    assert comparison.pairs > 20
    assert {"pass", "fail", "unknown"} <= set(comparison.outcome_mix)
