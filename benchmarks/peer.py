"""Readiness's scoring stage side by side with json-rules-engine (Backstage Tech Insights).

Both evaluate the same rules over the same facts:

- the rules are the scorecards of a standards folder, validated and compiled by readiness;
  each SQL condition (the declarative form is compiled to SQL first) is translated with
  sqlglot into a json-rules-engine condition tree (:func:`to_engine_condition`);
- the facts are rows of ``marts.fct_entity_facts`` for one day, exported as JSON for the
  peer; for the large sizes they are synthesized in the warehouse by replicating the real
  facts of a simulated company and perturbing them (:func:`synthesize_facts`).

Readiness's side is one dbt invocation of the models downstream of the facts
(``fct_rule_outcomes``: outcomes; ``fct_entity_scores``: scores and levels). The peer's is
``benchmarks/peer/engine.js``: one engine run per entity, as Tech Insights does, with
SQL's three-valued logic read off the engine's evaluated condition tree (see its header).
:func:`compare` checks the outcome of every (entity, rule) is identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from readiness.settings import Settings
from readiness.standards import load_standards

PEER_DIR = Path(__file__).resolve().parent / "peer"
ENGINE_JS = PEER_DIR / "engine.js"
CODES = {"p": "pass", "f": "fail", "u": "unknown", "n": "not_applicable"}
SCORING_MODELS = (
    "stg_meta__evaluation_requests",
    "int_evaluation_request",
    "int_evaluation_days",
    "fct_rule_outcomes",
    "fct_entity_scores",
)


class TranslationError(ValueError):
    """A condition uses SQL that has no json-rules-engine equivalent here."""


# -- SQL condition -> json-rules-engine condition ------------------------------------------

_OPERATORS = {
    exp.EQ: "equal",
    exp.NEQ: "notEqual",
    exp.GT: "greaterThan",
    exp.GTE: "greaterThanInclusive",
    exp.LT: "lessThan",
    exp.LTE: "lessThanInclusive",
}
_FLIPPED = {
    "equal": "equal",
    "notEqual": "notEqual",
    "greaterThan": "lessThan",
    "greaterThanInclusive": "lessThanInclusive",
    "lessThan": "greaterThan",
    "lessThanInclusive": "greaterThanInclusive",
}


def _literal(node: exp.Expression) -> Any:
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Neg):
        return -_literal(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        text = node.this
        return float(text) if any(c in text for c in ".eE") else int(text)
    raise TranslationError(f"not a literal: {node.sql()}")


def _fact(node: exp.Expression) -> str:
    if isinstance(node, exp.Column):
        return node.name
    raise TranslationError(f"not a fact: {node.sql()}")


def _translate(node: exp.Expression) -> dict[str, Any]:
    if isinstance(node, exp.Paren):
        return _translate(node.this)
    if isinstance(node, exp.And):
        return {"all": [_translate(node.left), _translate(node.right)]}
    if isinstance(node, exp.Or):
        return {"any": [_translate(node.left), _translate(node.right)]}
    if isinstance(node, exp.Not):
        return {"not": _translate(node.this)}
    if isinstance(node, exp.Column):  # a boolean fact on its own
        return {"fact": node.name, "operator": "equal", "value": True}
    if isinstance(node, exp.Is):
        value = _literal(node.expression)
        if value is None:  # x IS NULL: never unknown
            return {"fact": _fact(node.this), "operator": "equal", "value": None}
        # x IS TRUE / IS FALSE is never unknown either: NULL IS TRUE is false.
        return {
            "all": [
                {"fact": _fact(node.this), "operator": "notEqual", "value": None},
                {"fact": _fact(node.this), "operator": "equal", "value": value},
            ]
        }
    if isinstance(node, exp.In):
        if node.args.get("query") or node.args.get("unnest"):
            raise TranslationError(f"unsupported IN: {node.sql()}")
        values = [_literal(v) for v in node.expressions]
        return {"fact": _fact(node.this), "operator": "in", "value": values}
    for kind, operator in _OPERATORS.items():
        if isinstance(node, kind):
            left, right = node.this, node.expression
            if isinstance(left, exp.Column):
                return {"fact": left.name, "operator": operator, "value": _literal(right)}
            if isinstance(right, exp.Column):
                return {"fact": right.name, "operator": _FLIPPED[operator], "value": _literal(left)}
            raise TranslationError(f"a comparison needs a fact on one side: {node.sql()}")
    raise TranslationError(f"no json-rules-engine equivalent for {node.sql()!r}")


def to_engine_condition(sql: str) -> dict[str, Any]:
    """A compiled readiness condition (DuckDB SQL, facts as ``f.<fact>``) as a
    json-rules-engine condition tree (its top is always ``all``/``any``/``not``)."""
    tree = _translate(sqlglot.parse_one(sql, read="duckdb"))
    if not ({"all", "any", "not"} & set(tree)):
        tree = {"all": [tree]}
    return tree


def condition_facts(tree: dict[str, Any]) -> set[str]:
    for key in ("all", "any"):
        if key in tree:
            return set().union(*(condition_facts(t) for t in tree[key]))
    if "not" in tree:
        return condition_facts(tree["not"])
    return {tree["fact"]}


def engine_scorecards(scorecards_dir: Path, *, exemptions: bool = False) -> list[dict[str, Any]]:
    """The scorecards of a standards folder as the peer takes them.

    json-rules-engine has no exemptions: a folder with some is refused unless
    ``exemptions`` is true, and then the caller must leave exempt pairs out of the
    comparison."""
    standards = load_standards(scorecards_dir)
    if standards.exemptions and not exemptions:
        raise TranslationError("the peer comparison runs without exemptions")
    out = []
    for scorecard in standards.scorecards:
        rules = []
        for rule in scorecard.rules:
            rules.append(
                {
                    "id": rule.rule.id,
                    "level_rank": rule.level_rank,
                    "points": rule.rule.points,
                    "condition": to_engine_condition(rule.condition.sql["duckdb"]),
                    "applies_to": (
                        to_engine_condition(rule.applies_to.sql["duckdb"])
                        if rule.applies_to is not None
                        else None
                    ),
                    "effective_from": (
                        rule.rule.effective_from.isoformat() if rule.rule.effective_from else None
                    ),
                }
            )
        out.append(
            {
                "id": scorecard.id,
                "levels": [level.name for level in scorecard.scorecard.levels],
                "scope": to_engine_condition(scorecard.applies_to.sql["duckdb"]),
                "rules": rules,
            }
        )
    return out


def facts_used(scorecards: list[dict[str, Any]]) -> list[str]:
    names: set[str] = set()
    for scorecard in scorecards:
        names |= condition_facts(scorecard["scope"])
        for rule in scorecard["rules"]:
            names |= condition_facts(rule["condition"])
            if rule["applies_to"]:
                names |= condition_facts(rule["applies_to"])
    return sorted(names)


# -- facts ---------------------------------------------------------------------------------


def synthesize_facts(
    connection: duckdb.DuckDBPyConnection, source_day: dt.date, day: dt.date, entities: int
) -> int:
    """Fill ``day`` of ``marts.fct_entity_facts`` with ``entities`` components made from
    the components of ``source_day``: replicated in turn, each copy renamed and its facts
    perturbed deterministically (counts moved by -2..+2, booleans flipped 10% of the time,
    3% of facts set to NULL, so every outcome, unknown included, occurs)."""
    columns = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'fct_entity_facts' order by ordinal_position"
    ).fetchall()
    template = connection.execute(
        "select count(*) from marts.fct_entity_facts where evaluated_on = ? and kind = 'component'",
        [source_day],
    ).fetchone()[0]
    if not template:
        raise RuntimeError(f"no component facts on {source_day} to replicate")
    selects = []
    for position, (name, data_type) in enumerate(columns):
        draw = f"cast(hash(n.i, {position}) % 1000 as bigint)"
        value = f"t.{name}"
        if name == "evaluated_on":
            value = f"date '{day.isoformat()}'"
        elif name == "entity_ref":
            value = "'component:default/bench-' || lpad(cast(n.i as varchar), 7, '0')"
        elif name in ("kind", "github_repo", "owner_ref", "datadog_service", "domain_ref") or (
            name.startswith("status_") or not _is_fact(name)
        ):
            value = f"t.{name}"
        elif data_type == "BOOLEAN":
            value = f"case when {draw} < 100 then not t.{name} else t.{name} end"
        elif data_type in ("INTEGER", "BIGINT", "HUGEINT", "SMALLINT"):
            value = (
                f"case when t.{name} is null then null "
                f"else greatest(0, t.{name} + cast({draw} % 5 as integer) - 2) end"
            )
        elif data_type == "DOUBLE":
            value = (
                f"case when t.{name} is null then null "
                f"else least(100.0, t.{name} + ({draw} % 41 - 20) / 10.0) end"
            )
        if name not in ("evaluated_on", "entity_ref", "kind") and _is_fact(name):
            value = f"case when hash(n.i, {position}, 'null') % 100 < 3 then null else {value} end"
        selects.append(f"cast({value} as {data_type}) as {name}")
    connection.execute("delete from marts.fct_entity_facts where evaluated_on = ?", [day])
    connection.execute(
        f"""
        insert into marts.fct_entity_facts
        with t0 as (
            select *, row_number() over (order by entity_ref) - 1 as template_index
            from marts.fct_entity_facts
            where evaluated_on = date '{source_day.isoformat()}' and kind = 'component'
        ),
        n as (select range as i from range({entities}))
        select {", ".join(selects)}
        from n inner join t0 as t on t.template_index = n.i % {template}
        """
    )
    return entities


_FACT_NAMES: set[str] | None = None


def _is_fact(name: str) -> bool:
    global _FACT_NAMES
    if _FACT_NAMES is None:
        from readiness.facts import load_facts

        _FACT_NAMES = set(load_facts())
    return name in _FACT_NAMES


def export_for_peer(
    connection: duckdb.DuckDBPyConnection,
    day: dt.date,
    scorecards: list[dict[str, Any]],
    path: Path,
) -> int:
    names = facts_used(scorecards)
    rows = connection.execute(
        f"select entity_ref, {', '.join(names)} from marts.fct_entity_facts "
        "where evaluated_on = ? order by entity_ref",
        [day],
    ).fetchall()
    path.write_text(
        json.dumps(
            {
                "day": day.isoformat(),
                "scorecards": scorecards,
                "facts": names,
                "entities": [[_json_value(v) for v in row] for row in rows],
            }
        )
    )
    return len(rows)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# -- the two engines -------------------------------------------------------------------------


def npm_ci() -> None:
    """Install the peer exactly as locked (package-lock.json), once."""
    marker = PEER_DIR / "node_modules" / "json-rules-engine" / "package.json"
    lock = PEER_DIR / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PEER_DIR,
        check=True,
    )


@dataclass
class PeerRun:
    seconds_engine: float  # engine runs + outcomes + scores, inside node
    seconds_process: float  # node start, JSON parse, engine, write
    outcomes: dict[tuple[str, str, str], str] = field(default_factory=dict)
    scores: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)


def run_peer(
    input_path: Path, output_path: Path, scorecards: list[dict[str, Any]], keep: bool
) -> PeerRun:
    began = time.perf_counter()
    subprocess.run(
        ["node", "--max-old-space-size=8192", str(ENGINE_JS), str(input_path), str(output_path)],
        cwd=PEER_DIR,
        check=True,
    )
    seconds = time.perf_counter() - began
    result = json.loads(output_path.read_text())
    run = PeerRun(result["seconds_engine"], seconds)
    if keep:
        rule_ids = {sc["id"]: [r["id"] for r in sc["rules"]] for sc in scorecards}
        for ref, scorecard_id, codes in result["outcomes"]:
            for rule_id, code in zip(rule_ids[scorecard_id], codes, strict=True):
                run.outcomes[(ref, scorecard_id, rule_id)] = CODES[code]
        for ref, scorecard_id, score, level in result["scores"]:
            run.scores[(ref, scorecard_id)] = (score, level)
    output_path.unlink(missing_ok=True)
    return run


def record_request(settings: Settings, day: dt.date) -> None:
    from orchestration.meta import record_evaluation_request

    record_evaluation_request(
        settings,
        request_id=f"bench-scoring-{time.time_ns()}",
        first_day=day,
        last_day=day,
        reevaluate=True,
        trigger="benchmark",
        triggered_by="benchmark",
    )


@dataclass
class ScoringRun:
    seconds_invocation: float  # the dbt process, start to end
    seconds_models: float  # dbt's own timing of the scoring models
    models: dict[str, float]


def run_readiness_scoring(settings: Settings, day: dt.date) -> ScoringRun:
    """One dbt invocation: outcomes, then scores and levels, for ``day``."""
    from orchestration.evaluation.manifest import dbt_executable

    record_request(settings, day)
    env = {**os.environ, **settings.dbt_env()}
    began = time.perf_counter()
    completed = subprocess.run(
        [dbt_executable(), "run", "--select", *SCORING_MODELS, "--quiet"],
        cwd=settings.dbt_project_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - began
    if completed.returncode != 0:
        raise RuntimeError(f"dbt failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    results = json.loads((settings.dbt_target_dir / "run_results.json").read_text())
    models = {
        r["unique_id"].rsplit(".", 1)[-1]: float(r.get("execution_time") or 0.0)
        for r in results["results"]
    }
    return ScoringRun(seconds, sum(models.values()), models)


def readiness_outcomes(
    connection: duckdb.DuckDBPyConnection, day: dt.date
) -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], tuple[Any, Any]]]:
    outcomes = {
        (ref, sc, rule): outcome
        for ref, sc, rule, outcome in connection.execute(
            "select entity_ref, scorecard_id, rule_id, outcome from marts.fct_rule_outcomes "
            "where evaluated_on = ?",
            [day],
        ).fetchall()
    }
    scores = {
        (ref, sc): (score, level)
        for ref, sc, score, level in connection.execute(
            "select entity_ref, scorecard_id, score_pct, level from marts.fct_entity_scores "
            "where evaluated_on = ?",
            [day],
        ).fetchall()
    }
    return outcomes, scores


@dataclass
class Comparison:
    pairs: int
    identical: bool
    differences: list[str]
    outcome_mix: dict[str, int]
    scores_identical: bool


def compare(
    ours: dict[tuple[str, str, str], str],
    peer: dict[tuple[str, str, str], str],
    our_scores: dict[tuple[str, str], tuple[Any, Any]] | None = None,
    peer_scores: dict[tuple[str, str], tuple[Any, Any]] | None = None,
) -> Comparison:
    differences = []
    for key in sorted(set(ours) | set(peer)):
        if ours.get(key) != peer.get(key):
            differences.append(f"{key}: readiness {ours.get(key)}, peer {peer.get(key)}")
    mix: dict[str, int] = {}
    for outcome in ours.values():
        mix[outcome] = mix.get(outcome, 0) + 1
    scores_identical = True
    if our_scores is not None and peer_scores is not None:
        for key in set(our_scores) | set(peer_scores):
            a, b = our_scores.get(key), peer_scores.get(key)
            if a is None or b is None or a[1] != b[1] or not _same_score(a[0], b[0]):
                scores_identical = False
                differences.append(f"score {key}: readiness {a}, peer {b}")
                break
    return Comparison(len(ours), not differences, differences[:20], mix, scores_identical)


def _same_score(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.011


# -- the whole comparison at one size --------------------------------------------------------


@dataclass
class PeerFigures:
    entities: int
    rules: int
    readiness_seconds: list[float]
    readiness_model_seconds: list[float]
    peer_seconds: list[float]
    peer_process_seconds: list[float]
    comparison: Comparison
    synthesized: bool


def prepare_scoring_home(base: Settings, home: Path) -> Settings:
    """A copy of a built warehouse (rules, levels, facts) to score synthetic days in."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copy2(base.warehouse_path, home / base.warehouse_path.name)
    settings = base.with_(home=home)
    settings.ensure_home()
    return settings


