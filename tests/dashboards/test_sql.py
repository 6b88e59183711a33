"""The SQL page: what it refuses (and says why), its limits, and its saved examples."""

from __future__ import annotations

import time

import duckdb
import pytest

from dashboards.sql_examples import EXAMPLES
from dashboards.sql_guard import MAX_QUERY_CHARS, RefusedQuery, check_query
from dashboards.sql_runner import QueryFailed, run_query
from readiness.settings import REPO_ROOT
from readiness.warehouse import connect_published
from tests.dashboards.conftest import run_page

READ_ONLY = "the SQL page is read-only"
NO_FILES = "no file or network access"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # writes
        ("insert into marts.dim_levels values (1)", f"INSERT is refused: {READ_ONLY}"),
        ("update marts.dim_levels set level = 'x'", f"UPDATE is refused: {READ_ONLY}"),
        ("delete from marts.fct_rule_outcomes", f"DELETE is refused: {READ_ONLY}"),
        ("create table t as select 1", f"CREATE is refused: {READ_ONLY}"),
        ("create or replace view v as select 1", f"CREATE is refused: {READ_ONLY}"),
        ("drop table marts.dim_levels", f"DROP is refused: {READ_ONLY}"),
        ("alter table marts.dim_levels add column x int", f"ALTER is refused: {READ_ONLY}"),
        # other databases
        ("attach 'other.duckdb' as other", "ATTACH is refused: the SQL page reads the published"),
        ("detach warehouse", "DETACH is refused"),
        # files out
        ("copy marts.dim_levels to 'levels.csv'", "COPY is refused: SQL has no file access"),
        ("copy (select 1) to '/tmp/x.parquet' (format parquet)", "COPY is refused"),
        ("export database '/tmp/everything'", "EXPORT is refused"),
        # files in
        ("select * from read_csv('/etc/passwd')", f"read_csv() is refused: SQL has {NO_FILES}"),
        ("select * from read_csv_auto('x.csv')", "read_csv_auto() is refused"),
        ("select * from read_parquet(['a.parquet'])", "read_parquet() is refused"),
        ("select * from read_json('x.json')", "read_json() is refused"),
        ("select * from glob('/home/*')", "glob() is refused"),
        ("select content from read_text('/etc/hostname')", "read_text() is refused"),
        ("select * from parquet_scan('x')", "parquet_scan() is refused"),
        ("select * from sqlite_scan('x.db', 't')", "sqlite_scan() is refused"),
        ("select * from 'secrets.csv'", "`secrets.csv` looks like a file path or URL"),
        ("select * from 's3://bucket/x.parquet'", "looks like a file path or URL"),
        ("select getenv('HOME')", "getenv() is refused"),
        ("select * from query('select 1')", "query() is refused"),
        # hidden inside a query
        (
            "select * from marts.dim_entities e join read_json('x') j on true",
            "read_json() is refused",
        ),
        ("select (select count(*) from read_csv('x'))", "read_csv() is refused"),
        ("with x as (select * from glob('*')) select * from x", "glob() is refused"),
        ("select * from pragma_database_list()", "table function pragma_database_list()"),
        # configuration, extensions, transactions
        ("pragma database_list", "PRAGMA is refused: settings, extensions"),
        ("set enable_external_access = true", "SET is refused"),
        ("reset threads", "RESET is refused"),
        ("install httpfs", "INSTALL is refused"),
        ("force install httpfs", "INSTALL is refused"),
        ("load httpfs", "LOAD is refused"),
        ("call pragma_version()", "CALL is refused"),
        ("use memory", "USE is refused"),
        ("checkpoint", "CHECKPOINT is refused"),
        ("begin transaction", "BEGIN is refused"),
        # shape
        ("select 1; drop table marts.dim_levels", "One statement at a time: found 2"),
        ("", "Type a query first"),
        (" ; ", "Type a query first"),
        ("select * from", "could not be parsed"),
    ],
)
def test_refused_with_a_clear_message(sql, expected):
    with pytest.raises(RefusedQuery) as refused:
        check_query(sql)
    assert expected in str(refused.value)


