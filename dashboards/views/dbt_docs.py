"""Data docs: dbt's documentation of every model and column of the warehouse.

Shows the docs generated into the home folder (`<home>/dbt-docs/`, see
`dashboards.dbt_docs_files`): embedded as dbt's self-contained static page, and
downloadable; the folder also holds dbt's classic `index.html` + `manifest.json` +
`catalog.json` for any static web server.
"""

from __future__ import annotations

import streamlit as st

from dashboards.data import require_published, settings, version_key
from dashboards.dbt_docs_files import dbt_docs_dir, read_generated

st.title("Data docs")
if not require_published():
    st.stop()

current = settings()
docs = read_generated(current)
command = f"readiness docs --home {current.home}"
if docs is None:
    st.info(
        "The dbt docs have not been generated for this home folder yet. Generate them "
        f"(about 10 s) with:\n\n```\n{command}\n```\n\nthen reload this page. They are "
        f"written to `{dbt_docs_dir(current)}`."
    )
    st.stop()

stale = docs.published_version != version_key()
st.caption(
    f"Generated {docs.generated_at} in {docs.seconds:.0f} s from `dbt docs generate` "
    f"into `{docs.folder}`"
    + (
        " — the warehouse was published again since; regenerate with the command below."
        if stale
        else "."
    )
)
with st.expander("Other ways to read them"):
    st.markdown(
        f"- Serve the folder with any static web server, e.g. `python -m http.server "
        f"--directory {docs.folder} 8580`, and open http://127.0.0.1:8580 (dbt's classic "
        "docs site: `index.html` reads `manifest.json` and `catalog.json`).\n"
        f"- Open `{docs.static_page}` in a browser: one file, nothing to serve.\n"
        f"- Regenerate: `{command} --force`."
    )
    st.download_button(
        "Download the docs as one HTML file",
        docs.static_page.read_bytes(),
        file_name="readiness-dbt-docs.html",
        mime="text/html",
        on_click="ignore",
    )
st.iframe(docs.static_page, height=900)
