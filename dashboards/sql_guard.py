"""What SQL the SQL page accepts: one read-only query over the published warehouse.

The page's connection already refuses writes (the file is attached read-only) and any
file, network or extension access (`enable_external_access = false`, configuration
locked). This module refuses the rest before DuckDB sees the text, with a message that
says what was refused and what to do instead: statements other than a query
(writes, ATTACH, COPY, PRAGMA, SET, INSTALL, LOAD, ...), more than one statement, table
or scalar functions that read files or run SQL of their own, paths used as tables, and
text longer than the limit. The statement is parsed with sqlglot (DuckDB dialect), and
only an allow-list of statement kinds and table functions passes.
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

MAX_QUERY_CHARS = 10_000

# Table functions a query may read from: generated rows and the warehouse's own catalog.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_constraints",
    }
)
# Functions that read files or URLs, or run SQL given as text (refused anywhere).
FILE_FUNCTION_NAMES = frozenset(
    {
        "glob",
        "getenv",
        "query",
        "query_table",
        "sniff_csv",
        "parquet_metadata",
        "parquet_schema",
        "parquet_file_metadata",
        "parquet_kv_metadata",
        "read_text",
        "read_blob",
        "which_secret",
        "duckdb_secrets",
        "load_aws_credentials",
        "st_read",
    }
)
FILE_FUNCTION_PATTERN = re.compile(r"^(read_\w+|\w+_scan|iceberg_\w+|delta_\w+)$")
# Functions that show the server's settings (paths, directories, limits): refused anywhere.
SETTINGS_FUNCTION_NAMES = frozenset({"current_setting", "duckdb_settings"})

# Statements refused wherever they appear (also nested, e.g. inside a CTE).
_REFUSED_NODES = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Attach,
    exp.Detach,
    exp.Copy,
    exp.Pragma,
    exp.Set,
    exp.Command,
)
_KEYWORD_KINDS = {
    "insert": "write",
    "update": "write",
    "delete": "write",
    "merge": "write",
    "create": "write",
    "drop": "write",
    "alter": "write",
    "truncate": "write",
    "attach": "attach",
    "detach": "attach",
    "copy": "copy",
    "export": "copy",
    "import": "copy",
    "pragma": "configuration",
    "set": "configuration",
    "reset": "configuration",
    "install": "configuration",
    "force": "configuration",
    "load": "configuration",
    "use": "configuration",
    "call": "configuration",
    "checkpoint": "configuration",
    "vacuum": "configuration",
    "begin": "configuration",
    "commit": "configuration",
    "rollback": "configuration",
    "abort": "configuration",
}
_MESSAGES = {
    "write": (
        "{keyword} is refused: the SQL page is read-only. Write a SELECT over the marts "
        "(schema `marts`); changes to the warehouse come from `readiness run`."
    ),
    "attach": (
        "{keyword} is refused: the SQL page reads the published warehouse only, it cannot "
        "open other databases."
    ),
    "copy": (
        "{keyword} is refused: SQL has no file access here. Run a SELECT and use "
        "'Download CSV' to save its result."
    ),
    "configuration": (
        "{keyword} is refused: settings, extensions and transactions cannot be changed "
        "from the SQL page. Write a SELECT (or DESCRIBE / SHOW / SUMMARIZE)."
    ),
}


class RefusedQuery(ValueError):
    """The SQL page does not run this text; the message says why and what to do."""


def check_query(sql: str, *, max_chars: int = MAX_QUERY_CHARS) -> exp.Expression:
    """Return the parsed statement if the SQL page may run it, else raise RefusedQuery."""
    text = sql.strip()
    if not text:
        raise RefusedQuery("Type a query first, or pick a saved example.")
    if len(sql) > max_chars:
        raise RefusedQuery(
            f"The query is {len(sql):,} characters long; the limit is {max_chars:,}. "
            "Shorten it (a CTE per step helps), or query the warehouse file from your own "
            "DuckDB client."
        )
    statements = _parse(text)
    if not statements:
        raise RefusedQuery("Type a query first, or pick a saved example.")
    if len(statements) != 1:
        raise RefusedQuery(
            f"One statement at a time: found {len(statements)} statements separated by `;`."
        )
    statement = statements[0]
    _check_statement_kind(statement, _first_keyword(text))
    for node in statement.walk():
        _check_node(node)
    return statement


def _parse(text: str) -> list[exp.Expression]:
    logger = logging.getLogger("sqlglot")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # sqlglot warns when it falls back to a bare Command
    try:
        statements = sqlglot.parse(text, read="duckdb")
    except (ParseError, TokenError) as exc:
        keyword = _first_keyword(text)
        if keyword in _KEYWORD_KINDS:
            raise RefusedQuery(
                _MESSAGES[_KEYWORD_KINDS[keyword]].format(keyword=keyword.upper())
            ) from exc
        raise RefusedQuery(f"The query could not be parsed: {_first_line(exc)}") from exc
    finally:
        logger.setLevel(previous)
    return [statement for statement in statements if statement is not None]


def _first_keyword(text: str) -> str:
    without_comments = re.sub(r"--[^\n]*|/\*.*?\*/", " ", text, flags=re.S)
    match = re.match(r"\s*\(*\s*([A-Za-z_]+)", without_comments)
    return match.group(1).lower() if match else ""


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _check_statement_kind(statement: exp.Expression, first_keyword: str = "") -> None:
    if isinstance(statement, exp.Query | exp.Describe | exp.Summarize | exp.Show | exp.Pivot):
        return
    if isinstance(statement, exp.Command):
        keyword = str(statement.this).split()[0].lower() if statement.this else ""
    else:
        keyword = _keyword_of(statement) or first_keyword
    if keyword not in _KEYWORD_KINDS:
        raise RefusedQuery(
            f"`{keyword or type(statement).__name__}` is not a query: the SQL page runs one "
            "SELECT (or DESCRIBE / SHOW / SUMMARIZE) over the published warehouse."
        )
    raise RefusedQuery(_MESSAGES[_KEYWORD_KINDS[keyword]].format(keyword=keyword.upper()))


def _keyword_of(statement: exp.Expression) -> str:
    for keyword, kinds in (
        ("insert", exp.Insert),
        ("update", exp.Update),
        ("delete", exp.Delete),
        ("merge", exp.Merge),
        ("create", exp.Create),
        ("drop", exp.Drop),
        ("alter", exp.Alter),
        ("truncate", exp.TruncateTable),
        ("attach", exp.Attach),
        ("detach", exp.Detach),
        ("copy", exp.Copy),
        ("pragma", exp.Pragma),
        ("set", exp.Set),
        ("install", exp.Install),
        ("use", exp.Use),
        ("begin", exp.Transaction),
        ("commit", exp.Commit),
        ("rollback", exp.Rollback),
    ):
        if isinstance(statement, kinds):
            return keyword
    return ""


def _check_node(node: exp.Expression) -> None:
    if isinstance(node, _REFUSED_NODES):
        _check_statement_kind(node)
    if isinstance(node, exp.Table):
        _check_table(node)
    if isinstance(node, exp.Func) and not isinstance(node, exp.Anonymous | exp.Unnest):
        name = node.sql_name().lower()
        if _reads_files(name):
            raise RefusedQuery(_file_function_message(name))
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if _reads_files(name):
            raise RefusedQuery(_file_function_message(name))
    if isinstance(node, exp.Func):
        name = node.name.lower() if isinstance(node, exp.Anonymous) else node.sql_name().lower()
        if name in SETTINGS_FUNCTION_NAMES:
            raise RefusedQuery(
                f"{name}() is refused: the server's settings are not shown on the SQL page. "
                "Query tables of the published warehouse."
            )


def _check_table(table: exp.Table) -> None:
    source = table.this
    if isinstance(source, exp.Identifier):
        if not table.args.get("db") and re.search(r"[./\\:*?]", source.name):
            raise RefusedQuery(
                f"`{source.name}` looks like a file path or URL: SQL has no file or network "
                "access here. Query tables of the published warehouse (e.g. `marts.dim_entities`)."
            )
        return
    if isinstance(source, exp.Func):
        name = (
            source.name.lower() if isinstance(source, exp.Anonymous) else source.sql_name().lower()
        )
        if name in ALLOWED_TABLE_FUNCTIONS:
            return
        if _reads_files(name):
            raise RefusedQuery(_file_function_message(name))
        raise RefusedQuery(
            f"The table function {name}() is not allowed here. Query tables of the published "
            f"warehouse, or one of: {', '.join(sorted(ALLOWED_TABLE_FUNCTIONS))}."
        )


def _reads_files(name: str) -> bool:
    return name in FILE_FUNCTION_NAMES or bool(FILE_FUNCTION_PATTERN.match(name))


def _file_function_message(name: str) -> str:
    return (
        f"{name}() is refused: SQL has no file or network access here. Query tables of the "
        "published warehouse (schema `marts` holds the results; `raw_*` the loaded data)."
    )
