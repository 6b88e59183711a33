"""'Did you mean ...?' for a mistyped scorecard id, entity, team, domain or level."""

from __future__ import annotations

import difflib


def _name(ref: str) -> str:
    """The part of a ref a person types: `ledger` of `component:default/ledger`."""
    return ref.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def suggest(value: str, candidates: list[str]) -> str:
    """The closest candidates (compared by name, so a shared `component:default/` prefix
    does not make every ref look alike), or a few known values."""
    by_name: dict[str, list[str]] = {}
    for candidate in candidates:
        by_name.setdefault(_name(candidate), []).append(candidate)
    close = difflib.get_close_matches(_name(value), list(by_name), n=3, cutoff=0.6)
    if close:
        return f"did you mean {' or '.join(ref for name in close for ref in by_name[name])}?"
    if len(candidates) <= 8:
        return f"known: {', '.join(candidates) or '(none)'}"
    return f"{len(candidates)} are published, e.g. {', '.join(candidates[:5])}"
