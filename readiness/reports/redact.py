"""Secrets never reach a report: a last scrub of every text a report holds.

The marts hold no credentials by design (failure messages are cut at the source, URLs
lose their query strings), so this is a second line: anything that looks like a
credential, in any cell, is replaced by ``[redacted]`` before a file is written.
"""

from __future__ import annotations

import re
from functools import lru_cache

REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # user:password@ in URLs
    (re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", re.I), r"\g<scheme>"),
    # query strings of URLs (some APIs take keys there)
    (re.compile(r"(?P<url>\bhttps?://[^\s?#'\"]+)\?[^\s'\"]*", re.I), r"\g<url>?" + REDACTED),
    # authorization schemes
    (
        re.compile(r"\b(?P<scheme>bearer|ssws)\s+[A-Za-z0-9._~+/=-]{8,}", re.I),
        r"\g<scheme> " + REDACTED,
    ),
    # key=value / key: value for secret-looking keys
    (
        re.compile(
            r"(?P<key>\b[\w-]*(?:token|secret|password|passwd|api[_-]?key|app[_-]?key|"
            r"access[_-]?key|private[_-]?key|credential)s?\b['\"]?\s*[=:]\s*)['\"]?[^\s,;'\"]+",
            re.I,
        ),
        r"\g<key>" + REDACTED,
    ),
    # well-known token shapes: GitHub, GitLab, Slack, AWS access key ids, PagerDuty-style
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"), REDACTED),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), REDACTED),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), REDACTED),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), REDACTED),
)


@lru_cache(maxsize=1 << 16)
def redact(text: str) -> str:
    """``text`` with anything credential-like replaced (cached: report texts repeat a lot)."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
