"""XLSX (openpyxl): one sheet per table, typed cells (dates as dates, numbers as numbers),
a bold frozen header row. A table longer than a sheet allows continues on the next sheet
(``outcomes``, ``outcomes (2)``, ...)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from readiness.reports.model import Report
from readiness.reports.tables import report_tables

XLSX_FILE = "report.xlsx"
MAX_SHEET_ROWS = 1_048_575  # Excel's limit, less the header row
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
_WIDTHS = {"entity_ref": 34, "reason": 60, "remediation": 50, "fact_values": 40, "value": 70}


def _cell(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    return value


def render_xlsx(report: Report, *, max_rows: int = MAX_SHEET_ROWS) -> dict[str, bytes]:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = report.generator
    workbook.properties.title = report.title
    created = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = created
    for table in report_tables(report):
        chunks = [table.rows[i : i + max_rows] for i in range(0, len(table.rows), max_rows)]
        for number, chunk in enumerate(chunks or [[]], start=1):
            sheet = workbook.create_sheet(table.name if number == 1 else f"{table.name} ({number})")
            sheet.freeze_panes = "A2"
            for index, column in enumerate(table.columns, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column, 16)
            header = []
            for column in table.columns:
                cell = WriteOnlyCell(sheet, value=column)
                cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
                header.append(cell)
            sheet.append(header)
            for row in chunk:
                sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {XLSX_FILE: buffer.getvalue()}
