"""HTML: one self-contained page (inline CSS and SVG, no script, nothing fetched), every
value escaped. Table headers repeat on every printed page (``thead``)."""

from __future__ import annotations

from html import escape

from readiness.reports.document import HEADER_COLOR, DocTable, Section, build_sections
from readiness.reports.model import Report

HTML_FILE = "report.html"

_CSS = f"""
body {{ font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 13px;
  color: #222; margin: 24px auto; max-width: 1400px; padding: 0 16px; }}
h1 {{ background: {HEADER_COLOR}; color: #fff; padding: 14px 18px; font-size: 22px; }}
h2 {{ border-bottom: 2px solid {HEADER_COLOR}; padding-bottom: 4px; margin-top: 32px; }}
dl {{ display: grid; grid-template-columns: max-content auto; gap: 4px 16px; }}
dt {{ font-weight: bold; }} dd {{ margin: 0; font-family: monospace, monospace; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0 16px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }}
thead th {{ background: {HEADER_COLOR}; color: #fff; }}
tbody tr:nth-child(even) {{ background: #f6f7f9; }}
.badge {{ border-radius: 3px; padding: 1px 6px; color: #fff; white-space: nowrap; }}
caption {{ caption-side: bottom; text-align: left; color: #555; padding-top: 4px; }}
@media print {{ thead {{ display: table-header-group; }} tr {{ break-inside: avoid; }} }}
"""


def _chart(points: list[tuple[str, float | None]]) -> str:
    """An inline SVG line of the average score per day (0-100)."""
    width, height, pad = 900, 220, 36
    known = [(i, v) for i, (_, v) in enumerate(points) if v is not None]
    if len(known) < 2:
        return ""
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{pad + i * step:.1f},{height - pad - v / 100 * (height - 2 * pad):.1f}"

    line = " ".join(xy(i, v) for i, v in known)
    grid = "".join(
        f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad - g / 100 * (height - 2 * pad):.1f}" '
        f'y2="{height - pad - g / 100 * (height - 2 * pad):.1f}" stroke="#ddd"/>'
        f'<text x="4" y="{height - pad - g / 100 * (height - 2 * pad) + 4:.1f}" font-size="10">{g}%</text>'
        for g in (0, 50, 100)
    )
    labels = (
        f'<text x="{pad}" y="{height - 8}" font-size="10">{escape(points[0][0])}</text>'
        f'<text x="{width - pad}" y="{height - 8}" font-size="10" text-anchor="end">'
        f"{escape(points[-1][0])}</text>"
    )
    return (
        f'<svg role="img" aria-label="Average score per day" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{grid}'
        f'<polyline fill="none" stroke="{HEADER_COLOR}" stroke-width="2" points="{line}"/>'
        f"{labels}</svg>"
    )


def _table(table: DocTable) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for index, value in enumerate(row):
            color = table.colors[index](value) if index in table.colors and value else None
            inner = escape(value)
            if color:
                inner = f'<span class="badge" style="background:{color}">{inner}</span>'
            cells.append(f"<td>{inner}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return (
        f"<table>{caption}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body) or '<tr><td colspan=99>(none)</td></tr>'}</tbody></table>"
    )


def _section(section: Section, heading: str) -> str:
    parts = [f"<{heading}>{escape(section.title)}</{heading}>"]
    if section.facts:
        parts.append(
            "<dl>"
            + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in section.facts)
            + "</dl>"
        )
    parts.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
    if section.chart:
        parts.append(_chart(section.chart))
    parts.extend(_table(t) for t in section.tables)
    return "<section>" + "".join(parts) + "</section>"


def render_html(report: Report) -> dict[str, bytes]:
    sections = build_sections(report)
    body = "".join(
        _section(section, "h1" if index == 0 else "h2") for index, section in enumerate(sections)
    )
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title>"
        '<meta name="generator" content="' + escape(report.generator) + '">'
        f"<style>{_CSS}</style></head><body>{body}</body></html>\n"
    )
    return {HTML_FILE: page.encode("utf-8")}
