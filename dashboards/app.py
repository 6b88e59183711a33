"""The readiness dashboard: `readiness serve` runs this with Streamlit."""

from __future__ import annotations

import sys
from pathlib import Path

# Streamlit runs this file as a script: make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="readiness", page_icon="✅", layout="wide")

VIEWS = Path(__file__).resolve().parent / "views"
navigation = st.navigation(
    [
        st.Page(str(VIEWS / "overview.py"), title="Overview", icon="📊", default=True),
    ]
)
navigation.run()
