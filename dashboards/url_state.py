"""Widgets whose value lives in the URL, so any page state can be linked.

`?team=group:default/payments` selects that team: the URL holds the raw option (an
entity ref, a day in ISO form), never its display label, so links survive renames.
A widget is seeded from the URL when the page opens (or when the URL changed under it,
e.g. browser back), keeps its value for the session when the user switches pages
(`persist_state="session"`), and writes its value back to the URL after every change;
a value equal to the default is left out of the URL.

(Streamlit's own `bind="query-params"` stores the displayed label of a select widget,
which would put team titles rather than refs into links.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

_WRITTEN = "_url_state_written"  # param -> the value this session last wrote to the URL


def widget_key(param: str, scope: str = "") -> str:
    """Session-state key of the widget behind `?param=`; `scope` keeps pages apart."""
    return f"url_{scope}_{param}" if scope else f"url_{param}"


def _seed(
    param: str, key: str, parse: Callable[[str], Any], valid: Callable[[Any], bool]
) -> str | None:
    """Put the URL's value into the widget's state when the URL is newer than the widget.

    Returns the URL's text when it names no valid choice (a stale or mistyped link)."""
    state = st.session_state
    written: dict[str, str | None] = state.setdefault(_WRITTEN, {})
    raw = st.query_params.get(param)
    url_changed = raw is not None and raw != written.get(key)
    if key in state and not url_changed:
        if not valid(state[key]):
            del state[key]
        return None
    if raw is None:
        return None
    try:
        value = parse(raw)
    except ValueError:
        value = None
    written[key] = raw
    if value is not None and valid(value):
        state[key] = value
        return None
    return raw


def _write(
    param: str, key: str, value: Any, default: Any, serialize: Callable[[Any], str] = str
) -> None:
    written: dict[str, str | None] = st.session_state.setdefault(_WRITTEN, {})
    if value is None or value == default:
        if param in st.query_params:
            del st.query_params[param]
        written[key] = None
        return
    text = serialize(value)
    if st.query_params.get(param) != text:
        st.query_params[param] = text
    written[key] = text


def select(
    label: str,
    options: Sequence[Any],
    *,
    param: str,
    format_func: Callable[[Any], str] = str,
    optional: bool = False,
    placeholder: str | None = None,
    container: Any = None,
    parse: Callable[[str], Any] = str,
    scope: str = "",
    **kwargs: Any,
) -> Any:
    """A selectbox mirrored in `?param=`; `optional` adds an empty choice (None = all)."""
    options = list(options)
    key = widget_key(param, scope)
    unknown = _seed(param, key, parse, lambda value: value in options)
    widget = (container or st).selectbox
    value = widget(
        label,
        options,
        index=None if optional else 0,
        format_func=format_func,
        placeholder=placeholder,
        key=key,
        persist_state="session",
        **kwargs,
    )
    _write(param, key, value, None if optional else (options[0] if options else None))
    if unknown is not None:
        (container or st).warning(
            f"The link asks for {label.lower()} `{unknown}`, which is not among the choices "
            f"here (on this day): showing {format_func(value) if value is not None else 'all'}."
        )
    return value


def segmented(
    label: str,
    options: Sequence[str],
    *,
    param: str,
    default: str,
    format_func: Callable[[Any], str] = str,
    container: Any = None,
    scope: str = "",
    **kwargs: Any,
) -> str:
    options = list(options)
    key = widget_key(param, scope)
    _seed(param, key, str, lambda value: value in options)
    if key not in st.session_state:
        st.session_state[key] = default
    widget = (container or st).segmented_control
    value = widget(
        label, options, format_func=format_func, key=key, persist_state="session", **kwargs
    )
    value = value or default
    _write(param, key, value, default)
    return value


def toggle(
    label: str, *, param: str, container: Any = None, scope: str = "", **kwargs: Any
) -> bool:
    key = widget_key(param, scope)
    _seed(param, key, lambda raw: raw.lower() in ("1", "true", "yes"), lambda v: True)
    widget = (container or st).toggle
    value = bool(widget(label, key=key, persist_state="session", **kwargs))
    _write(param, key, value, False, lambda v: "true")
    return value


def date(
    label: str,
    *,
    param: str,
    default: dt.date,
    min_value: dt.date,
    max_value: dt.date,
    container: Any = None,
    scope: str = "",
    **kwargs: Any,
) -> dt.date:
    """A date input mirrored in `?param=YYYY-MM-DD`; the default is left out of the URL."""
    key = widget_key(param, scope)
    _seed(
        param,
        key,
        dt.date.fromisoformat,
        lambda value: isinstance(value, dt.date) and min_value <= value <= max_value,
    )
    if key not in st.session_state:
        st.session_state[key] = default
    widget = (container or st).date_input
    value = widget(
        label,
        min_value=min_value,
        max_value=max_value,
        key=key,
        persist_state="session",
        **kwargs,
    )
    value = value if isinstance(value, dt.date) else default
    _write(param, key, value, default, dt.date.isoformat)
    return value


def set_values(scope: str = "", **values: Any) -> None:
    """Set widgets' values from a callback (before they are drawn): `set_values(team=ref)`."""
    for param, value in values.items():
        st.session_state[widget_key(param, scope)] = value
