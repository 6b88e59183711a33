"""Pagination helpers shared by the simulated APIs: page numbers, cursors, Link headers."""

from __future__ import annotations

import base64
import binascii

from simulator.servers.framework import Request

CURSOR_PREFIX = "cursor:v2:"


def encode_cursor(position: int) -> str:
    """An opaque cursor in GitHub's style (base64 of ``cursor:v2:`` plus a position)."""
    return base64.b64encode(f"{CURSOR_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    """The position a cursor points after, or None if it is not one of ours."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not text.startswith(CURSOR_PREFIX):
        return None
    try:
        position = int(text[len(CURSOR_PREFIX) :])
    except ValueError:
        return None
    return position if position >= 0 else None


def link_header(links: list[tuple[str, str]]) -> str:
    """``<url>; rel="next", <url>; rel="last"`` from (rel, url) pairs, in the given order."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links)


def github_page_links(
    req: Request, path: str, query: list[tuple[str, object]], page: int, per_page: int, total: int
) -> str | None:
    """GitHub's page-number Link header: prev, next, last, first; omitted on a single page.

    The first page has no prev/first, the last page no next/last (as in the recordings).
    """
    last_page = max(1, -(-total // per_page))
    if last_page <= 1 and page <= 1:
        return None

    def url(n: int) -> str:
        return req.url(path, [*query, ("per_page", per_page), ("page", n)])

    links: list[tuple[str, str]] = []
    if page > 1:
        links.append(("prev", url(min(page - 1, last_page))))
    if page < last_page:
        links.append(("next", url(page + 1)))
        links.append(("last", url(last_page)))
    if page > 1:
        links.append(("first", url(1)))
    return link_header(links) if links else None
