"""CSV: one RFC 4180 file per table (UTF-8, a header row, empty cell for NULL, ISO dates)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from readiness.reports.model import Report
from readiness.reports.tables import Cell, report_tables


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_csv(report: Report) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for table in report_tables(report):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(table.columns)
        writer.writerows([csv_cell(value) for value in row] for row in table.rows)
        files[f"{table.name}.csv"] = buffer.getvalue().encode("utf-8")
    return files
