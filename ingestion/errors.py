"""The one error type every HTTP source raises when it fails for good.

Each source keeps its own subclass (``OktaError``, ``PagerDutyError``, ...) so a message
still names where it came from, and orchestration catches ``SourceError`` alone.
"""

from __future__ import annotations


class SourceError(RuntimeError):
    """A source's API failed for good; the message names the source, status and path."""
