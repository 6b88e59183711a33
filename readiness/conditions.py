"""Rule conditions: validation and compilation to portable SQL.

A condition is a single boolean SQL expression over documented facts of one entity on one
day, or the declarative ``{fact, op, value}`` form (with ``all``/``any``/``not``), which is
compiled to the same SQL. Conditions are written by anyone who may edit the standards, and
dbt pastes the compiled SQL into the evaluation query, so the compiler trusts nothing:

1. the text is tokenized and refused on anything that is not plain SQL (quoted names, ``;``,
   comments, parameters, exotic string forms), and on size limits;
2. the parse tree is checked against an allow-list of node types (facts, literals,
   comparison, boolean logic, arithmetic, ``in``, ``between``, ``like``, ``is [not] null``,
   ``case``, ``cast`` to a fixed list of built-in types, and a short list of pure scalar
   functions); everything else is refused, whatever it is;
3. every node is type-checked against the facts' documented types, so a condition that
   validates cannot fail inside the warehouse: a fact compared with a value of another
   type, a cast its values may not take, a literal that is not what it claims (a date
   ``2026-02-30``), an invalid regular expression are all refused here;
4. the SQL emitted for each warehouse dialect is parsed again and must be the expression
   that was validated: the same tree, the same facts, nothing more.

The parser is sqlglot (DuckDB dialect for input).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
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

# Size limits: a condition is a short expression, not a program.
MAX_CHARS = 4_000
MAX_TOKENS = 600
MAX_BRACKETS = 32  # brackets inside brackets
MAX_NESTING = 16  # all/any/not inside each other, in the declarative form
MAX_NODES = 1_000

# Types a condition may cast to, and the warehouse type each name stands for.
CAST_TYPES: dict[exp.DataType.Type, str] = {
    exp.DataType.Type.BOOLEAN: "boolean",
    exp.DataType.Type.INT: "integer",
    exp.DataType.Type.BIGINT: "bigint",
    exp.DataType.Type.DOUBLE: "double",
    exp.DataType.Type.VARCHAR: "varchar",
    exp.DataType.Type.TEXT: "varchar",
    exp.DataType.Type.DATE: "date",
    exp.DataType.Type.TIMESTAMP: "timestamp",
}
CAST_TYPE_NAMES = "boolean, integer, bigint, double, varchar, date, timestamp"
FUNCTIONS = (
    "coalesce",
    "lower",
    "upper",
    "trim",
    "length",
    "abs",
    "round",
    "greatest",
    "least",
    "starts_with",
    "regexp_matches",
)
INTERVAL_UNITS = {"DAY", "DAYS", "WEEK", "WEEKS", "MONTH", "MONTHS", "YEAR", "YEARS"}

# Token types never allowed, whatever the parser would make of them.
_REFUSED_TOKENS: dict[TokenType, str] = {
    TokenType.SEMICOLON: "';' is not allowed",
    TokenType.IDENTIFIER: "quoted names are not allowed",
    TokenType.PARAMETER: "parameters are not allowed",
    TokenType.PLACEHOLDER: "parameters are not allowed",
    TokenType.BYTE_STRING: "escaped strings (e'...') are not allowed",
    TokenType.HEREDOC_STRING: "dollar-quoted strings are not allowed",
    TokenType.NATIONAL_STRING: "national strings are not allowed",
    TokenType.RAW_STRING: "raw strings are not allowed",
    TokenType.BIT_STRING: "bit strings are not allowed",
    TokenType.HEX_STRING: "hex strings are not allowed",
    TokenType.UNICODE_STRING: "unicode-escaped strings are not allowed",
}
_CLOCK_NODES: tuple[type[exp.Expression], ...] = (
    exp.CurrentDate,
    exp.CurrentTimestamp,
    exp.CurrentTime,
)
_COMPARISON_NODES = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_ARITHMETIC_NODES = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
_NUMERIC = {"integer", "bigint", "double"}
_ORDERED = _NUMERIC | {"varchar", "date", "timestamp", "boolean", "interval"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$")
_INT_RANGE = {"integer": 2**31, "bigint": 2**63}

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


# --- the declarative form ------------------------------------------------------------


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ConditionError(
        f"value {value!r} is not a number, string, boolean or date",
        "write a scalar value, or a list of them for 'in'",
    )


def declarative_to_sql(spec: Any, facts: dict[str, Fact], depth: int = 0) -> str:
    """Compile ``{fact, op, value}`` (or ``all``/``any``/``not`` of them) to SQL text."""
    if depth > MAX_NESTING:
        raise ConditionError(
            f"all/any/not nested deeper than {MAX_NESTING} levels",
            "simplify the condition (a condition is a short expression)",
        )
    if not isinstance(spec, dict):
        raise ConditionError(
            f"expected a mapping, got {_kind_of(spec)}",
            "write {fact: ..., op: ..., value: ...} or all:/any:/not:",
        )
    keys = set(spec)
    if keys in ({"all"}, {"any"}):
        (key,) = keys
        parts = spec[key]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"'{key}' needs a non-empty list of conditions")
        joiner = " and " if key == "all" else " or "
        return "(" + joiner.join(declarative_to_sql(p, facts, depth + 1) for p in parts) + ")"
    if keys == {"not"}:
        return f"not ({declarative_to_sql(spec['not'], facts, depth + 1)})"
    if not {"fact", "op"} <= keys or keys - {"fact", "op", "value"}:
        raise ConditionError(
            f"unexpected keys {sorted(str(k) for k in keys)}",
            "a declarative condition has exactly fact, op and (except is_true/is_false) value, "
            "or one of all:, any:, not:",
        )
    fact, op = spec["fact"], spec["op"]
    if not isinstance(fact, str):
        raise ConditionError(
            f"'fact' must be the name of one fact, got {_kind_of(fact)}",
            "write fact: <name>; combine several with all: or any:",
        )
    if not isinstance(op, str):
        raise ConditionError(
            f"'op' must be one operator, got {_kind_of(op)}", f"use one of {', '.join(OPERATORS)}"
        )
    if fact not in facts and fact not in BUILTIN_COLUMNS:
        raise ConditionError(f"unknown fact '{fact}'", _fact_hint(fact, facts))
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
    if value is None:
        raise ConditionError(
            f"op '{op}' with a null value is never true",
            "test for a missing fact in SQL: x is null",
        )
    return f"{fact} {_COMPARISONS[op]} {_sql_literal(value)}"


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"[:60]


def _fact_hint(name: str, facts: dict[str, Fact]) -> str:
    close = difflib.get_close_matches(name, list(facts), n=3)
    if close:
        return f"did you mean {', '.join(close)}? Facts are listed in docs/facts.md"
    return "reference documented facts only (see docs/facts.md)"


# --- reading the SQL -----------------------------------------------------------------


def _short(node: exp.Expression | str) -> str:
    sql = node if isinstance(node, str) else node.sql(dialect="duckdb")
    return sql if len(sql) <= 60 else sql[:57] + "..."


def _check_tokens(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise ConditionError(
            f"the condition is {len(text):,} characters long, more than {MAX_CHARS:,}",
            "a condition is a short expression: add a fact for complex logic",
        )
    try:
        tokens = sqlglot.Dialect.get_or_raise("duckdb").tokenize(text)
    except TokenError as exc:
        raise ConditionError(
            f"cannot read the SQL: {str(exc).splitlines()[0]}", "check quotes and brackets"
        ) from exc
    if len(tokens) > MAX_TOKENS:
        raise ConditionError(
            f"the condition has {len(tokens)} tokens, more than {MAX_TOKENS}",
            "a condition is a short expression: add a fact for complex logic",
        )
    depth = 0
    for token in tokens:
        if token.comments:
            raise ConditionError(
                "comments are not allowed in a condition",
                "write comments in the YAML, after '#', outside the condition",
            )
        if token.token_type in _REFUSED_TOKENS:
            message = _REFUSED_TOKENS[token.token_type]
            if token.token_type == TokenType.IDENTIFIER:
                raise ConditionError(
                    f'{message}: "{_short(token.text)}"',
                    "write fact names and type names without quotes: cast(tier as integer)",
                )
            if token.token_type == TokenType.SEMICOLON:
                raise ConditionError(
                    message, "a condition is a single expression, never statements"
                )
            raise ConditionError(
                f"{message}: '{_short(token.text)}'", "write plain 'text' literals"
            )
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE):
            depth += 1
            if depth > MAX_BRACKETS:
                raise ConditionError(
                    f"brackets nested deeper than {MAX_BRACKETS} levels",
                    "simplify the condition (a condition is a short expression)",
                )
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE):
            depth -= 1


def _parse(text: str, dialect: str) -> exp.Expression:
    try:
        statements = sqlglot.parse(text, read=dialect)
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        detail = first.get("description", str(exc).splitlines()[0])
        raise ConditionError(
            f"cannot parse the SQL: {detail}", "write a SQL boolean expression"
        ) from exc
    except (TokenError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        # sqlglot meets something it cannot build a tree for: not an expression we take.
        raise ConditionError(
            "cannot parse the SQL as one expression", "write a SQL boolean expression"
        ) from exc
    if len(statements) != 1 or statements[0] is None:
        raise ConditionError("expected exactly one expression")
    return statements[0]


# --- the grammar and the types --------------------------------------------------------


_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
_MAX_DAYS_ADDED = 1_000_000  # date + n: n within the calendar
# Integer arithmetic is computed in 64 bits (see _widen); its operands' largest possible
# magnitudes multiply and add up, and must stay within that.
_BIGINT_META = "readiness_bigint"


@dataclass(frozen=True)
class _Typed:
    type: str  # boolean, integer, bigint, double, varchar, date, timestamp, interval, null
    text: str | None = None  # the value of a string literal (literals coerce to dates)
    bound: int = 0  # integers: the largest magnitude the value can take

    def describe(self, node: exp.Expression) -> str:
        return f"{_short(node)} ({self.type})"


_STATEMENT_HINT = "a condition is a boolean expression such as `dependency_count >= 1`"
_GENERAL_HINT = (
    "write a single boolean expression over facts: comparisons, and/or/not, in, between, "
    f"like, is null, case, cast, arithmetic, and the functions {', '.join(FUNCTIONS)}"
)


class _Checker:
    """Walks a parse tree: refuses what the grammar does not allow, infers every type.

    ``compiled`` checks an emitted tree: facts must then be qualified by the facts alias,
    and the nodes the compiler itself adds (``nullif`` guarding a divisor, a ``decimal``
    cast for PostgreSQL's ``round``) are allowed.
    """

    def __init__(self, facts: dict[str, Fact], compiled: bool = False):
        self.facts = facts
        self.compiled = compiled
        self.referenced: set[str] = set()
        self.nodes = 0

    # -- entry point
    def condition(self, tree: exp.Expression) -> None:
        if isinstance(tree, exp.Query | exp.Command) or (
            not isinstance(tree, exp.Condition | exp.Func) and tree.key != "paren"
        ):
            raise ConditionError(
                f"'{_short(tree.key.upper())}' is a statement, not an expression", _STATEMENT_HINT
            )
        self._expect_boolean(tree, None)

    # -- nodes
    def check(self, node: exp.Expression) -> _Typed:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ConditionError(
                f"the condition has more than {MAX_NODES} parts",
                "a condition is a short expression: add a fact for complex logic",
            )
        handler = _GRAMMAR.get(type(node))
        if handler is None:
            raise _refuse(node)
        return handler(self, node)

    def _column(self, node: exp.Column) -> _Typed:
        identifier = node.this
        if not isinstance(identifier, exp.Identifier) or identifier.quoted:
            raise ConditionError(f"'{_short(node)}' is not a fact name", _GENERAL_HINT)
        name = identifier.name
        if node.args.get("catalog") or node.args.get("db"):
            raise ConditionError(f"'{_short(node)}' is qualified", "reference facts by bare name")
        table = node.args.get("table")
        if self.compiled:
            if not isinstance(table, exp.Identifier) or table.name != FACTS_ALIAS or table.quoted:
                raise ConditionError(f"compiled column '{_short(node)}' is not a fact")
        elif table is not None:
            raise ConditionError(
                f"'{_short(node)}' is qualified",
                "reference facts by bare name, without a table or alias",
            )
        if name in BUILTIN_COLUMNS:
            return _Typed(BUILTIN_COLUMNS[name])
        if name not in self.facts:
            raise ConditionError(f"unknown fact '{name}'", _fact_hint(name, self.facts))
        self.referenced.add(name)
        data_type = self.facts[name].data_type
        return _Typed(data_type, bound=_INT64_MAX if data_type == "bigint" else _INT32_MAX)

    def _literal(self, node: exp.Literal) -> _Typed:
        text = str(node.this)
        if node.is_string:
            return _Typed("varchar", text)
        if _INTEGER.match(text):
            if abs(int(text)) >= _INT_RANGE["bigint"]:
                raise ConditionError(
                    f"the number {_short(text)} is too large", "use a smaller number"
                )
            value = abs(int(text))
            return _Typed("bigint" if value > _INT32_MAX else "integer", bound=value)
        if not _NUMBER.match(text) or float(text) in (float("inf"), float("-inf")):
            raise ConditionError(
                f"'{_short(text)}' is not a number", "write a plain decimal number"
            )
        return _Typed("double")

    def _boolean(self, node: exp.Boolean) -> _Typed:
        return _Typed("boolean")

    def _null(self, node: exp.Null) -> _Typed:
        return _Typed("null")

    def _paren(self, node: exp.Paren) -> _Typed:
        return self.check(node.this)

    def _and(self, node: exp.Connector) -> _Typed:
        for side in (node.left, node.right):
            self._expect_boolean(side, node.key)
        return _Typed("boolean")

    def _not(self, node: exp.Not) -> _Typed:
        self._expect_boolean(node.this, "not")
        return _Typed("boolean")

    def _expect_boolean(self, node: exp.Expression, operator: str | None) -> None:
        """``node`` must be true/false: an operand of ``operator``, or the whole condition."""
        typed = self.check(node)
        if typed.type not in ("boolean", "null"):
            raise ConditionError(
                f"the condition {typed.describe(node)} is not true or false"
                if operator is None
                else f"'{operator}' needs true/false on each side, got {typed.describe(node)}",
                "compare the value with something, e.g. dependency_count >= 1",
            )

    def _comparison(self, node: exp.Binary) -> _Typed:
        left, right = self.check(node.left), self.check(node.right)
        if "null" in (left.type, right.type):
            raise ConditionError(
                f"'{_short(node)}' compares with null, which is never true",
                "test for a missing value with `x is null` or `x is not null`",
            )
        self._comparable(node.left, left, node.right, right)
        return _Typed("boolean")

    def _comparable(
        self, left_node: exp.Expression, left: _Typed, right_node: exp.Expression, right: _Typed
    ) -> str:
        """The common type of two values that are compared, or a clear refusal."""
        if left.type == "null":
            return right.type
        if right.type == "null":
            return left.type
        for a, b, b_node in (
            (left, right, right_node),
            (right, left, left_node),
        ):
            if a.type in ("date", "timestamp") and b.type == "varchar" and b.text is not None:
                _literal_value(b.text, a.type, b_node)  # a 'YYYY-MM-DD' literal is a date
                return a.type
        if left.type in _NUMERIC and right.type in _NUMERIC:
            return "double" if "double" in (left.type, right.type) else "bigint"
        if {left.type, right.type} <= {"date", "timestamp"}:
            return "timestamp"
        if left.type == right.type:
            return left.type
        hint = "compare values of the same type"
        if (
            right.type == "varchar"
            and left.type in _NUMERIC
            or left.type == "varchar"
            and right.type in _NUMERIC
        ):
            hint = "compare a number with a number (tier = 1, not tier = '1'); see docs/facts.md for each fact's type"
        elif "boolean" in (left.type, right.type):
            hint = "compare a true/false fact with true or false, or use it alone"
        raise ConditionError(
            f"compares {left.describe(left_node)} with {right.describe(right_node)}", hint
        )

    def _is(self, node: exp.Is) -> _Typed:
        left = self.check(node.this)
        right = node.expression
        if isinstance(right, exp.Null):
            return _Typed("boolean")
        if isinstance(right, exp.Boolean) and left.type in ("boolean", "null"):
            return _Typed("boolean")
        raise ConditionError(
            f"'is' takes null (or true/false for a boolean), not '{_short(right)}'",
            "write `x is null`, `x is not null`, or compare with =",
        )

    def _in(self, node: exp.In) -> _Typed:
        if any(node.args.get(key) for key in ("query", "unnest", "field")):
            raise _refuse(node.args.get("query") or node)
        left = self.check(node.this)
        items = node.expressions
        if not items:
            raise ConditionError("'in' needs a list of values", "write x in ('a', 'b')")
        for item in items:
            self._comparable(node.this, left, item, self.check(item))
        return _Typed("boolean")

    def _between(self, node: exp.Between) -> _Typed:
        value = self.check(node.this)
        for bound in (node.args["low"], node.args["high"]):
            self._comparable(node.this, value, bound, self.check(bound))
        return _Typed("boolean")

    def _like(self, node: exp.Binary) -> _Typed:
        for side in (node.this, node.expression):
            self._expect(side, {"varchar"}, f"'{node.key}' compares text")
        return _Typed("boolean")

    def _regexplike(self, node: exp.RegexpLike) -> _Typed:
        if node.args.get("flag"):
            raise ConditionError(
                "regexp_matches takes no options here", "write regexp_matches(text, 'pattern')"
            )
        self._expect(node.this, {"varchar"}, "regexp_matches needs text")
        pattern = node.expression
        if not (isinstance(pattern, exp.Literal) and pattern.is_string):
            raise ConditionError(
                "the pattern of regexp_matches must be a 'literal'",
                "write the regular expression inline, in quotes",
            )
        _check_regex(str(pattern.this))
        return _Typed("boolean")

    def _arithmetic(self, node: exp.Binary) -> _Typed:
        left, right = self.check(node.left), self.check(node.right)
        if "null" in (left.type, right.type):
            return _Typed("null")
        if left.type in _NUMERIC and right.type in _NUMERIC:
            if isinstance(node, exp.Div) or "double" in (left.type, right.type):
                return _Typed("double")
            if isinstance(node, exp.Mod):
                return _Typed("bigint", bound=left.bound)
            bound = (
                left.bound * right.bound if isinstance(node, exp.Mul) else left.bound + right.bound
            )
            return self._integer(node, bound)
        if isinstance(node, exp.Add | exp.Sub):
            kinds = (left.type, right.type)
            if kinds in (("date", "integer"), ("integer", "date")) and not (
                isinstance(node, exp.Sub) and right.type == "date"
            ):
                if max(left.bound, right.bound) > _MAX_DAYS_ADDED:
                    raise ConditionError(
                        f"'{_short(node)}' could leave the calendar",
                        "add or subtract a literal number of days (evaluated_on - 30), or "
                        "compare the fact itself (days_since_last_commit <= 30)",
                    )
                return _Typed("date")
            if isinstance(node, exp.Sub) and kinds == ("date", "date"):
                return _Typed("bigint", bound=_MAX_DAYS_ADDED * 10)
            if left.type in ("date", "timestamp") and right.type == "interval":
                return _Typed("timestamp")
            if (
                isinstance(node, exp.Add)
                and right.type in ("date", "timestamp")
                and left.type == "interval"
            ):
                return _Typed("timestamp")
        raise ConditionError(
            f"cannot compute {_short(node)}: {left.describe(node.left)} "
            f"{_SYMBOLS[type(node)]} {right.describe(node.right)}",
            "arithmetic works on numbers; dates take + or - a number of days or an interval",
        )

    def _integer(self, node: exp.Expression, bound: int) -> _Typed:
        """An integer computed from integers: in 64 bits, and refused if it may not fit."""
        if bound > _INT64_MAX:
            raise ConditionError(
                f"'{_short(node)}' could exceed the range of 64-bit integers",
                "compute in doubles (cast(x as double)) or compare the facts separately",
            )
        node.meta[_BIGINT_META] = True
        return _Typed("bigint", bound=bound)

    def _neg(self, node: exp.Neg) -> _Typed:
        typed = self._expect(node.this, _NUMERIC, "'-' needs a number")
        return self._integer(node, typed.bound) if typed.type in ("integer", "bigint") else typed

    def _cast(self, node: exp.Cast) -> _Typed:
        if node.args.get("format") or node.args.get("safe") or node.args.get("action"):
            raise _refuse(node)
        target = _cast_target(node.to)
        if target == "decimal" and not self.compiled:
            raise ConditionError(
                "cannot cast to 'decimal'", f"cast to one of the built-in types {CAST_TYPE_NAMES}"
            )
        source = self.check(node.this)
        limit = _INT32_MAX if target == "integer" else _INT64_MAX
        if source.type in ("null", target) or target == "varchar":
            return _Typed(target, bound=source.bound or limit)
        if source.type == "varchar" and source.text is not None:
            _literal_value(source.text, target, node.this)
            bound = abs(int(source.text)) if target in ("integer", "bigint") else 0
            return _Typed(target, bound=bound)
        integers = ("integer", "bigint")
        if target in integers and source.type in integers and source.bound <= limit:
            return _Typed(target, bound=source.bound)
        safe = {
            ("integer", "double"),
            ("bigint", "double"),
            ("boolean", "integer"),
            ("boolean", "bigint"),
            ("date", "timestamp"),
            ("timestamp", "date"),
        }
        if (source.type, target) in safe:
            return _Typed(target, bound=1 if source.type == "boolean" else 0)
        if self.compiled and target == "decimal":
            return _Typed("double")
        raise ConditionError(
            f"cannot cast {source.describe(node.this)} to {target}: "
            "some of its values may not convert, and the rule would fail inside the warehouse",
            "round(x) rounds a double; otherwise compare the value as it is "
            "(docs/facts.md gives each fact's type)"
            if source.type == "double"
            else "compare the value as it is (docs/facts.md gives each fact's type), "
            "or ask for a fact of the type you need",
        )

    def _interval(self, node: exp.Interval) -> _Typed:
        unit = node.args.get("unit")
        amount = node.this
        unit_name = unit.name.upper() if isinstance(unit, exp.Var) else None
        if (
            unit_name not in INTERVAL_UNITS
            or not isinstance(amount, exp.Literal)
            or not _INTEGER.match(str(amount.this))
        ):
            raise ConditionError(
                f"'{_short(node)}' is not an interval readiness takes",
                "write interval 30 day (a whole number of days, weeks, months or years)",
            )
        if abs(int(str(amount.this))) > 100_000:
            raise ConditionError(f"'{_short(node)}' is too long", "use a smaller interval")
        return _Typed("interval")

    def _case(self, node: exp.Case) -> _Typed:
        subject = node.this
        subject_type = self.check(subject) if subject is not None else None
        results: list[tuple[exp.Expression, _Typed]] = []
        for branch in node.args.get("ifs") or []:
            if not isinstance(branch, exp.If):
                raise _refuse(branch)
            when = branch.this
            if subject is not None:
                self._comparable(subject, subject_type, when, self.check(when))
            else:
                self._expect_boolean(when, "when")
            results.append((branch.args["true"], self.check(branch.args["true"])))
        default = node.args.get("default")
        if default is not None:
            results.append((default, self.check(default)))
        return self._unify(results, "the branches of case")

    def _unify(self, items: list[tuple[exp.Expression, _Typed]], what: str) -> _Typed:
        result: tuple[exp.Expression, _Typed] | None = None
        for node, typed in items:
            if typed.type == "null":
                continue
            if result is None:
                result = (node, typed)
                continue
            first_node, first = result
            if first.type in _NUMERIC and typed.type in _NUMERIC:
                wider = "double" if "double" in (first.type, typed.type) else "bigint"
                result = (first_node, _Typed(wider, bound=max(first.bound, typed.bound)))
            elif {first.type, typed.type} <= {"date", "timestamp"}:
                result = (first_node, _Typed("timestamp"))
            elif first.type != typed.type:
                raise ConditionError(
                    f"{what} mix {first.describe(first_node)} and {typed.describe(node)}",
                    "give every branch or argument the same type",
                )
        return _Typed(result[1].type, bound=result[1].bound) if result else _Typed("null")

    def _coalesce(self, node: exp.Coalesce) -> _Typed:
        items = [node.this, *node.expressions]
        return self._unify(
            [(item, self.check(item)) for item in items], "the arguments of coalesce"
        )

    def _greatest(self, node: exp.Func) -> _Typed:
        items = [node.this, *node.expressions]
        typed = self._unify(
            [(item, self.check(item)) for item in items], f"the arguments of {node.key}"
        )
        if typed.type not in _ORDERED | {"null"}:
            raise ConditionError(f"{node.key} needs values that can be ordered")
        return typed

    def _text_function(self, node: exp.Func) -> _Typed:
        extra = {k for k, v in node.args.items() if v is not None and k != "this"}
        if extra:
            raise ConditionError(f"{node.key} takes one argument here", f"write {node.key}(text)")
        self._expect(node.this, {"varchar"}, f"{node.key} needs text")
        return _Typed("varchar")

    def _length(self, node: exp.Length) -> _Typed:
        if node.args.get("binary"):
            raise _refuse(node)
        self._expect(node.this, {"varchar"}, "length needs text")
        return _Typed("bigint", bound=_INT32_MAX)

    def _abs(self, node: exp.Abs) -> _Typed:
        typed = self._expect(node.this, _NUMERIC, "abs needs a number")
        return self._integer(node, typed.bound) if typed.type in ("integer", "bigint") else typed

    def _round(self, node: exp.Round) -> _Typed:
        extra = {k for k, v in node.args.items() if v is not None and k not in ("this", "decimals")}
        if extra:
            raise _refuse(node)
        typed = self._expect(
            node.this, _NUMERIC | ({"double"} if self.compiled else set()), "round needs a number"
        )
        decimals = node.args.get("decimals")
        if decimals is not None:
            if not (isinstance(decimals, exp.Literal) and _INTEGER.match(str(decimals.this))):
                raise ConditionError(
                    "the decimals of round must be a whole number", "write round(x, 1)"
                )
            if not 0 <= int(str(decimals.this)) <= 10:
                raise ConditionError("round to between 0 and 10 decimals", "write round(x, 1)")
            return _Typed("double")
        return typed

    def _startswith(self, node: exp.StartsWith) -> _Typed:
        self._expect(node.this, {"varchar"}, "starts_with needs text")
        self._expect(node.expression, {"varchar"}, "starts_with needs text")
        return _Typed("boolean")

    def _nullif(self, node: exp.Nullif) -> _Typed:
        if not self.compiled:
            raise _refuse(node)
        return self.check(node.this)

    def _expect(self, node: exp.Expression, types: set[str], message: str) -> _Typed:
        typed = self.check(node)
        if typed.type not in types | {"null"}:
            raise ConditionError(
                f"{message}, got {typed.describe(node)}",
                "see docs/facts.md for each fact's type",
            )
        return typed


# The grammar: the node types a condition may contain, each with its type rule. Anything
# else is refused, whatever it is: an allow-list, because the set of things SQL can do
# (read files, attach databases, call the network) grows with every release.
_GRAMMAR: dict[type[exp.Expression], Callable[[_Checker, Any], _Typed]] = {
    exp.Column: _Checker._column,
    exp.Literal: _Checker._literal,
    exp.Boolean: _Checker._boolean,
    exp.Null: _Checker._null,
    exp.Paren: _Checker._paren,
    exp.And: _Checker._and,
    exp.Or: _Checker._and,
    exp.Not: _Checker._not,
    **dict.fromkeys(_COMPARISON_NODES, _Checker._comparison),
    exp.Is: _Checker._is,
    exp.In: _Checker._in,
    exp.Between: _Checker._between,
    exp.Like: _Checker._like,
    exp.ILike: _Checker._like,
    exp.RegexpLike: _Checker._regexplike,
    **dict.fromkeys(_ARITHMETIC_NODES, _Checker._arithmetic),
    exp.Neg: _Checker._neg,
    exp.Cast: _Checker._cast,
    exp.Interval: _Checker._interval,
    exp.Case: _Checker._case,
    exp.Coalesce: _Checker._coalesce,
    exp.Greatest: _Checker._greatest,
    exp.Least: _Checker._greatest,
    exp.Lower: _Checker._text_function,
    exp.Upper: _Checker._text_function,
    exp.Trim: _Checker._text_function,
    exp.Length: _Checker._length,
    exp.Abs: _Checker._abs,
    exp.Round: _Checker._round,
    exp.StartsWith: _Checker._startswith,
    exp.Nullif: _Checker._nullif,
}
_SYMBOLS = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}


def _cast_target(node: Any) -> str:
    if not isinstance(node, exp.DataType):
        raise ConditionError("a cast needs a type", f"cast to one of {CAST_TYPE_NAMES}")
    if node.this == exp.DataType.Type.DECIMAL and not node.expressions:
        return "decimal"  # added by the compiler for PostgreSQL; refused in user input later
    if node.this not in CAST_TYPES or node.expressions or node.args.get("nested"):
        shown = node.args.get("kind") or node.this.value.lower()
        raise ConditionError(
            f"cannot cast to '{_short(str(shown))}'",
            f"cast to one of the built-in types {CAST_TYPE_NAMES}",
        )
    return CAST_TYPES[node.this]


def _literal_value(text: str, target: str, node: exp.Expression) -> None:
    """Refuse a text literal that does not convert to ``target`` (a cast or a comparison)."""
    ok = True
    if target in ("integer", "bigint"):
        ok = bool(_INTEGER.match(text.strip())) and abs(int(text)) < _INT_RANGE[target]
    elif target == "double":
        ok = bool(_NUMBER.match(text.strip()))
    elif target == "boolean":
        ok = text.strip().lower() in ("true", "false")
    elif target in ("date", "timestamp"):
        pattern = _DATE if target == "date" else _TIMESTAMP
        try:
            ok = bool(pattern.match(text)) and bool(dt.datetime.fromisoformat(text))
        except ValueError:
            ok = False
    if not ok:
        example = {
            "date": "'2026-01-31'",
            "timestamp": "'2026-01-31 12:00:00'",
            "boolean": "'true' or 'false'",
        }.get(target, "a number")
        raise ConditionError(
            f"'{_short(text)}' is not a {target}",
            f"write a real {target}, e.g. {example}",
        )


def _check_regex(pattern: str) -> None:
    if re.search(r"\(\?|\\[1-9]|\\[pPk]", pattern):
        raise ConditionError(
            f"the pattern '{_short(pattern)}' uses lookaround, backreferences or classes the "
            "warehouses do not share",
            "use plain regular expressions: . * + ? [] () | ^ $",
        )
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConditionError(
            f"the pattern '{_short(pattern)}' is not a regular expression: {exc}",
            "check brackets and escapes in the pattern",
        ) from exc


def _refuse(node: exp.Expression) -> ConditionError:
    short = _short(node)
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
            f"allowed functions: {', '.join(FUNCTIONS)}, and cast; "
            "table and file functions never are",
        )
    if isinstance(node, exp.Placeholder | exp.Parameter):
        return ConditionError(f"parameters are not allowed: '{short}'", "write the value inline")
    return ConditionError(
        f"'{short}' ({type(node).__name__}) is not allowed in a condition", _GENERAL_HINT
    )


# --- compiling -------------------------------------------------------------------------


def _qualify(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Column) and not node.table:
        return exp.column(node.name, table=FACTS_ALIAS)
    return node


def _guard_divisor(node: exp.Expression) -> exp.Expression:
    """``a / b`` and ``a % b`` give NULL (unknown) when ``b`` is 0, on every warehouse."""
    divisor = node.expression if isinstance(node, exp.Div | exp.Mod) else None
    if isinstance(divisor, exp.Literal) and not divisor.is_string and float(divisor.this) != 0:
        return node
    if divisor is not None and not isinstance(divisor, exp.Nullif):
        node.set("expression", exp.Nullif(this=node.expression, expression=exp.Literal.number(0)))
    return node


def _widen(node: exp.Expression) -> exp.Expression:
    """Integer arithmetic in 64 bits: ``a * b`` of two 32-bit facts cannot overflow."""
    if not node.meta.get(_BIGINT_META):
        return node
    for key in ("this", "expression"):
        operand = node.args.get(key)
        if isinstance(operand, exp.Expression) and not (
            isinstance(operand, exp.Literal)
            or operand.meta.get(_BIGINT_META)
            or isinstance(operand, exp.Cast)
            and operand.to.this == exp.DataType.Type.BIGINT
        ):
            node.set(key, exp.cast(operand, exp.DataType.build("bigint")))
    node.meta.pop(_BIGINT_META)
    return node


def _postgres_forms(node: exp.Expression) -> exp.Expression:
    """PostgreSQL spellings of what DuckDB means: ``/`` divides as doubles (PostgreSQL
    divides integers as integers), and ``round(x, n)`` rounds a numeric (PostgreSQL has no
    ``round(double precision, integer)``)."""
    already = isinstance(node.this, exp.Cast) and node.this.to.this == exp.DataType.Type.DECIMAL
    if isinstance(node, exp.Round) and node.args.get("decimals") is not None and not already:
        node.set("this", exp.cast(node.this, exp.DataType.build("decimal")))
    if isinstance(node, exp.Div) and not node.args.get("typed"):
        numerator = exp.cast(node.this, exp.DataType.build("double"))
        return exp.Div(this=numerator, expression=node.expression, typed=True, safe=False)
    return node


def _emit(validated: exp.Expression, dialect: str) -> exp.Expression:
    tree = validated.copy()
    return tree.transform(_postgres_forms) if dialect == "postgres" else tree


def _verify(expected: exp.Expression, dialect: str, facts: dict[str, Fact], names: set[str]) -> str:
    """The SQL of ``expected`` in ``dialect``, parsed back and checked to be the same."""
    sql = expected.sql(dialect=dialect)
    try:
        _check_tokens(sql)
        reparsed = _parse(sql, dialect)
        checker = _Checker(facts, compiled=True)
        checker.condition(reparsed)
    except ConditionError as exc:
        raise ConditionError(
            f"the condition does not compile to a safe {dialect} expression ({exc})",
            "simplify the condition; report it if it looks right",
        ) from exc
    if reparsed != expected or reparsed.sql(dialect=dialect) != sql or checker.referenced != names:
        raise ConditionError(
            f"the condition does not compile to the same {dialect} expression",
            "simplify the condition; report it if it looks right",
        )
    return sql


def compile_sql(text: str, facts: dict[str, Fact]) -> CompiledCondition:
    """Validate a SQL condition and emit it for every supported dialect."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("the condition is empty", "write a SQL boolean expression")
    _check_tokens(text)
    tree = _parse(text, "duckdb")
    checker = _Checker(facts)
    checker.condition(tree)
    validated = tree.copy().transform(_qualify).transform(_guard_divisor).transform(_widen)
    sql = {
        dialect: _verify(_emit(validated, dialect), dialect, facts, checker.referenced)
        for dialect in DIALECTS
    }
    return CompiledCondition(
        source_text=text.strip(), sql=sql, facts=tuple(sorted(checker.referenced))
    )


def compile_condition(spec: Any, facts: dict[str, Fact]) -> CompiledCondition:
    """Compile a condition in either form (SQL text or declarative mapping)."""
    if isinstance(spec, str):
        return compile_sql(spec, facts)
    if isinstance(spec, bool):
        raise ConditionError(
            "a bare true/false is not a condition", "write an expression over facts"
        )
    return compile_sql(declarative_to_sql(spec, facts), facts)
