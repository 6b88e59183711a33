"""The PromQL subset the simulated Prometheus understands.

Supported: instant vector selectors with label matchers (``=``, ``!=``, ``=~``, ``!~``),
with or without a metric name, and ``avg_over_time``, ``min_over_time``,
``max_over_time``, ``last_over_time``, ``count_over_time`` over a range selector
(``[30d]``). Anything else is refused with Prometheus's own ``bad_data`` error shape,
naming the position of the first unsupported token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OVER_TIME = ("avg_over_time", "min_over_time", "max_over_time", "last_over_time", "count_over_time")
KNOWN_FUNCTIONS = {
    "abs",
    "absent",
    "avg",
    "ceil",
    "count",
    "delta",
    "deriv",
    "exp",
    "floor",
    "histogram_quantile",
    "increase",
    "irate",
    "label_replace",
    "max",
    "min",
    "quantile",
    "rate",
    "round",
    "sort",
    "sum",
    "time",
    "topk",
    "bottomk",
    "vector",
    "scalar",
    "clamp",
    "clamp_max",
    "clamp_min",
    "sum_over_time",
    "stddev_over_time",
    "quantile_over_time",
    "present_over_time",
    *OVER_TIME,
}
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<duration>\d+(?:ms|s|m|h|d|w|y))(?![A-Za-z_])|
    (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)|
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|
    (?P<op>=~|!~|!=|=)|
    (?P<punct>[{}()\[\],])|
    (?P<other>\S)
    )""",
    re.VERBOSE,
)


class PromQLError(ValueError):
    """A parse error, with Prometheus's ``line:column: parse error: ...`` wording."""


@dataclass(frozen=True)
class Matcher:
    label: str
    op: str
    value: str

    def test(self, labels: dict[str, str]) -> bool:
        actual = labels.get(self.label, "")
        if self.op == "=":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        matched = re.fullmatch(self.value, actual) is not None
        return matched if self.op == "=~" else not matched


@dataclass(frozen=True)
class Query:
    matchers: tuple[Matcher, ...]
    function: str | None = None  # one of OVER_TIME
    range_seconds: float | None = None

    def selects(self, labels: dict[str, str]) -> bool:
        return all(m.test(labels) for m in self.matchers)


def parse_duration(text: str) -> float:
    m = re.fullmatch(r"(\d+)(ms|s|m|h|d|w|y)", text)
    if not m:
        raise PromQLError(f'1:1: parse error: bad duration syntax: "{text}"')
    return int(m.group(1)) * _UNITS[m.group(2)]


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        kind = m.lastgroup or "other"
        value = m.group(kind)
        out.append((kind, value, m.start(kind) + 1))
        pos = m.end()
    return out


def parse(text: str) -> Query:
    """Parse a query of the supported subset, or raise ``PromQLError``."""
    if not text.strip():
        raise PromQLError("1:1: parse error: no expression found in input")
    tokens = _tokens(text)
    pos = 0

    def peek() -> tuple[str, str, int]:
        return tokens[pos] if pos < len(tokens) else ("eof", "", len(text) + 1)

    def take(kind: str | None = None, value: str | None = None) -> tuple[str, str, int]:
        nonlocal pos
        tok = peek()
        if (kind and tok[0] != kind) or (value and tok[1] != value):
            found = "end of input" if tok[0] == "eof" else f'"{tok[1]}"'
            want = value or kind
            raise PromQLError(f"1:{tok[2]}: parse error: unexpected {found}, expected {want}")
        pos += 1
        return tok

    def unsupported(tok: tuple[str, str, int], what: str) -> PromQLError:
        return PromQLError(
            f"1:{tok[2]}: parse error: unsupported by the readiness simulator: {what}"
        )

    def selector() -> list[Matcher]:
        matchers: list[Matcher] = []
        tok = peek()
        if tok[0] == "ident":
            take()
            matchers.append(Matcher("__name__", "=", tok[1]))
        if peek()[1] == "{":
            take(value="{")
            while peek()[1] != "}":
                label = take("ident")[1]
                op = take("op")[1]
                raw = take("string")[1]
                value = bytes(raw[1:-1], "utf-8").decode("unicode_escape")
                if op in ("=~", "!~"):
                    try:
                        re.compile(value)
                    except re.error as exc:
                        raise PromQLError(
                            f'1:{tok[2]}: parse error: invalid regular expression "{value}": {exc}'
                        ) from exc
                matchers.append(Matcher(label, op, value))
                if peek()[1] == ",":
                    take()
                elif peek()[1] != "}":
                    take(value="}")
            take(value="}")
        if not matchers:
            raise PromQLError(f"1:{tok[2]}: parse error: unexpected {tok[1] or 'end of input'}")
        if not any(m.label == "__name__" for m in matchers) and all(
            m.op in ("!=", "!~") or m.value == "" for m in matchers
        ):
            raise PromQLError(
                "1:1: parse error: vector selector must contain at least one non-empty matcher"
            )
        return matchers

    first = peek()
    function = None
    range_seconds = None
    if first[0] == "ident" and pos + 1 < len(tokens) and tokens[pos + 1][1] == "(":
        name = first[1]
        if name not in KNOWN_FUNCTIONS:
            raise PromQLError(f'1:{first[2]}: parse error: unknown function with name "{name}"')
        if name not in OVER_TIME:
            raise unsupported(first, f"function {name}() (supported: {', '.join(OVER_TIME)})")
        take()
        take(value="(")
        matchers = selector()
        take(value="[")
        range_seconds = parse_duration(take("duration")[1])
        take(value="]")
        take(value=")")
        function = name
    else:
        matchers = selector()
        if peek()[1] == "[":
            raise PromQLError(
                f"1:{peek()[2]}: parse error: range vector selectors are only supported inside {', '.join(OVER_TIME)}"
            )
    tok = peek()
    if tok[0] != "eof":
        if tok[0] in ("ident", "other", "op"):
            raise unsupported(
                tok, f'"{tok[1]}" (binary operators, aggregations and modifiers are not simulated)'
            )
        raise PromQLError(f'1:{tok[2]}: parse error: unexpected "{tok[1]}"')
    return Query(tuple(matchers), function, range_seconds)
