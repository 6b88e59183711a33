"""Rule conditions: validation and compilation to portable SQL.

A condition is a single scalar SQL expression over documented facts of one entity on one
day, or the declarative ``{fact, op, value}`` form (with ``all``/``any``/``not``), which is
compiled to the same SQL. Anything that is not an expression -- statements, ``;``,
subqueries, table or file functions, references to anything but facts -- is refused.

The parser is sqlglot (DuckDB dialect for input). Validated expressions are emitted for
each warehouse dialect we support, with every fact qualified by the facts table alias,
so dbt can paste them into the evaluation query without further parsing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from readiness.facts import Fact

DIALECTS = ("duckdb", "postgres")
FACTS_ALIAS = "f"
# Not facts, but always available to a condition: the day under evaluation.
BUILTIN_COLUMNS = {"evaluated_on": "date"}

# Expression node types a condition may contain. Everything else is refused: an allowlist,
# because the set of things SQL can do (read files, attach databases, call the network)
# grows with every DuckDB release.
_ALLOWED_NODES: tuple[type[exp.Expression], ...] = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Paren,
    exp.Tuple,
    exp.And,
    exp.Or,
    exp.Not,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.RegexpLike,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.Neg,
    exp.Cast,
    exp.TryCast,
    exp.DataType,
    exp.Case,
    exp.If,
    exp.Coalesce,
    exp.Lower,
    exp.Upper,
    exp.Length,
    exp.Abs,
    exp.Round,
    exp.Greatest,
    exp.Least,
    exp.StartsWith,
    exp.Trim,
    exp.Interval,
    exp.Var,
)
_ALLOWED_FUNCTIONS_HINT = (
    "coalesce, lower, upper, length, abs, round, greatest, least, starts_with, trim, "
    "regexp_matches, cast, case"
)
_CLOCK_NODES: tuple[type[exp.Expression], ...] = (
    exp.CurrentDate,
    exp.CurrentTimestamp,
    exp.CurrentTime,
)

# Declarative operators and the SQL they stand for.
_COMPARISONS = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
OPERATORS = (*_COMPARISONS, "in", "not_in", "is_true", "is_false")


class ConditionError(ValueError):
    """A condition is invalid; ``hint`` tells the author what to do."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class CompiledCondition:
    source_text: str  # the condition as SQL, as the author wrote it (or as compiled)
    sql: dict[str, str]  # dialect -> SQL with facts qualified by FACTS_ALIAS
    facts: tuple[str, ...]  # facts referenced, sorted


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ConditionError(
        f"value {value!r} is not a number, string, boolean or date",
        "write a scalar value, or a list of them for 'in'",
    )


def declarative_to_sql(spec: Any, facts: dict[str, Fact]) -> str:
    """Compile ``{fact, op, value}`` (or ``all``/``any``/``not`` of them) to SQL text."""
    if not isinstance(spec, dict):
        raise ConditionError(
            f"expected a mapping, got {type(spec).__name__}",
            "write {fact: ..., op: ..., value: ...} or all:/any:/not:",
        )
    keys = set(spec)
    if keys in ({"all"}, {"any"}):
        (key,) = keys
        parts = spec[key]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"'{key}' needs a non-empty list of conditions")
        joiner = " and " if key == "all" else " or "
        return "(" + joiner.join(declarative_to_sql(p, facts) for p in parts) + ")"
    if keys == {"not"}:
        return f"not ({declarative_to_sql(spec['not'], facts)})"
    if not {"fact", "op"} <= keys or keys - {"fact", "op", "value"}:
        raise ConditionError(
            f"unexpected keys {sorted(keys)}",
            "a declarative condition has exactly fact, op and (except is_true/is_false) value",
        )
    fact, op = spec["fact"], spec["op"]
    if fact not in facts and fact not in BUILTIN_COLUMNS:
        raise ConditionError(f"unknown fact '{fact}'", _fact_hint(str(fact), facts))
    if op not in OPERATORS:
        raise ConditionError(f"unknown op '{op}'", f"use one of {', '.join(OPERATORS)}")
    data_type = facts[fact].data_type if fact in facts else BUILTIN_COLUMNS[fact]
    if op in ("is_true", "is_false"):
        if "value" in spec:
            raise ConditionError(f"op '{op}' takes no value")
        if data_type != "boolean":
            raise ConditionError(f"op '{op}' needs a boolean fact; '{fact}' is {data_type}")
        return f"{fact} = {'true' if op == 'is_true' else 'false'}"
    if "value" not in spec:
        raise ConditionError(f"op '{op}' needs a value")
    value = spec["value"]
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"op '{op}' needs a non-empty list as value")
        items = ", ".join(_sql_literal(v) for v in value)
        return f"{fact} {'in' if op == 'in' else 'not in'} ({items})"
    return f"{fact} {_COMPARISONS[op]} {_sql_literal(value)}"


