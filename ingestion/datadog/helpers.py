"""HTTP details of the Datadog v1 API: paging, error messages and turning responses into rows.

Shapes follow API_SHAPES.md §6 and the recorded responses in tests/fixtures/real/datadog.
Both list endpoints are read with their largest page and stop on a short page: the
recorded SLO list showed ``metadata.page.total_filtered_count`` disagreeing with the rows
returned, so counts are never trusted.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from typing import Any

from dlt.sources.helpers.rest_client import RESTClient
from requests import HTTPError, RequestException, Response

from ingestion.datadog import settings
from ingestion.errors import SourceError
from ingestion.http import RetryPolicy, describe_http_error, rest_client

SOURCE = "datadog"
DAY_SECONDS = 86_400
log = logging.getLogger(__name__)


class DatadogError(SourceError):
    """A Datadog request failed for good; the message names the source, status and path."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def base_url_for(base_url: str, site: str | None) -> str:
    """The API base URL: ``base_url`` if it was changed, else ``https://api.<site>``.

    ``site`` is what Datadog calls the site (``datadoghq.eu``, ``us5.datadoghq.com``, ...);
    the ``app.`` host users see in the browser is accepted too.
    """
    if site and base_url.rstrip("/") == settings.DEFAULT_BASE_URL:
        host = site.strip().removeprefix("https://").removeprefix("app.").strip("/")
        return f"https://api.{host}"
    return base_url


def datadog_client(base_url: str, api_key: str, app_key: str) -> RESTClient:
    """A client sending both keys as Datadog reads them (headers, never the query string)."""
    return rest_client(
        base_url,
        headers={
            "DD-API-KEY": api_key,
            "DD-APPLICATION-KEY": app_key,
            "Accept": "application/json",
        },
        policy=RetryPolicy(settings.MAX_ATTEMPTS, settings.BACKOFF_FACTOR, settings.MAX_DELAY),
        timeout=settings.TIMEOUT,
    )


def _hint(status: int) -> str:
    if status in (401, 403):
        return " (check sources.datadog.api_key and app_key, and the key's scopes)"
    return ""


def get_json(client: RESTClient, path: str, params: dict[str, Any] | None = None) -> Any:
    """GET a JSON body. Throttling, 5xx and truncated bodies are retried by the client.

    Raises :class:`DatadogError` once retries are spent: its message names the source, the
    HTTP status and the path, never a key.
    """
    try:
        response = client.get(path, params=params)
    except RequestException as exc:
        raise DatadogError(describe_http_error(SOURCE, exc)) from None
    if response.status_code >= 400:
        raise DatadogError(
            _describe(response) + _errors_text(response) + _hint(response.status_code),
            status=response.status_code,
        )
    try:
        return response.json()
    except ValueError:
        raise DatadogError(
            f"source {SOURCE}: malformed JSON on GET {path} after {settings.MAX_ATTEMPTS} attempts"
        ) from None


def _describe(response: Response) -> str:
    return describe_http_error(SOURCE, HTTPError(response=response))


def _errors_text(response: Response) -> str:
    """Datadog's ``{"errors": [...]}`` body, which says what was wrong."""
    try:
        errors = response.json().get("errors")
    except (ValueError, AttributeError):
        return ""
    if isinstance(errors, list) and errors:
        return ": " + "; ".join(str(e) for e in errors)[:300]
    return ""


def iter_monitor_pages(client: RESTClient) -> Iterator[list[dict[str, Any]]]:
    """``GET /api/v1/monitor?page=N&page_size=…``: bare arrays, until a short page."""
    page_size = settings.MONITOR_PAGE_SIZE
    page = 0
    while True:
        body = get_json(client, settings.MONITORS_PATH, {"page": page, "page_size": page_size})
        if not isinstance(body, list):
            raise DatadogError(
                f"source {SOURCE}: GET {settings.MONITORS_PATH} returned "
                f"{type(body).__name__}, expected a JSON array of monitors"
            )
        if body:
            yield body
        if len(body) < page_size:
            return
        page += 1


def iter_slo_pages(client: RESTClient) -> Iterator[list[dict[str, Any]]]:
    """``GET /api/v1/slo?limit=…&offset=N``: ``{"data": [...]}``, until a short page."""
    limit = settings.SLO_PAGE_SIZE
    offset = 0
    while True:
        body = get_json(client, settings.SLOS_PATH, {"limit": limit, "offset": offset})
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise DatadogError(f"source {SOURCE}: GET {settings.SLOS_PATH} returned no `data` list")
        if data:
            yield data
        if len(data) < limit:
            return
        offset += limit


def split_tag(tag: str) -> tuple[str, str | None]:
    """``service:checkout`` → (``service``, ``checkout``); a bare ``baz`` has no value."""
    key, sep, value = tag.partition(":")
    return (key, value) if sep else (key, None)


def tag_rows(tags: Any) -> list[dict[str, Any]]:
    """One row per tag: the full tag, its key and its value (split at the first ``:``)."""
    rows = []
    for tag in tags or []:
        if not isinstance(tag, str) or not tag:
            continue
        key, value = split_tag(tag)
        rows.append({"tag": tag, "tag_key": key, "tag_value": value})
    return rows


