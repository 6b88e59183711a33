"""The files the Reports page offers for download, rendered on click.

Plain functions of a built report (no Streamlit calls: a download button runs its data
callable outside the script run).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from readiness.reports import Report, render, write_report


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            archive.writestr(name, content)
    return buffer.getvalue()


def format_file(report: Report, fmt: str) -> bytes:
    files = render(report, fmt)
    if fmt == "csv":
        return zipped(files)
    (content,) = files.values()
    return content


def evidence_bundle(report: Report) -> bytes:
    """Every format plus the manifest, exactly as `readiness report` writes the folder."""
    with tempfile.TemporaryDirectory(prefix="readiness-report-") as scratch:
        folder = Path(scratch) / "report"
        write_report(report, folder)
        return zipped({path.name: path.read_bytes() for path in folder.iterdir()})
