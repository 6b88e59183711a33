"""Altair charts of the dashboard, all in the colours of `readiness.palette`.

Unknown is drawn in its own colour everywhere (never the colour of fail) and, on the
heat map, also marked with a "?" so it stays distinct without colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from readiness.palette import OUTCOME_COLORS, OUTCOME_ORDER, level_color

OUTCOME_GLYPHS = {"pass": "✓", "fail": "✗", "unknown": "?", "exempt": "E", "not_applicable": "–"}
RATE_RANGE = [OUTCOME_COLORS["fail"], "#f4ead2", OUTCOME_COLORS["pass"]]
CELL_STEP = 34
ROW_STEP = 24
# Printing the rate in every cell costs the browser most of the chart's drawing time;
# above this many cells the colour and the tooltip carry it.
MAX_LABELLED_CELLS = 600

alt.data_transformers.disable_max_rows()


def outcome_scale(outcomes: Sequence[str] = OUTCOME_ORDER) -> alt.Scale:
    return alt.Scale(domain=list(outcomes), range=[OUTCOME_COLORS[o] for o in outcomes])


def level_scale(levels: pd.DataFrame) -> alt.Scale:
    """Colour per level, `levels` holding `level` and `level_rank` in ladder order."""
    names = list(levels.level)
    return alt.Scale(
        domain=names,
        range=[level_color(n, r) for n, r in zip(levels.level, levels.level_rank, strict=True)],
    )


def score_trend(trend: pd.DataFrame, *, title: str = "") -> alt.Chart:
    """Average score and unknown share per day (percent)."""
    long = trend.melt(
        id_vars=["evaluated_on"],
        value_vars=["avg_score_pct", "unknown_rate_pct"],
        var_name="series",
        value_name="percent",
    )
    long["series"] = long.series.map(
        {"avg_score_pct": "score", "unknown_rate_pct": "unknown outcomes"}
    )
    return (
        alt.Chart(long, title=title or alt.Undefined)
        .mark_line(point=len(trend) < 20)
        .encode(
            x=alt.X("evaluated_on:T", title=None),
            y=alt.Y("percent:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=["score", "unknown outcomes"],
                    range=["#1f4e79", OUTCOME_COLORS["unknown"]],
                ),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("evaluated_on:T", title="day"),
                "series:N",
                alt.Tooltip("percent:Q", format=".1f"),
            ],
        )
        .properties(height=260)
    )


def level_area(level_trend: pd.DataFrame) -> alt.Chart:
    """Entities per level over time, stacked from the lowest level up."""
    ladder = level_trend[["level", "level_rank"]].drop_duplicates().sort_values("level_rank")
    return (
        alt.Chart(level_trend)
        .mark_area()
        .encode(
            x=alt.X("evaluated_on:T", title=None),
            y=alt.Y("entity_count:Q", title="Entities", stack="zero"),
            color=alt.Color(
                "level:N",
                scale=level_scale(ladder),
                sort=list(ladder.level),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            order=alt.Order("level_rank:Q", sort="ascending"),
            tooltip=[alt.Tooltip("evaluated_on:T", title="day"), "level:N", "entity_count:Q"],
        )
        .properties(height=260)
    )


def burn_up(progress: pd.DataFrame, due_date, projected_on) -> alt.LayerChart:
    """Percent of the initiative's entities done per day ("done"), the straight line to
    100 % on the due date ("plan"), and the projection from the recent rate to 100 %
    ("projected", when there is one); the due date is a red rule."""
    done = progress.assign(series="done")[["evaluated_on", "pct_complete", "series"]]
    plan = pd.DataFrame(
        {
            "evaluated_on": [progress.evaluated_on.iloc[0], pd.Timestamp(due_date)],
            "pct_complete": [progress.expected_pct.iloc[0], 100.0],
            "series": "plan",
        }
    )
    lines = [done, plan]
    if projected_on is not None and not pd.isna(projected_on):
        lines.append(
            pd.DataFrame(
                {
                    "evaluated_on": [progress.evaluated_on.iloc[-1], pd.Timestamp(projected_on)],
                    "pct_complete": [progress.pct_complete.iloc[-1], 100.0],
                    "series": "projected",
                }
            )
        )
    frame = pd.concat(lines, ignore_index=True)
    frame["evaluated_on"] = pd.to_datetime(frame.evaluated_on)
    series = list(frame.series.unique())
    colors = {
        "done": OUTCOME_COLORS["pass"],
        "plan": "#8e9aa6",
        "projected": "#1f4e79",
    }
    base = alt.Chart(frame).encode(
        x=alt.X("evaluated_on:T", title=None),
        y=alt.Y("pct_complete:Q", title="% of entities done", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color(
            "series:N",
            scale=alt.Scale(domain=series, range=[colors[name] for name in series]),
            legend=alt.Legend(orient="bottom", title=None),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            scale=alt.Scale(
                domain=series, range=[[1, 0] if name == "done" else [6, 4] for name in series]
            ),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("evaluated_on:T", title="day"),
            "series:N",
            alt.Tooltip("pct_complete:Q", title="% done", format=".1f"),
        ],
    )
    due = (
        alt.Chart(pd.DataFrame({"due": [pd.Timestamp(due_date)]}))
        .mark_rule(color=OUTCOME_COLORS["fail"], strokeDash=[2, 2])
        .encode(x="due:T", tooltip=[alt.Tooltip("due:T", title="due date")])
    )
    return alt.layer(base.mark_line(), due).properties(height=280)


def level_bars(levels: pd.DataFrame) -> alt.Chart:
    """Entities per level on one day."""
    return (
        alt.Chart(levels)
        .mark_bar()
        .encode(
            x=alt.X("level:N", sort=list(levels.level), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("entity_count:Q", title="Entities"),
            color=alt.Color("level:N", scale=level_scale(levels), legend=None),
            tooltip=["level:N", "entity_count:Q"],
        )
        .properties(height=240)
    )


def outcome_donut(counts: dict[str, int]) -> alt.Chart:
    mix = pd.DataFrame({"outcome": list(counts), "count": list(counts.values())})
    return (
        alt.Chart(mix)
        .mark_arc(innerRadius=60)
        .encode(
            theta="count:Q",
            color=alt.Color("outcome:N", scale=outcome_scale(list(counts))),
            tooltip=["outcome", "count"],
        )
        .properties(height=240)
    )


def outcome_share_bars(frame: pd.DataFrame, label: str, order: list[str]) -> alt.Chart:
    """One horizontal bar per row of `frame`, split by its pass/fail/unknown/exempt counts."""
    outcomes = ["pass", "fail", "unknown", "exempt"]
    long = frame.melt(
        id_vars=[label],
        value_vars=[f"{o}_count" for o in outcomes],
        var_name="outcome",
        value_name="outcomes",
    )
    long["outcome"] = long["outcome"].str.removesuffix("_count")
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("outcomes:Q", stack="normalize", title="Share of rule outcomes"),
            color=alt.Color("outcome:N", scale=outcome_scale(outcomes)),
            order=alt.Order("outcome_order:Q"),
            tooltip=[label, "outcome", "outcomes"],
        )
        .transform_calculate(
            outcome_order="indexof(['pass', 'fail', 'unknown', 'exempt'], datum.outcome)"
        )
        .properties(height=max(160, ROW_STEP * len(order)))
    )


def _rule_axis(rules: pd.DataFrame) -> alt.X:
    return alt.X(
        "rule:N",
        sort=list(rules.rule),
        title=None,
        axis=alt.Axis(orient="top", labelAngle=-50, labelLimit=220, labelOverlap=False),
        scale=alt.Scale(paddingInner=0.06),
    )


def _level_strip(rules: pd.DataFrame) -> alt.LayerChart:
    ladder = rules[["level", "level_rank"]].drop_duplicates().sort_values("level_rank")
    first_of_level = rules.drop_duplicates("level")
    band = (
        alt.Chart(rules)
        .mark_rect()
        .encode(
            x=_rule_axis(rules),
            color=alt.Color("level:N", scale=level_scale(ladder), legend=None),
            tooltip=["level:N", "rule:N", "points:Q"],
        )
    )
    names = (
        alt.Chart(first_of_level)
        .mark_text(align="left", dx=-CELL_STEP / 2 + 3, color="white", fontWeight="bold")
        .encode(x=alt.X("rule:N", sort=list(rules.rule), axis=None), text="level:N")
    )
    return alt.layer(band, names).properties(height=18, width=CELL_STEP * len(rules))


def rate_heatmap(
    cells: pd.DataFrame, rules: pd.DataFrame, row_order: list[str]
) -> alt.VConcatChart:
    """Rows × rules; a cell's colour is the pass rate, unknown marked apart.

    `cells` holds `row`, `rule`, the outcome counts and `pass_rate_pct` /
    `unknown_rate_pct`; `rules` holds `rule`, `level`, `level_rank`, `points` in column
    order. A cell whose counted outcomes are all unknown is drawn in the unknown colour; a
    cell where the rule applies to nobody, in the not-applicable colour; otherwise the
    pass rate goes from the fail colour (0 %) to the pass colour (100 %) and a "?" in the
    unknown colour shows that some outcomes are unknown.
    """
    columns = ["row", "rule", "level", "pass_rate_pct", "unknown_rate_pct"]
    counts = ["pass_count", "fail_count", "unknown_count", "exempt_count", "not_applicable_count"]
    frame = cells[columns + counts].copy()
    counted = frame.pass_count + frame.fail_count + frame.unknown_count
    frame["state"] = "rate"
    frame.loc[counted == 0, "state"] = "no rule applies"
    frame.loc[(counted > 0) & (frame.unknown_count == counted), "state"] = "all unknown"
    frame["label"] = frame.pass_rate_pct.round(0).astype("Int64").astype(str)
    frame.loc[frame.state != "rate", "label"] = ""
    x, y = _rule_axis(rules), _row_axis(row_order)
    tooltip = [
        alt.Tooltip("row:N", title="row"),
        alt.Tooltip("rule:N"),
        alt.Tooltip("level:N"),
        alt.Tooltip("pass_rate_pct:Q", title="pass rate %", format=".1f"),
        alt.Tooltip("unknown_rate_pct:Q", title="unknown %", format=".1f"),
        *(f"{count}:Q" for count in counts),
    ]
    # Data sits on the layer, not on each mark: Altair copies every sub-chart it combines.
    rates = (
        alt.Chart()
        .transform_filter("datum.state == 'rate'")
        .mark_rect()
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            color=alt.Color(
                "pass_rate_pct:Q",
                title="pass rate %",
                scale=alt.Scale(domain=[0, 50, 100], range=RATE_RANGE),
                legend=alt.Legend(orient="bottom", gradientLength=160),
            ),
        )
    )
    others = (
        alt.Chart()
        .transform_filter("datum.state != 'rate'")
        .mark_rect()
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            color=alt.Color(
                "state:N",
                title=None,
                scale=alt.Scale(
                    domain=["all unknown", "no rule applies"],
                    range=[OUTCOME_COLORS["unknown"], OUTCOME_COLORS["not_applicable"]],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    labels = (
        alt.Chart()
        .transform_filter("datum.label != ''")
        .mark_text(fontSize=10, color="#1b1b1b")
        .encode(x=x, y=y, text="label:N", tooltip=tooltip)
    )
    unknown_marks = (
        alt.Chart()
        .transform_filter("datum.unknown_count > 0 && datum.state == 'rate'")
        .mark_text(
            text="?",
            fontSize=11,
            fontWeight="bold",
            color=OUTCOME_COLORS["unknown"],
            dx=CELL_STEP / 2 - 6,
            dy=-ROW_STEP / 2 + 7,
        )
        .encode(x=x, y=y, tooltip=tooltip)
    )
    layers = [rates, others, unknown_marks]
    if len(frame) <= MAX_LABELLED_CELLS:
        layers.insert(2, labels)
    grid = (
        alt.layer(*layers, data=frame)
        .resolve_scale(color="independent")
        .properties(width=CELL_STEP * len(rules), height=ROW_STEP * max(1, len(row_order)))
    )
    return alt.vconcat(_level_strip(rules), grid, spacing=2).resolve_scale(color="independent")


def outcome_heatmap(
    cells: pd.DataFrame, rules: pd.DataFrame, row_order: list[str]
) -> alt.VConcatChart:
    """Rows (entities) × rules; a cell is the outcome, in its colour and with a glyph."""
    frame = cells[["row", "rule", "level", "outcome", "reason", "fact_values"]].copy()
    frame["glyph"] = frame.outcome.map(OUTCOME_GLYPHS).fillna("")
    x, y = _rule_axis(rules), _row_axis(row_order)
    tooltip = [
        alt.Tooltip("row:N", title="service"),
        alt.Tooltip("rule:N"),
        alt.Tooltip("level:N"),
        alt.Tooltip("outcome:N"),
        alt.Tooltip("reason:N"),
        alt.Tooltip("fact_values:N", title="facts"),
    ]
    rects = (
        alt.Chart()
        .mark_rect()
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            color=alt.Color(
                "outcome:N", scale=outcome_scale(), legend=alt.Legend(orient="bottom", title=None)
            ),
        )
    )
    glyphs = (
        alt.Chart()
        .mark_text(fontSize=11, color="white", fontWeight="bold")
        .encode(x=x, y=y, text="glyph:N", tooltip=tooltip)
    )
    grid = alt.layer(rects, glyphs, data=frame).properties(
        width=CELL_STEP * len(rules), height=ROW_STEP * max(1, len(row_order))
    )
    return alt.vconcat(_level_strip(rules), grid, spacing=2).resolve_scale(color="independent")


def _row_axis(row_order: list[str]) -> alt.Y:
    return alt.Y("row:N", sort=row_order, title=None, axis=alt.Axis(labelLimit=260))


def score_and_level_history(history: pd.DataFrame, levels: pd.DataFrame) -> alt.LayerChart:
    """One entity's score per day, each point in the colour of the level it held."""
    ladder = pd.concat(
        [pd.DataFrame({"level": ["none"], "level_rank": [0]}), levels[["level", "level_rank"]]]
    ).drop_duplicates("level")
    line = (
        alt.Chart(history)
        .mark_line(color="#1f4e79")
        .encode(
            x=alt.X("evaluated_on:T", title=None),
            y=alt.Y("score_pct:Q", title="Score %", scale=alt.Scale(domain=[0, 100])),
        )
    )
    points = (
        alt.Chart(history)
        .mark_circle(size=60, opacity=1)
        .encode(
            x="evaluated_on:T",
            y="score_pct:Q",
            color=alt.Color(
                "level:N",
                scale=level_scale(ladder),
                sort=list(ladder.level),
                legend=alt.Legend(orient="bottom", title="level"),
            ),
            tooltip=[
                alt.Tooltip("evaluated_on:T", title="day"),
                alt.Tooltip("score_pct:Q", format=".1f"),
                "level:N",
                "fail_count:Q",
                "unknown_count:Q",
            ],
        )
    )
    return alt.layer(line, points).properties(height=240)


def outcome_timeline(history: pd.DataFrame, rules: pd.DataFrame) -> alt.Chart:
    """Rules × days for one entity: when each rule started or stopped passing."""
    frame = history.merge(rules[["rule_id", "rule"]], on="rule_id", how="left")
    frame["rule"] = frame["rule"].fillna(frame["rule_id"])
    order = list(rules.rule) + sorted(set(frame.rule) - set(rules.rule))
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X(
                "yearmonthdate(evaluated_on):O",
                title=None,
                axis=alt.Axis(format="%b %d", labelAngle=-45, labelOverlap="greedy"),
            ),
            y=alt.Y(
                "rule:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelLimit=220, labelOverlap=False),
            ),
            color=alt.Color(
                "outcome:N",
                scale=outcome_scale(),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[alt.Tooltip("evaluated_on:T", title="day"), "rule:N", "outcome:N"],
        )
        .properties(height=alt.Step(16))
    )