def parse_timestamp(value: Any) -> dt.datetime | None:
    """Naive UTC datetime from ISO-8601 text or epoch seconds/milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 100_000_000_000 else value
        return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def monitor_row(monitor: dict[str, Any]) -> dict[str, Any]:
    """The fields of one monitor readiness uses; ``tags`` stays a list for the tag table."""
    return {
        "monitor_id": int(monitor["id"]),
        "name": monitor.get("name"),
        "monitor_type": monitor.get("type"),
        "overall_state": monitor.get("overall_state"),
        "overall_state_modified": parse_timestamp(monitor.get("overall_state_modified")),
        "created_at": parse_timestamp(monitor.get("created") or monitor.get("created_at")),
        "priority": monitor.get("priority"),
        "tags": list(monitor.get("tags") or []),
    }


def _target(slo: dict[str, Any]) -> tuple[float | None, float | None]:
    """(target, warning) in percent for the SLO's primary timeframe."""
    target, warning = slo.get("target_threshold"), slo.get("warning_threshold")
    if target is None:
        for threshold in slo.get("thresholds") or []:
            if threshold.get("timeframe") == slo.get("timeframe"):
                target, warning = threshold.get("target"), threshold.get("warning")
                break
    return (
        float(target) if target is not None else None,
        float(warning) if warning is not None else None,
    )


def slo_row(slo: dict[str, Any]) -> dict[str, Any]:
    """The fields of one SLO readiness uses; ``tags`` stays a list for the tag table."""
    target, warning = _target(slo)
    timeframe = slo.get("timeframe")
    return {
        "slo_id": str(slo["id"]),
        "name": slo.get("name"),
        "slo_type": slo.get("type"),
        "target_pct": target,
        "warning_pct": warning,
        "timeframe": timeframe,
        "timeframe_days": settings.TIMEFRAME_DAYS.get(timeframe or ""),
        "created_at": parse_timestamp(slo.get("created_at")),
        "modified_at": parse_timestamp(slo.get("modified_at")),
        "tags": list(slo.get("tags") or []),
    }


def history_window(
    day: dt.date, timeframe_days: int, history_days: int, now: float | None = None
) -> tuple[int, int]:
    """``(from_ts, to_ts)`` epoch seconds for one SLO's single history request.

    From 00:00 UTC of the first day whose timeframe the oldest history day needs, to the
    end of ``day`` (or now, if ``day`` is today: the API is not asked about the future).
    """
    first = day - dt.timedelta(days=history_days + timeframe_days - 1)
    start = int(dt.datetime.combine(first, dt.time(), dt.UTC).timestamp())
    end = int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()) + DAY_SECONDS - 1
    now = time.time() if now is None else now
    if start < now < end:
        end = int(now)
    return start, end


def daily_events(
    slo_id: str, body: dict[str, Any], first_day: dt.date | None = None
) -> list[dict[str, Any]]:
    """Good and total events per UTC day from a history response's ``series``.

    ``series.times`` are bucket starts in epoch milliseconds (Datadog picks the bucket
    width, ``series.interval``); numerator and denominator values are event counts per
    bucket, summed here per day. No data (``sli_value: null``, ``ZERO_VALUED_DENOMINATOR``)
    gives zero-total days or no rows, never an error; monitor-based SLOs carry no
    ``series`` and give no rows.
    """
    data = body.get("data") or {}
    overall = data.get("overall") or {}
    for error in overall.get("errors") or []:
        if isinstance(error, dict) and error.get("error_type") != "ZERO_VALUED_DENOMINATOR":
            log.warning("source %s: SLO %s history: %s", SOURCE, slo_id, error)
    series = data.get("series") or {}
    times = series.get("times") or []
    good = (series.get("numerator") or {}).get("values") or []
    total = (series.get("denominator") or {}).get("values") or []
    per_day: dict[dt.date, list[float]] = {}
    for stamp, numerator, denominator in zip(times, good, total, strict=False):
        if stamp is None or denominator is None:
            continue
        day = dt.datetime.fromtimestamp(float(stamp) / 1000, dt.UTC).date()
        if first_day is not None and day < first_day:
            continue  # a bucket starting before from_ts covers part of the day before
        sums = per_day.setdefault(day, [0.0, 0.0])
        sums[0] += float(numerator or 0.0)
        sums[1] += float(denominator)
    return [
        {"slo_id": slo_id, "day": day, "good_events": sums[0], "total_events": sums[1]}
        for day, sums in sorted(per_day.items())
    ]


def slo_history(client: RESTClient, slo_id: str, from_ts: int, to_ts: int) -> dict[str, Any] | None:
    """One SLO's history response, or None if the SLO was deleted since it was listed."""
    path = settings.SLO_HISTORY_PATH.format(slo_id=slo_id)
    try:
        return get_json(client, path, {"from_ts": from_ts, "to_ts": to_ts})
    except DatadogError as exc:
        if exc.status == 404:
            log.info("source %s: SLO %s disappeared before its history was read", SOURCE, slo_id)
            return None
        raise
