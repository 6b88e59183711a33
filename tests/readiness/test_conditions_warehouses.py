"""What validates runs: every accepted condition executes on DuckDB and on a real
PostgreSQL server over facts with edge values (NULLs, zeros, extremes), and both give
the same answer for every row."""

from __future__ import annotations

import datetime as dt

import duckdb

from readiness.conditions import compile_condition
from readiness.facts import load_facts
from tests.postgres_server import postgres_server

FACTS = load_facts()

# One condition per construct of the grammar, each over facts of several types.
CONDITIONS = [
    "has_runbook_link",
    "owner_resolved and owner_active_member_count >= 1",
    "not (lifecycle = 'deprecated') or tier is null",
    "tier in (1, 2) and lifecycle not in ('experimental', 'deprecated')",
    "dependency_count between 1 and 10",
    "lifecycle like 'prod%' or lifecycle ilike 'EXP%'",
    "regexp_matches(lifecycle, '^prod(uction)?$')",
    "starts_with(coalesce(owner_ref, ''), 'group:')",
    "dependency_count / link_count > 0.5",
    "dependency_count % link_count = 0",
    "5 / 2 = 2.5",
    "round(code_coverage_pct, 1) >= 80 or round(code_coverage_pct) < 10 or round(cast(tier as double), 2) = 1",
    "abs(-dependency_count) + 2 * link_count - 1 > 0",
    "greatest(tier, 2) = 2 and least(code_coverage_pct, 100) <= 100",
    "length(trim(lower(upper(lifecycle)))) > 3",
    "case when tier = 1 then code_coverage_pct >= 90 when tier = 2 then code_coverage_pct >= 80 "
    "else true end",
    "case tier when 1 then 'critical' else 'other' end = 'critical'",
    "cast(tier as varchar) = '1' and cast(has_runbook_link as integer) = 1",
    "cast(dependency_count as double) < 1e6 and cast(tier * tier as bigint) < 5 * tier",
    "cast('7' as integer) = tier or cast('2026-01-31' as date) < evaluated_on",
    "evaluated_on >= '2026-01-01' and evaluated_on < date '2027-01-01'",
    "evaluated_on - interval 30 day < date '2026-06-01'",
    "evaluated_on + 1 > evaluated_on and evaluated_on - evaluated_on = 0",
    "has_runbook_link is true or has_runbook_link is not null",
    "coalesce(days_since_last_commit, 999) <= 7",
    {"fact": "dependency_count", "op": "gte", "value": 1},
    {"fact": "lifecycle", "op": "not_in", "value": ["experimental", "it's"]},
    {
        "all": [
            {"fact": "tier", "op": "lte", "value": 2},
            {"not": {"fact": "owner_resolved", "op": "is_false"}},
        ]
    },
    {"fact": "evaluated_on", "op": "gte", "value": dt.date(2026, 1, 1)},
]

_VALUES = {
    "boolean": [None, False, True, True],
    "integer": [None, 0, 1, 2_000_000_000],
    "double": [None, 0.0, 85.25, 1e300],
    "varchar": [None, "", "production", "it's"],
}
DAYS = [dt.date(2026, 1, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 15), dt.date(2028, 12, 31)]


def _rows() -> list[dict[str, object]]:
    rows = []
    for index, day in enumerate(DAYS):
        row: dict[str, object] = {"evaluated_on": day}
        for name, fact in FACTS.items():
            row[name] = _VALUES[fact.data_type][index]
        rows.append(row)
    return rows


def _create(cursor, pg: bool) -> None:
    types = {
        "boolean": "boolean",
        "integer": "integer",
        "double": "double precision",
        "varchar": "text",
    }
    columns = ", ".join(
        ["evaluated_on date"] + [f"{name} {types[fact.data_type]}" for name, fact in FACTS.items()]
    )
    cursor.execute(f"create table facts ({columns})")
    names = ["evaluated_on", *FACTS]
    marks = ", ".join(["%s" if pg else "?"] * len(names))
    for row in _rows():
        cursor.execute(
            f"insert into facts ({', '.join(names)}) values ({marks})", [row[n] for n in names]
        )


def _evaluate(cursor, sql: str) -> list[object]:
    cursor.execute(f"select ({sql}) from facts as f order by evaluated_on")
    return [row[0] for row in cursor.fetchall()]


def test_every_grammar_construct_is_covered():
    kinds = {type(node).__name__ for text in CONDITIONS for node in _tree(text).walk()}
    for construct in (
        "In",
        "Between",
        "Like",
        "ILike",
        "RegexpLike",
        "Case",
        "Cast",
        "Coalesce",
        "Div",
        "Mod",
        "Round",
        "Interval",
        "Is",
        "Not",
        "StartsWith",
        "Greatest",
    ):
        assert construct in kinds, construct


def _tree(condition):
    import sqlglot

    return sqlglot.parse_one(compile_condition(condition, FACTS).sql["duckdb"], read="duckdb")


def _duckdb_results(compiled) -> dict[str, list[object]]:
    connection = duckdb.connect()
    try:
        cursor = connection.cursor()
        _create(cursor, pg=False)
        return {
            str(c): _evaluate(cursor, k.sql["duckdb"])
            for c, k in zip(CONDITIONS, compiled, strict=True)
        }
    finally:
        connection.close()


def test_accepted_conditions_run_on_duckdb_over_edge_values():
    results = _duckdb_results([compile_condition(c, FACTS) for c in CONDITIONS])
    # Not all NULL: the conditions really decide something on these rows.
    assert {value for row in results.values() for value in row} == {True, False, None}


def test_accepted_conditions_give_the_same_answers_on_postgresql():
    import psycopg2

    compiled = [compile_condition(c, FACTS) for c in CONDITIONS]
    results = {}
    with postgres_server() as server:
        connection = psycopg2.connect(
            host=server.host, port=server.port, user=server.user, dbname=server.database
        )
        try:
            with connection.cursor() as cursor:
                _create(cursor, pg=True)
                for condition, compiled_condition in zip(CONDITIONS, compiled, strict=True):
                    results[str(condition)] = _evaluate(cursor, compiled_condition.sql["postgres"])
        finally:
            connection.close()
    assert results == _duckdb_results(compiled)