def test_over_long_queries_are_refused():
    sql = "select 1 as x" + " " * MAX_QUERY_CHARS
    with pytest.raises(RefusedQuery, match=r"is 10,013 characters long; the limit is 10,000"):
        check_query(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from marts.dim_entities",
        "from marts.dim_levels",
        "with t as (select 1 as x) select * from t union all select 2",
        "select * from marts.fct_rule_outcomes where reason like '%.csv'",  # a string, not a file
        "describe marts.fct_entity_scores",
        "summarize marts.dim_levels",
        "pivot marts.dim_entities on kind using count(*)",
        "select * from range(3)",
        "select table_name from duckdb_tables()",
        "-- a comment\nselect 1;",
    ],
)
def test_queries_are_accepted(sql):
    check_query(sql)


def test_row_limit_and_results(scenario_published):
    result = run_query(scenario_published, "select * from marts.fct_rule_outcomes", row_limit=5)
    assert len(result.frame) == 5 and result.truncated
    result = run_query(scenario_published, "select * from marts.dim_levels", row_limit=5)
    assert len(result.frame) == 2 and not result.truncated


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) from range(1000000) a, range(1000000) b",
        # the first rows come at once, the rest one by one over a huge scan: the worker is
        # streaming rows when the deadline comes (the limit covers fetching them)
        "select a from range(10000000000000) t(a) where a % 1000000007 < 3",
    ],
    ids=["runaway", "trickling-rows"],
)
def test_time_limit_interrupts_the_query(scenario_published, sql):
    began = time.monotonic()
    with pytest.raises(QueryFailed, match=r"stopped after the time limit of 0.5 s \(running it"):
        run_query(scenario_published, sql, row_limit=10_000, time_limit_s=0.5)
    assert time.monotonic() - began < 10


def test_duckdb_errors_are_reported(scenario_published):
    with pytest.raises(QueryFailed, match="DuckDB: Catalog Error"):
        run_query(scenario_published, "select * from marts.no_such_table")


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        ("select * from read_csv('/etc/hostname')", "file system operations are disabled"),
        ("copy (select 1) to '/tmp/readiness-leak.csv'", "disabled"),
        ("insert into marts.dim_levels select * from marts.dim_levels", "read-only"),
        ("attach '/tmp/readiness-other.duckdb' as other", "disabled"),
        ("set enable_external_access = true", "configuration has been locked"),
    ],
)
def test_the_connection_refuses_too_without_the_guard(scenario_published, sql, error):
    """Defence in depth: what the guard refuses, the connection refuses on its own."""
    connection = connect_published(scenario_published)
    try:
        with pytest.raises(duckdb.Error, match=error):
            connection.execute(sql)
    finally:
        connection.close()


def test_examples_run_and_are_documented(scenario_published):
    docs = (REPO_ROOT / "docs" / "sql-examples.md").read_text()
    for example in EXAMPLES:
        result = run_query(scenario_published, example.sql)
        assert len(result.frame.columns) > 0, example.title
        assert f"### {example.title}" in docs, example.title
        assert example.sql in docs, example.title


def test_sql_page_refuses_runs_and_offers_csv(scenario_published, monkeypatch):
    app = run_page("sql.py", scenario_published.home, monkeypatch)
    assert app.text_area(key="sql_text").value == EXAMPLES[0].sql

    app.text_area(key="sql_text").set_value("copy marts.dim_levels to 'x.csv'")
    app.button[0].click().run()
    assert app.error[0].value.startswith("Refused: COPY is refused")
    assert not app.get("download_button")

    app.text_area(key="sql_text").set_value(
        "select level from marts.dim_levels order by level_rank"
    )
    app.button[0].click().run()
    assert not app.error
    assert list(app.dataframe[0].value.level) == ["bronze", "silver"]
    assert len(app.get("download_button")) == 1

    app.selectbox(key="sql_example").set_value(EXAMPLES[1].title).run()
    assert app.text_area(key="sql_text").value == EXAMPLES[1].sql
