"""The SQL page cannot be made to leave the published warehouse or exhaust the server.

Every attempt goes the whole way a TPM's query goes (`run_query`: the guard, then the
worker process on a read-only connection without file or network access), against a
real published warehouse. A sentinel file and a local HTTP server watch: no attempt
reads or writes a file outside the warehouse, and none reaches the network. The
attempts on files and URLs are also run on the worker's connection with the guard
skipped: the connection refuses them on its own.
"""

from __future__ import annotations

import io

import pytest
from pytest_httpserver import HTTPServer

from dashboards.sql_guard import RefusedQuery
from dashboards.sql_runner import QueryFailed, run_query
from dashboards.sql_worker import run as run_in_worker

SECRET_TEXT = "sentinel-secret-4242"


@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    """A file the attempts try to read, a folder they try to write, a server they call."""
    folder = tmp_path_factory.mktemp("escape")
    (folder / "secret.csv").write_text(f"secret\n{SECRET_TEXT}\n")
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    server.expect_request("/x.csv").respond_with_data(f"a\n{SECRET_TEXT}\n")
    yield folder, server
    server.stop()


# (attempt, what the refusal says); {secret} is a file, {folder} a folder, {url} a server
ATTEMPTS = [
    # writes, also hidden in a CTE
    ("insert into marts.dim_levels select * from marts.dim_levels", "INSERT is refused"),
    ("update marts.dim_levels set level = 'x'", "UPDATE is refused"),
    ("delete from marts.fct_rule_outcomes", "DELETE is refused"),
    ("drop table marts.dim_levels", "DROP is refused"),
    ("create table marts.x as select 1", "CREATE is refused"),
    ("with gone as (delete from marts.dim_levels returning *) select * from gone",
     "DELETE is refused"),
    # other databases, files out
    ("attach '{folder}/other.duckdb' as other", "ATTACH is refused"),
    ("copy marts.dim_levels to '{folder}/out.csv'", "COPY is refused"),
    ("copy (select 1) to '{folder}/out.parquet' (format parquet)", "COPY is refused"),
    ("export database '{folder}/out'", "EXPORT is refused"),
    # extensions and settings
    ("install httpfs", "INSTALL is refused"),
    ("load httpfs", "LOAD is refused"),
    ("set enable_external_access = true", "SET is refused"),
    ("pragma database_list", "PRAGMA is refused"),
    ("call pragma_version()", "CALL is refused"),
    ("select current_setting('home_directory')", "current_setting() is refused"),
    ("select * from duckdb_settings()", "duckdb_settings() is not allowed"),
    ("select * from duckdb_secrets()", "duckdb_secrets() is refused"),
    ("create secret leak (type s3, key_id 'k', secret 's')", "CREATE is refused"),
    ("select getenv('HOME')", "getenv() is refused"),
    # files and URLs in
    ("select * from read_csv('{secret}')", "read_csv() is refused"),
    ("select * from '{secret}'", "looks like a file path or URL"),
    ("select content from read_text('{secret}')", "read_text() is refused"),
    ("select * from glob('{folder}/*')", "glob() is refused"),
    ("select * from read_csv('{url}')", "read_csv() is refused"),
    ("select * from '{url}'", "looks like a file path or URL"),
    ("select * from read_parquet('{url}')", "read_parquet() is refused"),
    ("select * from query('select 1')", "query() is refused"),
    # more than one statement
    ("select 1; drop table marts.dim_levels", "One statement at a time"),
]  # fmt: skip


def fill(template: str, watch) -> str:
    folder, server = watch
    return template.format(
        folder=folder, secret=folder / "secret.csv", url=server.url_for("/x.csv")
    )


def test_at_least_twenty_escape_attempts():
    assert len(ATTEMPTS) >= 20


@pytest.mark.parametrize(("template", "expected"), ATTEMPTS, ids=[a for a, _ in ATTEMPTS])
def test_each_attempt_is_refused_and_reaches_nothing(template, expected, watch, scenario_published):
    folder, server = watch
    before = sorted(path.name for path in folder.iterdir())
    with pytest.raises(RefusedQuery) as refused:
        run_query(scenario_published, fill(template, watch))
    assert expected in str(refused.value)
    assert sorted(path.name for path in folder.iterdir()) == before
    assert server.log == []


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('{secret}')",
        "select * from '{secret}'",
        "select * from read_csv('{url}')",
        "select * from read_parquet('{url}')",
        "select * from glob('{folder}/*')",
        "copy (select 1) to '{folder}/out.csv'",
        "attach '{folder}/other.duckdb' as other",
        "set enable_external_access = true",
        "load httpfs",
    ],
)
def test_the_worker_connection_refuses_them_without_the_guard(sql, watch, scenario_published):
    folder, server = watch
    text = fill(sql, watch)
    before = sorted(path.name for path in folder.iterdir())
    sink = io.BytesIO()
    status = run_in_worker(
        {
            "home": str(scenario_published.home),
            "sql": text,
            "row_limit": 10,
            "byte_limit": 1 << 20,
            "duckdb_memory_mb": 256,
        },
        sink,
    )
    assert "error" in status, status
    assert SECRET_TEXT.encode() not in sink.getvalue()
    assert sorted(path.name for path in folder.iterdir()) == before
    assert server.log == []


def test_a_result_beyond_the_row_limit_is_cut(scenario_published):
    result = run_query(scenario_published, "select * from range(100000)", row_limit=1000)
    assert len(result.frame) == 1000 and result.truncated and not result.byte_cut
    assert result.note == "cut at the row limit; more rows match"


def test_a_few_huge_rows_are_cut_at_the_byte_limit(scenario_published):
    """Five rows of 30 MB against a 64 MB limit: two come back, and the page says why."""
    result = run_query(scenario_published, "select repeat('x', 30000000) as s from range(5)")
    assert len(result.frame) == 2 and result.byte_cut
    assert result.frame["s"].str.len().tolist() == [30_000_000, 30_000_000]
    assert "cut at the result size limit of 64 MB" in result.note


def test_values_too_big_for_memory_fail_with_a_message_and_the_server_carries_on(
    scenario_published,
):
    """20 rows of 50 MB and 4 values of 2 GB: the worker's memory cap refuses them."""
    for sql in (
        "select repeat('x', 50000000) as s from range(20)",
        "select repeat('x', 2000000000) as s from range(4)",
    ):
        with pytest.raises(QueryFailed, match="needs more memory than the SQL page allows"):
            run_query(scenario_published, sql)
    assert len(run_query(scenario_published, "select * from marts.dim_levels").frame) == 2