def _fact_hint(name: str, facts: dict[str, Fact]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(facts), n=3)
    if close:
        return f"did you mean {', '.join(close)}? Facts are listed in docs/facts.md"
    return "reference documented facts only (see docs/facts.md)"


def _refuse(node: exp.Expression) -> ConditionError:
    sql = node.sql(dialect="duckdb")
    short = sql if len(sql) <= 60 else sql[:57] + "..."
    if isinstance(node, exp.Query | exp.Subquery | exp.Exists):
        return ConditionError(
            f"subqueries are not allowed: '{short}'",
            "a condition is one expression over the facts of a single entity and day; "
            "if you need an aggregate, add a fact for it",
        )
    if isinstance(node, _CLOCK_NODES) or (
        isinstance(node, exp.Anonymous) and node.name.lower() in {"now", "today"}
    ):
        return ConditionError(
            f"'{short}' reads the clock",
            "rules are evaluated per day: compare with the builtin column evaluated_on",
        )
    if isinstance(node, exp.Func):
        name = node.sql_name() if not isinstance(node, exp.Anonymous) else node.name
        return ConditionError(
            f"function '{name.lower()}' is not allowed in a condition",
            f"allowed functions: {_ALLOWED_FUNCTIONS_HINT}; table and file functions never are",
        )
    if isinstance(node, exp.Placeholder | exp.Parameter):
        return ConditionError(f"parameters are not allowed: '{short}'", "write the value inline")
    return ConditionError(
        f"'{short}' ({type(node).__name__}) is not allowed in a condition",
        "write a single boolean expression over facts: comparisons, and/or/not, in, "
        "between, like, is null, case, and simple functions",
    )


def compile_sql(text: str, facts: dict[str, Fact]) -> CompiledCondition:
    """Validate a SQL condition and emit it for every supported dialect."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("the condition is empty", "write a SQL boolean expression")
    try:
        tokens = sqlglot.Dialect.get_or_raise("duckdb").tokenize(text)
    except TokenError as exc:
        raise ConditionError(f"cannot read the SQL: {exc}", "check quotes and brackets") from exc
    if any(t.token_type == TokenType.SEMICOLON for t in tokens):
        raise ConditionError(
            "';' is not allowed", "a condition is a single expression, never statements"
        )
    try:
        statements = sqlglot.parse(text, read="duckdb")
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        detail = first.get("description", str(exc).splitlines()[0])
        raise ConditionError(
            f"cannot parse the SQL: {detail}", "write a SQL boolean expression"
        ) from exc
    if len(statements) != 1 or statements[0] is None:
        raise ConditionError("expected exactly one expression")
    tree = statements[0]
    for node in tree.walk():
        if not isinstance(node, _ALLOWED_NODES):
            if isinstance(node, exp.Expression) and node is tree and not isinstance(node, exp.Func):
                raise ConditionError(
                    f"'{tree.key.upper()}' is a statement, not an expression",
                    "a condition is a boolean expression such as `dependency_count >= 1`",
                )
            raise _refuse(node)
    referenced: set[str] = set()
    for column in tree.find_all(exp.Column):
        if column.table:
            raise ConditionError(
                f"'{column.sql()}' is qualified",
                "reference facts by bare name, without a table or alias",
            )
        name = column.name
        if name in BUILTIN_COLUMNS:
            continue
        if name not in facts:
            raise ConditionError(f"unknown fact '{name}'", _fact_hint(name, facts))
        referenced.add(name)

    def qualify(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table:
            return exp.column(node.name, table=FACTS_ALIAS)
        return node

    qualified = tree.copy().transform(qualify)
    sql = {dialect: qualified.sql(dialect=dialect) for dialect in DIALECTS}
    return CompiledCondition(source_text=text.strip(), sql=sql, facts=tuple(sorted(referenced)))


def compile_condition(spec: Any, facts: dict[str, Fact]) -> CompiledCondition:
    """Compile a condition in either form (SQL text or declarative mapping)."""
    if isinstance(spec, str):
        return compile_sql(spec, facts)
    if isinstance(spec, bool):
        raise ConditionError(
            "a bare true/false is not a condition", "write an expression over facts"
        )
    return compile_sql(declarative_to_sql(spec, facts), facts)
