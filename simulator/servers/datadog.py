"""The Datadog v1 API for SLOs, SLO history and monitors, API_SHAPES.md §6."""

from __future__ import annotations

import time
from typing import Any

from simulator.determinism import hash64
from simulator.model import Monitor, Slo
from simulator.servers.framework import (
    ApiServer,
    BadRequest,
    RateWindow,
    Request,
    Response,
    json_response,
)
from simulator.timeline import (
    DAY_SECONDS,
    day_end_epoch,
    day_start_epoch,
    epoch_to_day,
    iso_micros_offset,
)

ORG_ID = 321813
CREATOR = {"name": None, "handle": "sre-bot@acme.example", "email": "sre-bot@acme.example"}


def _errors(status: int, *messages: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return json_response(status, {"errors": list(messages)}, headers)


def _display(value: float) -> str:
    """Datadog's ``target_display``: ``99.9``, but ``90.`` for whole numbers."""
    text = f"{value:.3f}".rstrip("0")
    return text


class DatadogApi(ApiServer):
    source = "datadog"

    def register_routes(self) -> None:
        self.windows = {
            "slo": RateWindow(1000, 60),
            "slo_history": RateWindow(300, 60),
            "monitor": RateWindow(1000, 60),
        }
        r = self.route
        r("GET", "/api/v1/slo", self.list_slos)
        r("GET", "/api/v1/slo/{slo_id}", self.get_slo)
        r("GET", "/api/v1/slo/{slo_id}/history", self.slo_history)
        r("GET", "/api/v1/monitor", self.list_monitors)
        r("GET", "/api/v1/monitor/{monitor_id}", self.get_monitor)
        r("GET", "/api/v1/validate", self.validate_key)

    # -- vendor behaviour ----------------------------------------------------------------

    def authenticate(self, req: Request) -> Response | None:
        api_key = req.headers.get("DD-API-KEY")
        app_key = req.headers.get("DD-APPLICATION-KEY")
        if api_key == self.credentials["api_key"] and (
            req.template == "/api/v1/validate" or app_key == self.credentials["application_key"]
        ):
            return None
        return _errors(403, "Forbidden")

    def expired_token(self, req: Request) -> Response:
        return _errors(403, "Forbidden")

    def _bucket(self, req: Request) -> str:
        if req.template.endswith("/history"):
            return "slo_history"
        return "monitor" if "monitor" in req.template else "slo"

    def rate_headers(self, req: Request) -> list[tuple[str, str]]:
        bucket = self._bucket(req)
        limit, remaining, _, reset = self.windows[bucket].hit()
        return [
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-period", "60"),
            ("x-ratelimit-remaining", str(remaining)),
            ("x-ratelimit-reset", str(max(1, reset - int(time.time())))),
            ("x-ratelimit-name", f"{bucket}_api"),
        ]

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        bucket = self._bucket(req)
        headers = [
            ("x-ratelimit-limit", str(self.windows[bucket].limit)),
            ("x-ratelimit-period", "60"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", str(int(params["reset_seconds"]))),
            ("x-ratelimit-name", f"{bucket}_api"),
        ]
        return _errors(429, "Rate limit exceeded", headers=headers)

    def server_error(self, req: Request, status: int) -> Response:
        return _errors(status, "Internal Server Error")

    def invalid_cursor(self, req: Request) -> Response:
        return _errors(400, "Invalid offset: the requested page is not available")

    def not_found(self, req: Request) -> Response:
        return _errors(404, "Not found")

    def is_follow_up_page(self, req: Request) -> bool:
        try:
            return (
                req.int_arg("offset", 0) > 0
                or req.int_arg("page", 0) > 0
                or bool(req.arg("id_offset"))
            )
        except ValueError:
            return False

    # -- objects -------------------------------------------------------------------------

    def _slo_tags(self, slo: Slo) -> list[str]:
        service = self.company.services[slo.service]
        team = self.company.teams[service.owner_team]
        return [
            f"service:{service.dd_service}",
            f"team:{team.name}",
            "env:prod",
            f"tier:{service.tier}",
            f"sli:{slo.kind}",
        ]

    def _queries(self, slo: Slo) -> dict[str, str]:
        tag = self.company.services[slo.service].dd_service
        if slo.kind == "latency":
            good = f"sum:trace.http.request.hits.by_http_status{{service:{tag},env:prod,latency_bucket:fast}}.as_count()"
        else:
            good = f"sum:trace.http.request.hits{{service:{tag},env:prod,!http.status_class:5xx}}.as_count()"
        return {
            "numerator": good,
            "denominator": f"sum:trace.http.request.hits{{service:{tag},env:prod}}.as_count()",
        }

    def _threshold(self, slo: Slo) -> dict[str, Any]:
        threshold: dict[str, Any] = {
            "timeframe": slo.timeframe,
            "target": slo.target,
            "target_display": _display(slo.target),
        }
        if slo.warning is not None:
            threshold.update({"warning": slo.warning, "warning_display": _display(slo.warning)})
        return threshold

    def _slo(self, slo: Slo) -> dict[str, Any]:
        created = day_start_epoch(slo.created_day) + 43_210
        obj: dict[str, Any] = {
            "id": slo.id,
            "name": slo.name,
            "tags": self._slo_tags(slo),
            "monitor_tags": [],
            "thresholds": [self._threshold(slo)],
            "type": "metric",
            "type_id": 1,
            "description": f"{slo.kind.capitalize()} of {self.company.services[slo.service].title} over {slo.timeframe}.",
            "timeframe": slo.timeframe,
            "target_threshold": slo.target,
        }
        if slo.warning is not None:
            obj["warning_threshold"] = slo.warning
        obj.update(
            {
                "query": self._queries(slo),
                "creator": CREATOR,
                "created_at": created,
                "modified_at": created,
            }
        )
        return obj

    def _slo_of(self, req: Request) -> Slo:
        index = self.company.lookup("slo").get(req.params["slo_id"])
        if index is None or self.company.slos[index].created_day > req.day:
            raise BadRequest(_errors(404, "slo not found"))
        return self.company.slos[index]

    def _monitor_state(self, monitor: Monitor, day: int) -> tuple[str, int]:
        service = self.company.services[monitor.service]
        end = day_end_epoch(day)
        recent = [
            i
            for i in self.company.events.service_incidents(service)
            if end - 3 * DAY_SECONDS < i.created <= end
        ]
        if recent and recent[-1].status_at(end) != "resolved":
            return "Alert", recent[-1].created
        if hash64(monitor.id, day) % 29 == 0:
            return "No Data", day_start_epoch(day) + 3600
        if hash64(monitor.id, day) % 17 == 0:
            return "Warn", day_start_epoch(day) + 7200
        changed = (
            recent[-1].resolved
            if recent
            else day_start_epoch(max(monitor.created_day, day - 20)) + 600
        )
        return "OK", min(changed, end)

    def _monitor(self, monitor: Monitor, day: int) -> dict[str, Any]:
        created = day_start_epoch(monitor.created_day) + 51_000
        state, changed = self._monitor_state(monitor, day)
        critical = 0.05 if "errors" in monitor.query else 0.5 if "duration" in monitor.query else 50
        return {
            "id": monitor.id,
            "org_id": ORG_ID,
            "type": monitor.type,
            "name": monitor.name,
            "message": f"{monitor.name}. Notify: @pagerduty-{self.company.services[monitor.service].name} @slack-{self.company.teams[self.company.services[monitor.service].owner_team].name}",
            "tags": list(monitor.tags),
            "query": monitor.query,
            "options": {
                "notify_audit": False,
                "locked": False,
                "include_tags": True,
                "thresholds": {"critical": critical},
                "new_host_delay": 300,
                "require_full_window": False,
                "notify_no_data": monitor.type == "service check",
                "silenced": {},
            },
            "multi": monitor.type == "service check",
            "created_at": created * 1000,
            "created": iso_micros_offset(created),
            "modified": iso_micros_offset(created),
            "deleted": None,
            "restricted_roles": None,
            "priority": monitor.priority,
            "overall_state_modified": iso_micros_offset(changed).replace(".000000", ""),
            "overall_state": state,
            "creator": {**CREATOR, "id": 1445416},
            "matching_downtimes": [],
        }

    # -- endpoints -----------------------------------------------------------------------

    def validate_key(self, req: Request) -> Response:
        return json_response(200, {"valid": True})

    def list_slos(self, req: Request) -> Response:
        slos = [s for s in self.company.slos if s.created_day <= req.day]
        ids = {i for i in (req.arg("ids") or "").split(",") if i}
        if ids:
            slos = [s for s in slos if s.id in ids]
        query = (req.arg("query") or "").lower()
        if query:
            slos = [s for s in slos if query in s.name.lower()]
        tags_query = req.arg("tags_query")
        if tags_query:
            wanted = {t.strip() for t in tags_query.replace(" AND ", ",").split(",") if t.strip()}
            slos = [s for s in slos if wanted <= set(self._slo_tags(s))]
        try:
            limit = req.int_arg("limit", 1000)
            offset = req.int_arg("offset", 0)
        except ValueError:
            return _errors(400, "Invalid limit or offset")
        if limit < 1 or offset < 0:
            return _errors(400, "Invalid limit or offset")
        chunk = slos[offset : offset + limit]
        body: dict[str, Any] = {"data": [self._slo(s) for s in chunk], "error": None}
        if req.arg("limit") is not None or req.arg("offset") is not None:
            body["metadata"] = {
                "page": {"total_count": len(self.company.slos), "total_filtered_count": len(slos)}
            }
        return json_response(200, body)

    def get_slo(self, req: Request) -> Response:
        return json_response(200, {"data": self._slo(self._slo_of(req)), "errors": []})

    def slo_history(self, req: Request) -> Response:
        slo = self._slo_of(req)
        try:
            from_ts = int(float(req.arg("from_ts") or ""))
            to_ts = int(float(req.arg("to_ts") or ""))
        except ValueError:
            return _errors(400, "from_ts and to_ts are required integer query parameters")
        if from_ts >= to_ts:
            return _errors(400, "from_ts must be before to_ts")
        to_ts = min(to_ts, day_end_epoch(req.day))
        events = self.company.events
        first_day, last_day = epoch_to_day(from_ts), epoch_to_day(to_ts)
        days = [d for d in range(first_day, last_day + 1) if events.slo_daily(slo, d) is not None]
        traffic = events.slo_traffic(slo)
        times = [day_start_epoch(d) * 1000.0 for d in days]
        denominators = [float(traffic) for _ in days]
        numerators = [round(traffic * (events.slo_daily(slo, d) or 0.0) / 100.0, 1) for d in days]
        queries = self._queries(slo)
        threshold = self._threshold(slo)
        sli = events.slo_sli(slo, first_day, last_day) if days else None
        if sli is None:
            overall: dict[str, Any] = {
                "errors": [
                    {
                        "error_message": "The denominator is zero valued",
                        "error_type": "ZERO_VALUED_DENOMINATOR",
                    }
                ],
                "sli_value": None,
                "span_precision": 2,
                "precision": {slo.timeframe: 0},
                "uptime": None,
                "corrections": [],
                "state": "no_data",
            }
        else:
            budget = 100.0 - slo.target
            remaining = 100.0 * (sli - slo.target) / budget if budget else 0.0
            state = (
                "breached"
                if sli < slo.target
                else "warning"
                if slo.warning is not None and sli < slo.warning
                else "ok"
            )
            overall = {
                "errors": None,
                "sli_value": round(sli, 5),
                "span_precision": 2,
                "precision": {slo.timeframe: 2},
                "uptime": None,
                "corrections": [],
                "state": state,
                "error_budget_remaining": {slo.timeframe: round(remaining, 3)},
            }

        def series_part(values: list[float], query: str, index: int) -> dict[str, Any]:
            return {
                "values": values,
                "metadata": {
                    "unit": None,
                    "query_index": index,
                    "aggr": "sum",
                    "metric": "trace.http.request.hits",
                    "tag_set": [],
                    "expression": query,
                    "scope": query.split("{", 1)[1].split("}", 1)[0],
                },
                "sum": round(sum(values), 1),
                "count": len(values),
            }

        data = {
            "thresholds": {slo.timeframe: threshold},
            "from_ts": from_ts,
            "to_ts": to_ts,
            "type": "metric",
            "type_id": 1,
            "slo": self._slo(slo),
            "group_by": [],
            "series": {
                "timing": "0.0123",
                "res_type": "time_series",
                "resp_version": 2,
                "query": f"{queries['numerator']}, {queries['denominator']}",
                "from_date": from_ts * 1000,
                "to_date": to_ts * 1000,
                "message": "",
                "interval": DAY_SECONDS,
                "times": times,
                "numerator": series_part(numerators, queries["numerator"], 0),
                "denominator": series_part(denominators, queries["denominator"], 1),
                "numerator_query": queries["numerator"],
                "denominator_query": queries["denominator"],
                "bad_series_query": f"{queries['denominator']} - {queries['numerator']}",
                "graph_query": f"{queries['numerator']}, {queries['denominator']} - {queries['numerator']}",
            },
            "overall": overall,
        }
        return json_response(200, {"data": data, "errors": None})

    def _monitors_on(self, req: Request) -> list[Monitor]:
        return [m for m in self.company.monitors if m.exists_on(req.day)]

    def list_monitors(self, req: Request) -> Response:
        monitors = sorted(self._monitors_on(req), key=lambda m: m.id)
        for param in ("monitor_tags", "tags"):
            wanted = {t.strip() for t in (req.arg(param) or "").split(",") if t.strip()}
            if wanted:
                monitors = [m for m in monitors if wanted <= set(m.tags)]
        name = (req.arg("name") or "").lower()
        if name:
            monitors = [m for m in monitors if name in m.name.lower()]
        try:
            if req.arg("id_offset"):
                id_offset = int(req.arg("id_offset") or 0)
                monitors = [m for m in monitors if m.id > id_offset]
            if req.arg("page") is not None:
                page = req.int_arg("page", 0)
                page_size = min(1000, req.int_arg("page_size", 100))
                if page < 0 or page_size < 1:
                    return _errors(400, "Invalid page or page_size")
                monitors = monitors[page * page_size : (page + 1) * page_size]
            elif req.arg("page_size") is not None:
                monitors = monitors[: min(1000, req.int_arg("page_size", 100))]
        except ValueError:
            return _errors(400, "Invalid page, page_size or id_offset")
        return json_response(200, [self._monitor(m, req.day) for m in monitors])

    def get_monitor(self, req: Request) -> Response:
        index = self.company.lookup("monitor").get(req.params["monitor_id"])
        if index is None or not self.company.monitors[index].exists_on(req.day):
            return _errors(404, "Monitor not found")
        return json_response(200, self._monitor(self.company.monitors[index], req.day))
