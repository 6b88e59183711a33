"""The catalog's problems about an entity or a team, as the Service and Team pages show
them (marts.fct_catalog_problems; `readiness validate --catalog` lists the same)."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def where(row) -> str:
    place = str(row.file) if isinstance(row.file, str) else "the catalog"
    if not pd.isna(row.line):
        place += f":{int(row.line)}"
    if not pd.isna(row.document_index):
        place += f" (document {int(row.document_index)})"
    return place


def show_catalog_problems(problems: pd.DataFrame, about: str) -> None:
    """A warning listing each problem with where it is and what to do; nothing when none."""
    if problems.empty:
        return
    lines = []
    for row in problems.itertuples():
        entity = f"`{row.entity_ref}` " if hasattr(row, "entity_ref") else ""
        hint = f" — {row.hint}" if isinstance(row.hint, str) and row.hint else ""
        lines.append(f"- **{row.severity}** {entity}{row.message} ({where(row)}){hint}")
    st.warning(f"The catalog has {len(problems)} problem(s) about {about}:\n" + "\n".join(lines))
