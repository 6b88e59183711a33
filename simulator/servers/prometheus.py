"""The Prometheus HTTP API (``/api/v1/query``, ``/api/v1/query_range``), API_SHAPES.md §7.

Series (one per SLO exported to Prometheus, labels ``service`` = catalog component name,
``team``, ``slo``):

- ``slo:sli_availability:ratio_rate30d`` — good/total over the 30 days ending that day
- ``slo:sli_availability:ratio_rate1d`` — good/total of that day
- ``slo:objective:ratio`` — the SLO target as a ratio

Resolution is daily: one sample at 00:00 UTC per day, and selectors look back one day
(instead of Prometheus's five minutes) so any time of a day sees that day's sample.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

from simulator.model import Slo
from simulator.servers.framework import ApiServer, Request, Response, json_response, text_response
from simulator.servers.promql import PromQLError, Query, parse, parse_duration
from simulator.timeline import DAY_SECONDS, day_end_epoch, day_start_epoch, epoch_to_day

LOOKBACK = DAY_SECONDS
MAX_POINTS = 11_000
METRICS = (
    "slo:sli_availability:ratio_rate30d",
    "slo:sli_availability:ratio_rate1d",
    "slo:objective:ratio",
)


def _error(
    status: int, error_type: str, message: str, headers: list[tuple[str, str]] | None = None
) -> Response:
    return json_response(
        status, {"status": "error", "errorType": error_type, "error": message}, headers
    )


def _format(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _parse_time(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise PromQLError(
            f'invalid parameter "{name}": cannot parse "{value}" to a valid timestamp'
        ) from exc


class PrometheusApi(ApiServer):
    source = "prometheus"

    def register_routes(self) -> None:
        self.series: list[tuple[dict[str, str], Slo, str]] = []
        for slo in self.company.slos:
            if not slo.in_prometheus:
                continue
            service = self.company.services[slo.service]
            labels = {
                "service": service.name,
                "team": self.company.teams[service.owner_team].name,
                "slo": slo.kind,
            }
            for metric in METRICS:
                self.series.append(({"__name__": metric, **labels}, slo, metric))
        for method in ("GET", "POST"):
            self.route(method, "/api/v1/query", self.query)
            self.route(method, "/api/v1/query_range", self.query_range)
        self.route("GET", "/api/v1/labels", self.labels)
        self.route("GET", "/api/v1/label/{name}/values", self.label_values)
        self.route("GET", "/-/healthy", self.healthy)

    # -- vendor behaviour ----------------------------------------------------------------

    def authenticate(self, req: Request) -> Response | None:
        token = self.credentials.get("bearer_token")
        if not token or req.template == "/-/healthy":
            return None
        if req.headers.get("Authorization", "") == f"Bearer {token}":
            return None
        return text_response(401, "Unauthorized\n")

    def expired_token(self, req: Request) -> Response:
        return text_response(401, "Unauthorized\n")

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        # Prometheus does not throttle; the proxy in front of it does, with Retry-After.
        return _error(
            429,
            "unavailable",
            "too many requests",
            [("Retry-After", str(int(params["reset_seconds"])))],
        )

    def server_error(self, req: Request, status: int) -> Response:
        if status == 503:
            return _error(503, "unavailable", "Service Unavailable")
        return _error(status, "internal", "internal server error")

    def not_found(self, req: Request) -> Response:
        return text_response(404, "404 page not found\n")

    # -- evaluation ----------------------------------------------------------------------

    def _value(self, slo: Slo, metric: str, day: int, as_of: int) -> float | None:
        if day > as_of:
            return None
        events = self.company.events
        if events.slo_daily(slo, day) is None:
            return None
        if metric == "slo:objective:ratio":
            return round(slo.target / 100.0, 6)
        if metric == "slo:sli_availability:ratio_rate1d":
            return round((events.slo_daily(slo, day) or 0.0) / 100.0, 9)
        sli = events.slo_sli(slo, day - 29, day)
        return None if sli is None else round(sli / 100.0, 9)

    def _samples(
        self, slo: Slo, metric: str, start: float, end: float, as_of: int
    ) -> list[tuple[float, float]]:
        """Daily samples with timestamps in (start, end]."""
        out = []
        first_day = epoch_to_day(start) if start >= 0 else 0
        for day in range(first_day, epoch_to_day(end) + 1):
            ts = day_start_epoch(day)
            if start < ts <= end and (value := self._value(slo, metric, day, as_of)) is not None:
                out.append((float(ts), value))
        return out

    def _evaluate(self, query: Query, t: float, as_of: int) -> list[tuple[dict[str, str], float]]:
        results = []
        for labels, slo, metric in self.series:
            if not query.selects(labels):
                continue
            if query.function is None:
                samples = self._samples(slo, metric, t - LOOKBACK, t, as_of)
                if samples:
                    results.append((labels, samples[-1][1]))
                continue
            samples = self._samples(slo, metric, t - (query.range_seconds or 0), t, as_of)
            if not samples:
                continue
            values = [v for _, v in samples]
            value = {
                "avg_over_time": sum(values) / len(values),
                "min_over_time": min(values),
                "max_over_time": max(values),
                "last_over_time": values[-1],
                "count_over_time": float(len(values)),
            }[query.function]
            results.append(({k: v for k, v in labels.items() if k != "__name__"}, value))
        return results

    def _as_of_limit(self, req: Request) -> float:
        end = day_end_epoch(req.day)
        return min(time.time(), end) if req.day == self.company.today_day else float(end)

    def query(self, req: Request) -> Response:
        text = req.arg("query")
        if text is None:
            return _error(
                400,
                "bad_data",
                'invalid parameter "query": 1:1: parse error: no expression found in input',
            )
        try:
            t = _parse_time(req.arg("time"), "time") if req.arg("time") else self._as_of_limit(req)
            parsed = parse(text)
        except PromQLError as exc:
            message = (
                str(exc)
                if str(exc).startswith("invalid parameter")
                else f'invalid parameter "query": {exc}'
            )
            return _error(400, "bad_data", message)
        result = [
            {"metric": labels, "value": [t, _format(v)]}
            for labels, v in self._evaluate(parsed, t, req.day)
        ]
        return json_response(
            200, {"status": "success", "data": {"resultType": "vector", "result": result}}
        )

    def query_range(self, req: Request) -> Response:
        text = req.arg("query")
        try:
            if text is None:
                raise PromQLError(
                    'invalid parameter "query": 1:1: parse error: no expression found in input'
                )
            start = _parse_time(req.arg("start") or "", "start")
            end = _parse_time(req.arg("end") or "", "end")
            step_text = req.arg("step") or ""
            try:
                step = float(step_text)
            except ValueError:
                step = parse_duration(step_text) if step_text else 0.0
            if step <= 0:
                raise PromQLError(
                    'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'
                )
            if end < start:
                raise PromQLError(
                    'invalid parameter "end": end timestamp must not be before start time'
                )
            if (end - start) / step > MAX_POINTS:
                raise PromQLError(
                    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
                )
            parsed = parse(text)
        except PromQLError as exc:
            message = str(exc)
            if not message.startswith(("invalid parameter", "exceeded")):
                message = f'invalid parameter "query": {message}'
            return _error(400, "bad_data", message)
        series: dict[tuple[tuple[str, str], ...], list[list[Any]]] = {}
        t = start
        while t <= end + 1e-9:
            for labels, value in self._evaluate(parsed, t, req.day):
                series.setdefault(tuple(sorted(labels.items())), []).append([t, _format(value)])
            t += step
        result = [{"metric": dict(key), "values": values} for key, values in series.items()]
        return json_response(
            200, {"status": "success", "data": {"resultType": "matrix", "result": result}}
        )

    def labels(self, req: Request) -> Response:
        return json_response(
            200, {"status": "success", "data": ["__name__", "service", "slo", "team"]}
        )

    def label_values(self, req: Request) -> Response:
        name = req.params["name"]
        values = sorted({labels.get(name, "") for labels, _, _ in self.series} - {""})
        return json_response(200, {"status": "success", "data": values})

    def healthy(self, req: Request) -> Response:
        return text_response(200, "Prometheus Server is Healthy.\n")
