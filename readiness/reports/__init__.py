"""Compliance reports: built from the published warehouse, exported as CSV, XLSX, JSON,
HTML and PDF, with a manifest of SHA-256 digests that ``verify_folder`` checks later.

The API the command line and the dashboards use::

    report = build_report(settings, ReportFilters(scorecard="production-readiness"))
    written = write_report(report, Path("evidence/2026-q3"), "csv,pdf")
    files = render(report, "pdf")            # in memory: {"report.pdf": b"..."}
    verify_folder(Path("evidence/2026-q3")).ok
"""

from readiness.reports.build import ReportError, build_report
from readiness.reports.manifest import (
    MANIFEST_FILE,
    Manifest,
    ManifestError,
    Verification,
    verify_folder,
)
from readiness.reports.model import Report, ReportFilters
from readiness.reports.write import FORMATS, WrittenReport, parse_formats, render, write_report

__all__ = [
    "FORMATS",
    "MANIFEST_FILE",
    "Manifest",
    "ManifestError",
    "Report",
    "ReportError",
    "ReportFilters",
    "Verification",
    "WrittenReport",
    "build_report",
    "parse_formats",
    "render",
    "verify_folder",
    "write_report",
]
