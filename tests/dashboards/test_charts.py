"""The heat map's cells: unknown is never drawn as fail."""

from __future__ import annotations

import pandas as pd

from dashboards import charts
from readiness.palette import OUTCOME_COLORS

RULES = pd.DataFrame(
    {
        "rule": ["Runbook", "Protected"],
        "level": ["bronze", "silver"],
        "level_rank": [1, 2],
        "points": [1, 3],
    }
)


def cell(row, rule, passed, failed, unknown, exempt=0, not_applicable=0):
    counted = passed + failed + unknown
    return {
        "row": row,
        "rule": rule,
        "level": "bronze" if rule == "Runbook" else "silver",
        "pass_count": passed,
        "fail_count": failed,
        "unknown_count": unknown,
        "exempt_count": exempt,
        "not_applicable_count": not_applicable,
        "pass_rate_pct": 100 * passed / counted if counted else None,
        "unknown_rate_pct": 100 * unknown / counted if counted else None,
    }


def dataset_with(spec: dict, column: str) -> list[dict]:
    """The chart's data set that has `column` (the cells, not the level band's rules)."""
    (values,) = [v for v in spec["datasets"].values() if v and column in v[0]]
    return values


def grid_layers(spec: dict) -> list[dict]:
    return spec["vconcat"][1]["layer"]


def test_rate_cells_keep_unknown_apart_from_fail():
    cells = pd.DataFrame(
        [
            cell("a", "Runbook", 1, 1, 0),  # 50 %, no unknown
            cell("a", "Protected", 0, 0, 3),  # only unknown
            cell("b", "Runbook", 0, 0, 0, not_applicable=2),  # applies to nobody
            cell("b", "Protected", 1, 0, 1),  # 50 %, half unknown
        ]
    )
    spec = charts.rate_heatmap(cells, RULES, ["a", "b"]).to_dict()
    states = {(d["row"], d["rule"]): d["state"] for d in dataset_with(spec, "state")}
    assert states == {
        ("a", "Runbook"): "rate",
        ("a", "Protected"): "all unknown",
        ("b", "Runbook"): "no rule applies",
        ("b", "Protected"): "rate",
    }
    layers = grid_layers(spec)
    rates, others = layers[0], layers[1]
    assert rates["transform"] == [{"filter": "datum.state == 'rate'"}]
    assert others["encoding"]["color"]["scale"] == {
        "domain": ["all unknown", "no rule applies"],
        "range": [OUTCOME_COLORS["unknown"], OUTCOME_COLORS["not_applicable"]],
    }
    assert OUTCOME_COLORS["unknown"] != OUTCOME_COLORS["fail"]
    marks = layers[-1]
    assert marks["mark"]["text"] == "?" and marks["mark"]["color"] == OUTCOME_COLORS["unknown"]
    assert marks["transform"] == [{"filter": "datum.unknown_count > 0 && datum.state == 'rate'"}]
    # Columns keep the rules' order (level rank, then position); the level band names them.
    assert layers[0]["encoding"]["x"]["sort"] == ["Runbook", "Protected"]


def test_rates_are_printed_only_on_small_grids():
    small = pd.DataFrame([cell(f"r{i}", "Runbook", 1, 0, 0) for i in range(10)])
    big = pd.DataFrame(
        [cell(f"r{i}", "Runbook", 1, 0, 0) for i in range(charts.MAX_LABELLED_CELLS + 1)]
    )
    assert len(grid_layers(charts.rate_heatmap(small, RULES, list(small.row)).to_dict())) == 4
    assert len(grid_layers(charts.rate_heatmap(big, RULES, list(big.row)).to_dict())) == 3


def test_outcome_cells_use_the_outcome_colours_and_glyphs():
    cells = pd.DataFrame(
        {
            "row": ["svc", "svc"],
            "rule": ["Runbook", "Protected"],
            "level": ["bronze", "silver"],
            "outcome": ["fail", "unknown"],
            "reason": [None, "branch_protected: source github never loaded"],
            "fact_values": ["has_runbook_link=false", "branch_protected=null"],
        }
    )
    spec = charts.outcome_heatmap(cells, RULES, ["svc"]).to_dict()
    rects = grid_layers(spec)[0]
    scale = rects["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["unknown"] == OUTCOME_COLORS["unknown"] != colours["fail"]
    glyphs = {d["outcome"]: d["glyph"] for d in dataset_with(spec, "glyph")}
    assert glyphs == {"fail": "✗", "unknown": "?"}
