"""The published warehouse opens anywhere: every table and view of `published.duckdb`
works when the file is opened directly (as the DuckDB CLI, a notebook or a TPM's script
opens it), in a fresh process, without attaching it under another name."""

from __future__ import annotations

import json
import subprocess
import sys

_OPEN_EVERY_RELATION = """
import json, sys
import duckdb

connection = duckdb.connect(sys.argv[1], read_only=True)
relations = connection.execute(
    "select table_schema, table_name, table_type from information_schema.tables "
    "where table_catalog = current_database() order by all"
).fetchall()
failures = {}
for schema, name, kind in relations:
    try:
        connection.execute(f'select * from "{schema}"."{name}" limit 1').fetchall()
    except duckdb.Error as error:
        failures[f"{schema}.{name}"] = str(error).splitlines()[0]
print(json.dumps({"relations": relations, "failures": failures}))
"""


def test_every_table_and_view_works_when_the_file_is_opened_directly(scenario_published):
    result = subprocess.run(
        [sys.executable, "-c", _OPEN_EVERY_RELATION, str(scenario_published.published_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    views = [f"{schema}.{name}" for schema, name, kind in report["relations"] if kind == "VIEW"]
    tables = [f"{schema}.{name}" for schema, name, kind in report["relations"] if kind != "VIEW"]
    assert report["failures"] == {}
    # every staging model is a view (and so are the raw tables' readers); the marts are tables
    assert "staging.stg_catalog__entities" in views and "marts.fct_rule_outcomes" in tables
    assert len(views) >= 50, views
