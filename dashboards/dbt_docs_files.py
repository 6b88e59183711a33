"""Where the generated dbt docs live in the home folder, and what was generated when.

`orchestration.dbt_docs.generate_dbt_docs` writes them (`dbt docs generate --static`
against a copy of the published warehouse); the Data docs page reads them. The folder
holds dbt's `index.html`, `manifest.json` and `catalog.json` (serve the folder with any
static web server for the classic docs site), `static_index.html` (the same site in one
self-contained file, which the page embeds and offers as a download) and `generated.json`
(when, and for which published version).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from readiness.settings import Settings

DOCS_FOLDER = "dbt-docs"
STAMP = "generated.json"
FILES = ("index.html", "manifest.json", "catalog.json", "static_index.html")


def dbt_docs_dir(settings: Settings) -> Path:
    return settings.home / DOCS_FOLDER


@dataclass(frozen=True)
class GeneratedDocs:
    folder: Path
    generated_at: str
    published_version: str
    seconds: float

    @property
    def static_page(self) -> Path:
        return self.folder / "static_index.html"


def read_generated(settings: Settings) -> GeneratedDocs | None:
    """The docs in the home folder, or None when they were never generated."""
    folder = dbt_docs_dir(settings)
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return None
    if not all((folder / name).exists() for name in FILES):
        return None
    return GeneratedDocs(
        folder=folder,
        generated_at=str(stamp.get("generated_at", "")),
        published_version=str(stamp.get("published_version", "")),
        seconds=float(stamp.get("seconds", 0)),
    )
