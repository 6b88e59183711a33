"""Days as users write them in standards: ``YYYY-MM-DD``, and only real days.

Pydantic's own date parsing takes numbers as Unix times (``starts_on: 0`` would be 1970)
and names an impossible day only vaguely; :data:`Day` takes a YAML date or a
``YYYY-MM-DD`` string, and says what is wrong with anything else.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

DAY_HINT = "write a real day as YYYY-MM-DD, e.g. 2026-01-31"
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_day(value: Any) -> dt.date:
    """A date from a YAML date or a ``YYYY-MM-DD`` string; ValueError saying why not."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value.isoformat(sep=' ')}' is a date and time, not a day")
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else None
    match = _DAY.match(text) if text is not None else None
    if match is None:
        shown = repr(value) if not isinstance(value, str) else f"'{value}'"
        raise ValueError(f"{shown[:40]} is not a date")
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise ValueError(f"'{text}' is not a date: there is no year 0")
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a date: there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            f"'{text}' is not a date: {calendar.month_name[month]} {year} has {days} days"
        )
    return dt.date(year, month, day)


Day = Annotated[dt.date, BeforeValidator(parse_day)]


def pydantic_date_message(error: dict[str, Any]) -> str | None:
    """The message of a pydantic error raised by :func:`parse_day`, else None."""
    if error.get("type") != "value_error":
        return None
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return message if "date" in message else None
