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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # The reported injection: SQL inside a quoted type name of a cast.
        ('cast(tier as "int); select 1; --")', "quoted names are not allowed"),
        (
            "cast(tier as \"int) > 0 or length(read_text('/etc/passwd')) > 0 "
            'or cast(1 as int") > 0',
            "quoted names are not allowed",
        ),
        ('"tier" = 1', "quoted names are not allowed"),
        ("cast(tier as widget) > 1", "cannot cast to 'widget'"),
        ("cast(tier as decimal(10, 2)) > 1", "cannot cast to 'decimal'"),
        ("cast(tier as int[]) is null", "cannot cast to"),
        ("has_runbook_link -- and false", "comments are not allowed"),
        ("has_runbook_link /* x */", "comments are not allowed"),
        ("lifecycle = e'\\x41'", "escaped strings"),
        ("tier = $1", "parameters are not allowed"),
        ("lifecycle = $$x$$", "dollar-quoted"),
        ("lifecycle || 'x' = 'y'", "DPipe"),
        ("try_cast(lifecycle as integer) = 1", "function 'try_cast'"),
        ("if(tier = 1, true, false)", "function 'if'"),
        ("lifecycle = any(['a'])", "is not allowed"),
        ("x'AB' = lifecycle", "cannot parse"),
        ("(" * 40 + "true" + ")" * 40, "brackets nested deeper than 32"),
        ("has_runbook_link and " * 300 + "true", "more than 4,000"),
    ],
)
def test_refuses_what_the_grammar_does_not_allow(text, message):
    with pytest.raises(ConditionError) as error:
        compile_condition(text, FACTS)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cast(lifecycle as integer) > 0", "cannot cast lifecycle (varchar) to integer"),
        ("cast(code_coverage_pct as integer) > 0", "cannot cast code_coverage_pct (double)"),
        ("tier = 'high'", "compares tier (integer) with 'high' (varchar)"),
        ("owner_resolved = 1", "compares owner_resolved (boolean) with 1 (integer)"),
        ("lifecycle in ('production', 1)", "compares lifecycle (varchar) with 1 (integer)"),
        ("tier between 1 and 'x'", "compares tier (integer)"),
        ("evaluated_on >= '2026-02-30'", "'2026-02-30' is not a date"),
        ("cast('2026-02-30' as date) < evaluated_on", "'2026-02-30' is not a date"),
        ("cast('x' as integer) = tier", "'x' is not a integer"),
        ("tier", "is not true or false"),
        ("not tier", "'not' needs true/false"),
        ("has_runbook_link and tier", "'and' needs true/false"),
        ("upper(tier) = 'X'", "upper needs text"),
        ("coalesce(tier, 'none') = 1", "the arguments of coalesce mix"),
        ("case tier when 1 then 'a' else 2 end = 'a'", "the branches of case mix"),
        ("tier = null", "compares with null"),
        ("tier is true", "'is' takes null"),
        ("regexp_matches(lifecycle, '(')", "is not a regular expression"),
        ("regexp_matches(lifecycle, '(?=x)')", "lookaround"),
        ("regexp_matches(lifecycle, lifecycle)", "must be a 'literal'"),
        ("tier = 99999999999999999999", "too large"),
        ("dependency_count * link_count * tier > 1", "64-bit integers"),
        ("evaluated_on + dependency_count > evaluated_on", "could leave the calendar"),
        ("interval (tier) day > interval 1 day", "is not an interval"),
        ("lifecycle + 1 > 0", "cannot compute"),
    ],
)
def test_types_are_checked_so_nothing_valid_fails_in_the_warehouse(text, message):
    with pytest.raises(ConditionError) as error:
        compile_condition(text, FACTS)
    assert message in str(error.value)
    assert error.value.hint


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"fact": ["tier", "lifecycle"], "op": "eq", "value": 1}, "'fact' must be the name of one"),
        ({"fact": "tier", "op": ["eq"], "value": 1}, "'op' must be one operator"),
        ({"fact": "tier", "op": "eq", "value": "high"}, "compares tier (integer) with 'high'"),
        ({"fact": "tier", "op": "eq", "value": None}, "null value is never true"),
        ({"fact": {"a": 1}, "op": "eq", "value": 1}, "'fact' must be the name of one"),
        ([{"fact": "tier", "op": "eq", "value": 1}], "expected a mapping, got a list"),
    ],
)
def test_declarative_inputs_of_the_wrong_shape_are_refused(spec, message):
    with pytest.raises(ConditionError) as error:
        compile_condition(spec, FACTS)
    assert message in str(error.value)


def test_declarative_nesting_is_limited():
    spec: dict = {"fact": "tier", "op": "eq", "value": 1}
    for _ in range(400):
        spec = {"not": spec}
    with pytest.raises(ConditionError) as error:
        compile_condition(spec, FACTS)
    assert "nested deeper than 16 levels" in str(error.value)


def test_compiled_sql_guards_division_and_integer_overflow():
    compiled = compile_condition("dependency_count * link_count / tier > 1", FACTS)
    assert compiled.sql["duckdb"] == (
        "CAST(f.dependency_count AS BIGINT) * CAST(f.link_count AS BIGINT) / NULLIF(f.tier, 0) > 1"
    )
    assert compiled.sql["postgres"].startswith("CAST(CAST(f.dependency_count AS BIGINT)")


def test_the_compiled_sql_is_parsed_again_and_must_be_what_was_validated():
    from sqlglot import exp

    from readiness.conditions import _verify

    # A tree whose generated SQL says more than the tree (a user-defined type is emitted
    # as raw text): the SQL parsed again is refused, whatever the generator wrote.
    smuggled = exp.GT(
        this=exp.Cast(
            this=exp.column("tier", table="f"),
            to=exp.DataType(
                this=exp.DataType.Type.USERDEFINED,
                kind="int) > 0 or length(read_text('/etc/passwd')) > 0 or cast(1 as int",
            ),
        ),
        expression=exp.Literal.number(0),
    )
    with pytest.raises(ConditionError) as error:
        _verify(smuggled, "duckdb", FACTS, {"tier"})
    assert "does not compile to a safe duckdb expression" in str(error.value)
    assert "read_text" in str(error.value)
    # A faithful tree passes, and the facts it references must be the validated ones.
    faithful = exp.EQ(this=exp.column("tier", table="f"), expression=exp.Literal.number(1))
    assert _verify(faithful, "postgres", FACTS, {"tier"}) == "f.tier = 1"
    with pytest.raises(ConditionError, match="does not compile to the same"):
        _verify(faithful, "postgres", FACTS, {"lifecycle"})
