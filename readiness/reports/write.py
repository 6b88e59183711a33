"""Writing a report folder: the chosen formats, then the manifest of what was written."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from readiness.errors import ReadinessError
from readiness.reports.csv_files import render_csv
from readiness.reports.html_file import render_html
from readiness.reports.json_file import render_json
from readiness.reports.manifest import MANIFEST_FILE, Manifest, ManifestEntry, entry, write_manifest
from readiness.reports.model import Report
from readiness.reports.pdf_file import render_pdf
from readiness.reports.xlsx_file import render_xlsx

RENDERERS: dict[str, Callable[[Report], dict[str, bytes]]] = {
    "csv": render_csv,
    "xlsx": render_xlsx,
    "json": render_json,
    "html": render_html,
    "pdf": render_pdf,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


@dataclass(frozen=True)
class WrittenReport:
    folder: Path
    files: list[ManifestEntry]
    manifest_path: Path
    manifest_sha256: str


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"csv,pdf"`` (or a list) -> ("csv", "pdf"); None or empty -> every format."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    chosen = [item.strip().lower() for item in items if item and item.strip()]
    unknown = [item for item in chosen if item not in RENDERERS]
    if unknown:
        raise ReadinessError(
            f"unknown format {', '.join(repr(u) for u in unknown)}: choose from {', '.join(FORMATS)}"
        )
    return tuple(dict.fromkeys(chosen)) or FORMATS


def render(report: Report, formats: str | Iterable[str] | None = None) -> dict[str, bytes]:
    """Every file of the chosen formats, in memory: file name -> content."""
    files: dict[str, bytes] = {}
    for name in parse_formats(formats):
        files.update(RENDERERS[name](report))
    return files


def check_out_dir(out_dir: Path) -> Path:
    """``out_dir`` if it is new or an empty folder; else ReadinessError saying what to do."""
    folder = Path(out_dir)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReadinessError(
            f"{folder} already exists and is not an empty folder: write each report into a "
            "new folder (a report's files are evidence and are never overwritten)"
        )
    return folder


def write_report(
    report: Report,
    out_dir: Path,
    formats: str | Iterable[str] | None = None,
    *,
    on_file: Callable[[str, int], None] | None = None,
) -> WrittenReport:
    """Write the chosen formats (default: all) and ``manifest.json`` into ``out_dir``.

    The folder must be new or empty: evidence is never overwritten, and a stale file
    would otherwise sit beside the new ones unlisted.
    """
    folder = check_out_dir(out_dir)
    chosen = parse_formats(formats)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[ManifestEntry] = []
    for name in chosen:
        for file_name, content in RENDERERS[name](report).items():
            path = folder / file_name
            path.write_bytes(content)
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
            written.append(entry(folder, path))
            if on_file is not None:
                on_file(file_name, len(content))
    manifest = Manifest(
        generator=report.generator,
        generated_at=report.generated_at,
        title=report.title,
        scorecard_id=report.scope.scorecard_id,
        scope=report.scope.description,
        days=report.days,
        definition_hashes=[d.definition_hash for d in report.definitions],
        files=sorted(written, key=lambda item: item.path),
    )
    digest = write_manifest(folder, manifest)
    return WrittenReport(folder, manifest.files, folder / MANIFEST_FILE, digest)
