import pytest

from readiness.conditions import ConditionError, compile_condition
from readiness.facts import load_facts

FACTS = load_facts()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dependency_count >= 1; drop table marts.fct_rule_outcomes", "';' is not allowed"),
        ("COPY marts.fct_rule_outcomes TO '/tmp/x.csv'", "is a statement"),
        ("ATTACH '/tmp/other.duckdb' AS other", "is a statement"),
        ("PRAGMA version", "is a statement"),
        ("select 1", "is a statement"),
        ("(select count(*) from marts.fct_rule_outcomes) > 0", "subqueries are not allowed"),
        ("dependency_count in (select 1)", "subqueries are not allowed"),
        ("exists (select 1)", "subqueries are not allowed"),
        ("read_csv('/etc/passwd') is not null", "function 'read_csv' is not allowed"),
        ("getenv('HOME') = 'x'", "function 'getenv' is not allowed"),
        ("days_since_last_commit < current_date", "reads the clock"),
        ("no_such_fact = 1", "unknown fact 'no_such_fact'"),
        ("has_runbok_link", "unknown fact 'has_runbok_link'"),
        ("f.has_runbook_link", "is qualified"),
        ("dependency_count >", "cannot parse"),
        ("", "empty"),
    ],
)
def test_refuses_anything_but_a_scalar_expression_over_facts(text, message):
    with pytest.raises(ConditionError) as error:
        compile_condition(text, FACTS)
    assert message in str(error.value)
    assert error.value.hint or "parse" in message or "empty" in message


def test_unknown_fact_hint_suggests_the_closest_fact():
    with pytest.raises(ConditionError) as error:
        compile_condition("has_runbok_link", FACTS)
    assert "has_runbook_link" in error.value.hint


def test_sql_condition_is_qualified_and_transpiled_for_each_dialect():
    compiled = compile_condition(
        "owner_resolved and coalesce(owner_active_member_count, 0) >= 1 "
        "and regexp_matches(lifecycle, '^prod')",
        FACTS,
    )
    assert compiled.facts == ("lifecycle", "owner_active_member_count", "owner_resolved")
    assert "f.owner_resolved" in compiled.sql["duckdb"]
    assert "REGEXP_MATCHES(f.lifecycle, '^prod')" in compiled.sql["duckdb"]
    assert "f.lifecycle ~ '^prod'" in compiled.sql["postgres"]


def test_builtin_evaluated_on_is_allowed_but_is_not_a_fact():
    compiled = compile_condition("evaluated_on >= date '2026-01-01' and has_logs_link", FACTS)
    assert compiled.facts == ("has_logs_link",)


@pytest.mark.parametrize(
    ("spec", "sql"),
    [
        ({"fact": "dependency_count", "op": "gte", "value": 1}, "f.dependency_count >= 1"),
        (
            {"fact": "lifecycle", "op": "in", "value": ["production", "beta"]},
            "f.lifecycle IN ('production', 'beta')",
        ),
        (
            {"fact": "incident_process_documented", "op": "is_true"},
            "f.incident_process_documented = TRUE",
        ),
        (
            {
                "all": [
                    {"fact": "tier", "op": "lte", "value": 2},
                    {"not": {"fact": "lifecycle", "op": "eq", "value": "it's"}},
                ]
            },
            "(f.tier <= 2 AND NOT (f.lifecycle = 'it''s'))",
        ),
    ],
)
def test_declarative_form_compiles_to_the_same_sql(spec, sql):
    assert compile_condition(spec, FACTS).sql["duckdb"] == sql


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"fact": "nope", "op": "eq", "value": 1}, "unknown fact 'nope'"),
        ({"fact": "tier", "op": "approx", "value": 1}, "unknown op 'approx'"),
        ({"fact": "tier", "op": "is_true"}, "needs a boolean fact"),
        ({"fact": "tier", "op": "in", "value": 3}, "needs a non-empty list"),
        ({"fact": "tier", "op": "eq"}, "needs a value"),
        ({"fact": "tier", "op": "eq", "value": 1, "extra": 2}, "unexpected keys"),
        ({"any": []}, "non-empty list"),
    ],
)
def test_declarative_form_errors(spec, message):
    with pytest.raises(ConditionError) as error:
        compile_condition(spec, FACTS)
    assert message in str(error.value)
