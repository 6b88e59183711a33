"""JSON: the whole report as one document, exactly the pydantic model (dates in ISO 8601)."""

from __future__ import annotations

from readiness.reports.model import Report

JSON_FILE = "report.json"


def render_json(report: Report) -> dict[str, bytes]:
    return {JSON_FILE: (report.model_dump_json() + "\n").encode("utf-8")}


def read_json(data: bytes | str) -> Report:
    """A report read back from its JSON file."""
    return Report.model_validate_json(data)
