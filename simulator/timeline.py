"""Day arithmetic and the ``Span`` of time during which a capability exists.

Days are proleptic ordinals (``date.toordinal()``) so that comparisons are integer
comparisons. A span ``(start, end)`` is active on ``start <= day < end``; ``NEVER`` as a
start means the capability never exists, as an end that it is never removed.
"""

from __future__ import annotations

import datetime as dt

NEVER = 10**8
Span = tuple[int, int]
ABSENT: Span = (NEVER, NEVER)
HISTORY_DAYS = 90
DAY_SECONDS = 86_400
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def active(span: Span, day: int) -> bool:
    return span[0] <= day < span[1]


def day_start_epoch(day: int) -> int:
    """Epoch seconds of 00:00:00 UTC of ``day``."""
    return (day - _EPOCH_ORDINAL) * DAY_SECONDS


def day_end_epoch(day: int) -> int:
    """Epoch seconds of 23:59:59 UTC of ``day``: the cut-off of "as of ``day``"."""
    return day_start_epoch(day) + DAY_SECONDS - 1


def epoch_to_day(epoch: float) -> int:
    return int(epoch // DAY_SECONDS) + _EPOCH_ORDINAL


def iso(epoch: float) -> str:
    """``2025-01-02T03:04:05Z``: GitHub, PagerDuty and Prometheus style."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_millis(epoch: float) -> str:
    """``2025-01-02T03:04:05.000Z``: Okta style."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def iso_micros_offset(epoch: float) -> str:
    """``2025-01-02T03:04:05.000000+00:00``: Datadog monitor style."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