def compare_at(
    settings: Settings,
    entities: int,
    runs: int,
    *,
    source_day: dt.date,
    day: dt.date,
    echo=print,
) -> PeerFigures:
    scorecards = engine_scorecards(settings.scorecards_dir)
    rule_count = sum(len(sc["rules"]) for sc in scorecards)
    connection = duckdb.connect(str(settings.warehouse_path))
    try:
        real = connection.execute(
            "select count(*) from marts.fct_entity_facts where evaluated_on = ? "
            "and kind = 'component'",
            [source_day],
        ).fetchone()[0]
        synthesize_facts(connection, source_day, day, entities)
        input_path = settings.home / f"peer-input-{entities}.json"
        export_for_peer(connection, day, scorecards, input_path)
    finally:
        connection.close()
    echo(f"  scoring {entities} entities x {rule_count} rules ({real} real components replicated)")
    ours_seconds, ours_models, peer_seconds, peer_process = [], [], [], []
    run_readiness_scoring(settings, day)  # warm-up: dbt's parse cache, DuckDB's file cache
    peer = None
    for index in range(runs):
        ours = run_readiness_scoring(settings, day)
        ours_seconds.append(ours.seconds_invocation)
        ours_models.append(ours.seconds_models)
        last = index == runs - 1
        peer_run = run_peer(input_path, settings.home / "peer-output.json", scorecards, keep=last)
        peer_seconds.append(peer_run.seconds_engine)
        peer_process.append(peer_run.seconds_process)
        if last:
            peer = peer_run
        echo(
            f"    run {index + 1}: readiness {ours.seconds_invocation:.1f}s "
            f"(models {ours.seconds_models:.1f}s), json-rules-engine "
            f"{peer_run.seconds_engine:.1f}s (process {peer_run.seconds_process:.1f}s)"
        )
    connection = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        our_outcomes, our_scores = readiness_outcomes(connection, day)
    finally:
        connection.close()
    assert peer is not None
    comparison = compare(our_outcomes, peer.outcomes, our_scores, peer.scores)
    input_path.unlink(missing_ok=True)
    return PeerFigures(
        entities,
        rule_count,
        ours_seconds,
        ours_models,
        peer_seconds,
        peer_process,
        comparison,
        synthesized=True,
    )
