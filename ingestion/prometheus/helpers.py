"""HTTP details of the Prometheus HTTP API: ``query_range``, its envelope and its errors.

One ``GET /api/v1/query_range`` per configured query returns every service's series at
once (step one day), so the cost of a run does not grow with the number of services.
Sample values are strings (``"NaN"``, ``"+Inf"`` fit); non-finite samples are no data.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Iterator
from typing import Any

from dlt.sources.helpers.rest_client import RESTClient
from requests import HTTPError, RequestException, Response

from ingestion.errors import SourceError
from ingestion.http import RetryPolicy, describe_http_error, rest_client
from ingestion.prometheus import settings

SOURCE = "prometheus"
log = logging.getLogger(__name__)


class PrometheusError(SourceError):
    """A query failed for good; the message names the source, the query and the reason."""


def prometheus_client(base_url: str, bearer_token: str | None) -> RESTClient:
    """A client for a Prometheus server, or the proxy in front of it when a token is set."""
    headers = {"Accept": "application/json"}
    if bearer_token:
        headers["Authorization"] = f"Bearer {bearer_token}"
    return rest_client(
        base_url,
        headers=headers,
        policy=RetryPolicy(settings.MAX_ATTEMPTS, settings.BACKOFF_FACTOR, settings.MAX_DELAY),
        timeout=settings.TIMEOUT,
    )


def range_window(day: dt.date, history_days: int, now: float | None = None) -> tuple[int, int]:
    """``(start, end)`` epoch seconds: ``history_days`` daily evaluation points ending on
    ``day``, each at the end of its day (or now, for today), so a point's UTC date is the
    day it describes."""
    end = int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()) + settings.STEP_SECONDS - 1
    now = time.time() if now is None else now
    if end - settings.STEP_SECONDS < now < end:
        end = int(now)
    return end - (history_days - 1) * settings.STEP_SECONDS, end


def _error_detail(response: Response) -> str:
    """``errorType: error`` from Prometheus's envelope, or the start of a text body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if isinstance(body, dict) and body.get("status") == "error":
        return f"{body.get('errorType')}: {body.get('error')}"
    return ""


def query_range(
    client: RESTClient, name: str, expression: str, start: int, end: int
) -> dict[str, Any]:
    """The ``data`` of a successful ``query_range``; a clear error naming the query if not."""
    params = {"query": expression, "start": start, "end": end, "step": settings.STEP}
    where = f"source {SOURCE}: query {name!r} ({expression})"
    try:
        response = client.get(settings.QUERY_RANGE_PATH, params=params)
    except RequestException as exc:
        raise PrometheusError(f"{where} failed: {describe_http_error(SOURCE, exc)}") from None
    if response.status_code >= 400:
        detail = _error_detail(response)
        hint = (
            " (check sources.prometheus.bearer_token)" if response.status_code in (401, 403) else ""
        )
        raise PrometheusError(
            f"{where} failed: {describe_http_error(SOURCE, HTTPError(response=response))}"
            + (f": {detail}" if detail else "")
            + hint
        )
    try:
        body = response.json()
    except ValueError:
        # the client already asked again for truncated bodies; this one stayed broken
        raise PrometheusError(
            f"{where}: malformed JSON after {settings.MAX_ATTEMPTS} attempts"
        ) from None
    return envelope_data(body, where)


def envelope_data(body: Any, where: str) -> dict[str, Any]:
    """``data`` of a ``{"status": "success", ...}`` envelope; ``status: error`` raises."""
    if not isinstance(body, dict) or "status" not in body:
        raise PrometheusError(f"{where}: the response is not a Prometheus API envelope")
    if body["status"] != "success":
        raise PrometheusError(
            f"{where} failed: {body.get('errorType') or 'error'}: {body.get('error')}"
        )
    for warning in body.get("warnings") or []:
        log.warning("%s: warning from Prometheus: %s", where, warning)
    data = body.get("data")
    if not isinstance(data, dict):
        raise PrometheusError(f"{where}: the envelope has no `data` object")
    return data


def series_key(labels: dict[str, str]) -> str:
    """The series' identity: its labels (without ``__name__``) as sorted ``k="v"`` text."""
    return ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")


def _value(text: Any) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def daily_samples(
    name: str, data: dict[str, Any], service_label: str = settings.SERVICE_LABEL
) -> Iterator[dict[str, Any]]:
    """One row per (series, UTC day) from a matrix (or vector/scalar) result.

    Series without the ``service`` label cannot be joined to the catalog: they are
    skipped with a warning naming the query.
    """
    result_type = data.get("resultType")
    result = data.get("result") or []
    if result_type == "scalar":
        result = [{"metric": {}, "values": [result]}]
    skipped = 0
    for series in result:
        labels = series.get("metric") or {}
        service = labels.get(service_label)
        if not service:
            skipped += 1
            continue
        samples = series.get("values")
        if samples is None and series.get("value") is not None:
            samples = [series["value"]]
        per_day: dict[dt.date, tuple[float, float]] = {}
        for stamp, text in samples or []:
            value = _value(text)
            if value is None:
                continue
            day = dt.datetime.fromtimestamp(float(stamp), dt.UTC).date()
            per_day[day] = (float(stamp), value)  # the day's latest sample wins
        key = series_key(labels)
        for day, (stamp, value) in sorted(per_day.items()):
            yield {
                "query_name": name,
                "series": key,
                "service": service,
                "day": day,
                "value": value,
                "sampled_at": dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None),
            }
    if skipped:
        log.warning(
            "source %s: query %r returned %d series without a %r label; they were skipped",
            SOURCE,
            name,
            skipped,
            service_label,
        )
