"""PDF (fpdf2): A4 landscape, the same sections as the HTML page. Tables paginate with
their header row repeated on top of every page; every page carries the report's title,
its period and "page N of M".

Text is set in DejaVu Sans when the system has it (Debian's fonts-dejavu-core, which
Chromium pulls in), so any Unicode in names and reasons prints; without it, the PDF core
font Helvetica is used and characters outside Latin-1 print as "?".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableHeadingsDisplay, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from readiness.reports.document import HEADER_COLOR, DocTable, Section, build_sections
from readiness.reports.model import Report

PDF_FILE = "report.pdf"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
BODY_SIZE = 7.5
_WHITE = (255, 255, 255)


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _ReportPDF(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report = report
        fonts = _font_files()
        if fonts:
            self.add_font("body", "", str(fonts[0]))
            self.add_font("body", "B", str(fonts[1]))
            self.family, self.unicode_text = "body", True
        else:
            self.family, self.unicode_text = "helvetica", False
        self.set_margins(10, 14, 10)
        self.set_auto_page_break(auto=True, margin=12)
        self.set_title(report.title)
        self.set_creator(report.generator)
        self.set_author(report.generator)
        self.set_subject(f"{report.scope.description}; {report.period}")
        self.set_creation_date(report.generated_at.astimezone(dt.UTC))
        self.alias_nb_pages()

    def clean(self, value: str) -> str:
        if self.unicode_text:
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(self.family, "", 7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.clean(f"{self.report.title} | {self.report.period}"))
        self.ln(7)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-9)
        self.set_font(self.family, "", 7)
        self.set_text_color(90, 90, 90)
        generated = self.report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
        self.cell(0, 5, self.clean(f"generated {generated} by {self.report.generator}"))
        self.set_x(self.l_margin)
        self.cell(0, 5, f"page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _title(pdf: _ReportPDF, section: Section) -> None:
    pdf.set_fill_color(*_rgb(HEADER_COLOR))
    pdf.set_text_color(*_WHITE)
    pdf.set_font(pdf.family, "B", 18)
    pdf.cell(0, 14, pdf.clean(section.title), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)


def _heading(pdf: _ReportPDF, title: str) -> None:
    if pdf.get_y() > pdf.h - 45:  # keep a heading with the start of what follows
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(pdf.family, "B", 12)
    pdf.set_text_color(*_rgb(HEADER_COLOR))
    pdf.cell(0, 7, pdf.clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*_rgb(HEADER_COLOR))
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _facts(pdf: _ReportPDF, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        pdf.set_font(pdf.family, "B", 9)
        pdf.cell(45, 5, pdf.clean(label))
        pdf.set_font(pdf.family, "", 9)
        pdf.multi_cell(0, 5, pdf.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _paragraphs(pdf: _ReportPDF, paragraphs: list[str]) -> None:
    pdf.set_font(pdf.family, "", 9)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 4.5, pdf.clean(paragraph), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)


def _chart(pdf: _ReportPDF, points: list[tuple[str, float | None]]) -> None:
    """Average score per day, 0-100 %, as a line."""
    known = [(i, v) for i, (_, v) in enumerate(points) if v is not None]
    if len(known) < 2:
        return
    left, width, height = pdf.l_margin + 12, 180, 38
    if pdf.get_y() + height + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 2
    pdf.set_font(pdf.family, "", 6.5)
    pdf.set_draw_color(210, 210, 210)
    for grid in (0, 50, 100):
        y = top + height - grid / 100 * height
        pdf.line(left, y, left + width, y)
        pdf.text(pdf.l_margin, y + 1, f"{grid}%")
    step = width / max(len(points) - 1, 1)
    pdf.set_draw_color(*_rgb(HEADER_COLOR))
    pdf.set_line_width(0.6)
    pdf.polyline([(left + i * step, top + height - v / 100 * height) for i, v in known])
    pdf.set_line_width(0.2)
    pdf.text(left, top + height + 4, points[0][0])
    pdf.text(left + width - pdf.get_string_width(points[-1][0]), top + height + 4, points[-1][0])
    pdf.text(left + width / 2 - 15, top - 0.5, "average score per day")
    pdf.set_y(top + height + 7)


def _table(pdf: _ReportPDF, table: DocTable) -> None:
    if not table.rows:
        _paragraphs(pdf, ["(none)"])
        return
    pdf.set_font(pdf.family, "", BODY_SIZE)
    heading = FontFace(emphasis="BOLD", color=_WHITE, fill_color=_rgb(HEADER_COLOR))
    badges: dict[str, FontFace] = {}
    pdf.set_fill_color(*_WHITE)
    with pdf.table(
        col_widths=table.widths,
        cell_fill_color=(243, 245, 248),
        cell_fill_mode="ROWS",
        headings_style=heading,
        line_height=BODY_SIZE * 0.48,
        text_align="LEFT",
        v_align="TOP",
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        wrapmode=WrapMode.WORD,
        padding=0.8,
    ) as grid:
        header = grid.row()
        for column in table.columns:
            header.cell(pdf.clean(column))
        for values in table.rows:
            row = grid.row()
            for index, value in enumerate(values):
                color = table.colors[index](value) if index in table.colors and value else None
                style = None
                if color:
                    style = badges.setdefault(
                        color, FontFace(color=_WHITE, fill_color=_rgb(color), emphasis="BOLD")
                    )
                row.cell(pdf.clean(value), style=style)
    if table.caption:
        pdf.set_font(pdf.family, "", 7)
        pdf.multi_cell(0, 4, pdf.clean(table.caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def render_pdf(report: Report) -> dict[str, bytes]:
    pdf = _ReportPDF(report)
    pdf.add_page()
    for index, section in enumerate(build_sections(report)):
        if index == 0:
            _title(pdf, section)
        else:
            _heading(pdf, section.title)
        _facts(pdf, section.facts)
        _paragraphs(pdf, section.paragraphs)
        if section.chart:
            _chart(pdf, section.chart)
        for table in section.tables:
            _table(pdf, table)
    return {PDF_FILE: bytes(pdf.output())}
