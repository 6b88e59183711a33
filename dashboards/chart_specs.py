"""Drawing the charts of `dashboards.charts`, their Vega-Lite specs cached.

Building an Altair chart and validating its spec costs a page more than all its queries
(about 0.2 s for the heat map of 2,000 services). The spec only changes with the chart's
data, so it is cached on that data (and dropped with the other cached results, which the
data comes from); the page sends the cached spec as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import altair as alt
import streamlit as st


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def vega_lite_spec(name: str, _builder: Callable[..., alt.TopLevelMixin], *args: Any) -> dict:
    """The spec of `_builder(*args)`, data inline; cached on the builder's `name` and args."""
    chart = _builder(*args)
    # Streamlit draws Altair charts with Altair's theme off (no default 300 px views).
    with alt.theme.enable("none"):
        return chart.to_dict()


def draw(
    builder: Callable[..., alt.TopLevelMixin],
    *args: Any,
    width: Literal["stretch", "content"] = "stretch",
) -> None:
    """Draw `builder(*args)`, e.g. `draw(charts.level_bars, levels)`."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    st.vega_lite_chart(spec=vega_lite_spec(name, builder, *args), width=width)
