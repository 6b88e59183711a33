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


def days_since(epoch: float, day: int) -> int:
    """Days from the event at ``epoch`` to ``day``, counted in calendar days in UTC: an
    event on the day itself is 0 days old, one at any time the day before is 1.

    The one definition of "days since" (docs/facts.md): the warehouse computes
    ``days_since_last_commit`` as ``datediff('day', cast(committed_at as date), day)``
    with timestamps in UTC, and the ground truth calls this."""
    return day - epoch_to_day(epoch)


def window_epochs(day: int, days: int) -> tuple[int, int]:
    """First and last epoch second of the ``days`` calendar days (UTC) ending with ``day``:
    "the last 14 days" on a day are that day and the 13 before it, whole."""
    return day_start_epoch(day - days + 1), day_end_epoch(day)


def iso(epoch: float) -> str:
    """``2025-01-02T03:04:05Z``: GitHub, PagerDuty and Prometheus style."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_millis(epoch: float) -> str:
    """``2025-01-02T03:04:05.000Z``: Okta style."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def iso_micros_offset(epoch: float) -> str:
    """``2025-01-02T03:04:05.000000+00:00``: Datadog monitor style."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
