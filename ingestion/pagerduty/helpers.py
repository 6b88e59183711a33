"""HTTP details of the PagerDuty REST API v2: auth, offset paging under the 10,000 ceiling,
errors, row mapping.

PagerDuty's classic pagination (``limit`` ≤ 100, ``offset``, ``more``) refuses any request
whose ``offset + limit`` exceeds 10,000. Every listing therefore asks for ``total`` on its
first page and, when the collection is larger than the ceiling, splits it with a filter the
API offers: incidents by time (``since``/``until``), services and escalation policies by
``team_ids[]``, on-calls by ``escalation_policy_ids[]``. Throttling is a 429 with
``ratelimit-reset`` (seconds to wait), which ``ingestion.http.rest_client`` waits out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import requests
from dlt.common import logger
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator

from ingestion.errors import SourceError
from ingestion.http import RetryPolicy, SecretHeaderAuth, describe_http_error, rest_client
from ingestion.pagerduty.settings import (
    ACCEPT,
    INCIDENT_STATUSES,
    MAX_INCIDENT_RANGE_DAYS,
    OFFSET_CEILING,
    PAGE_SIZE,
    SOURCE,
    SPLIT_TARGET,
)

Params = dict[str, Any]
# Given the parameters of a listing and its total, the parameters of its parts (or None
# when it cannot be split further).
Split = Callable[[Params, int], list[Params] | None]


class PagerDutyError(SourceError):
    """A request to PagerDuty failed for good; the message names the source, status and path."""


def pagerduty_client(base_url: str, api_key: str, policy: RetryPolicy) -> RESTClient:
    """The shared rate-limit-aware client (it also re-asks for truncated JSON bodies)."""
    return rest_client(
        base_url,
        headers={"Accept": ACCEPT},
        auth=SecretHeaderAuth("Authorization", f"Token token={api_key}"),
        policy=policy,
    )


class OffsetCeilingPaginator(BasePaginator):
    """PagerDuty's classic pagination: next offset = offset + limit (as echoed) while
    ``more`` is true. Asks for ``total`` on the first page only. Stops where the next page
    would cross the 10,000 ceiling and says so (``stopped_at_ceiling``), so the caller
    fails instead of silently loading part of a collection."""

    def __init__(self, limit: int | None = None, ceiling: int | None = None) -> None:
        super().__init__()
        self.limit = PAGE_SIZE if limit is None else limit
        self.ceiling = OFFSET_CEILING if ceiling is None else ceiling
        self.offset = 0
        self.stopped_at_ceiling = False

    def init_request(self, request) -> None:
        self.offset = 0
        self._has_next_page = True
        self.stopped_at_ceiling = False
        request.params = {**(request.params or {}), "offset": 0, "limit": self.limit}

    def update_state(self, response: requests.Response, data: list[Any] | None = None) -> None:
        body = response.json()
        if not body.get("more"):
            self._has_next_page = False
            return
        step = int(body.get("limit") or self.limit)
        following = int(body.get("offset", self.offset)) + step
        if following + step > self.ceiling:
            self._has_next_page = False
            self.stopped_at_ceiling = True
            return
        self.offset = following

    def update_request(self, request) -> None:
        request.params.pop("total", None)
        request.params["offset"] = self.offset


def _vendor_message(response: requests.Response | None) -> str:
    """PagerDuty's ``error.message`` (and ``error.errors``) from an error body."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ""
    details = "; ".join(str(e) for e in error.get("errors") or [])
    message = f"{error.get('message', '')}" + (f" ({details})" if details else "")
    return f": {message[:300]}"


def _hint(response: requests.Response | None) -> str:
    if response is not None and response.status_code in (401, 403):
        return (
            " (check sources.pagerduty.api_key: a read-only REST API key, or a user token "
            "of someone who can see every service)"
        )
    return ""


def pages(client: RESTClient, path: str, key: str, params: Params) -> Iterator[Any]:
    """Every page (dlt ``PageData``) of an offset-paged listing, failures as ``PagerDutyError``."""
    number = 0
    paginator = OffsetCeilingPaginator()
    try:
        for page in client.paginate(
            path, params=dict(params), paginator=paginator, data_selector=key
        ):
            number += 1
            yield page
    except requests.HTTPError as error:
        message = describe_http_error(SOURCE, error)
        raise PagerDutyError(
            message + _vendor_message(error.response) + _hint(error.response)
        ) from None
    except requests.JSONDecodeError:
        raise PagerDutyError(
            f"source {SOURCE}: malformed JSON in page {number + 1} of GET {path} "
            "(still truncated after retries)"
        ) from None
    except requests.RequestException as error:
        raise PagerDutyError(describe_http_error(SOURCE, error)) from None
    if paginator.stopped_at_ceiling:
        raise PagerDutyError(
            f"source {SOURCE}: GET {path} holds more than {paginator.ceiling} items and no "
            "filter is left to split it; PagerDuty refuses offsets past that ceiling"
        )


def listing(
    client: RESTClient,
    path: str,
    key: str,
    params: Params,
    split: Split | None = None,
    identity: Callable[[Mapping[str, Any]], Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """All items of a listing. When it holds more than the offset ceiling, ``split`` gives
    parts that each fit, read one after the other; items in two parts are kept once
    (by ``identity``), and a split that loses items (e.g. services in no team) fails."""
    parts = pages(client, path, key, {**params, "total": "true"})
    first = next(parts, None)
    if first is None:
        return
    total = first.response.json().get("total")
    subsets = split(params, int(total)) if split and total and total > OFFSET_CEILING else None
    if not subsets:
        yield from first
        for page in parts:
            yield from page
        return
    parts.close()
    logger.info(f"{SOURCE}: GET {path} holds {total} items; reading it in {len(subsets)} parts")
    seen: set[Any] = set()
    for subset in subsets:
        for item in listing(client, path, key, subset, split, identity):
            marker = identity(item) if identity else None
            if marker is not None:
                if marker in seen:
                    continue
                seen.add(marker)
            yield item
    if identity is not None and len(seen) < total:
        raise PagerDutyError(
            f"source {SOURCE}: GET {path} holds {total} items, more than the offset ceiling "
            f"({OFFSET_CEILING}), and only {len(seen)} could be reached through filters"
        )


def _parts(items: Sequence[Any], count: int) -> list[list[Any]]:
    count = max(1, min(count, len(items)))
    size = math.ceil(len(items) / count)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def split_by_ids(name: str, ids: Callable[[], Sequence[str]]) -> Split:
    """Split a listing by an id filter (``team_ids[]``, ``escalation_policy_ids[]``)."""

    def split(params: Params, total: int) -> list[Params] | None:
        current = params.get(name) or list(ids())
        if len(current) <= 1:
            return None
        count = max(2, math.ceil(total / SPLIT_TARGET))
        return [{**params, name: part} for part in _parts(current, count)]

    return split


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def split_by_time(params: Params, total: int) -> list[Params] | None:
    """Split an incident window into parts expected to hold about ``SPLIT_TARGET`` each."""
    since, until = _parse_iso(params["since"]), _parse_iso(params["until"])
    seconds = int((until - since).total_seconds())
    count = min(max(2, math.ceil(total / SPLIT_TARGET)), seconds)
    if count < 2:
        return None
    edges = [since + dt.timedelta(seconds=seconds * i // count) for i in range(count + 1)]
    return [
        {**params, "since": _iso(start), "until": _iso(end)}
        for start, end in zip(edges, edges[1:], strict=False)
    ]


def _timestamp(value: str | None) -> dt.datetime | None:
    return _parse_iso(value) if value else None


def _ref_id(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def service_row(service: Mapping[str, Any]) -> dict[str, Any]:
    teams = service.get("teams") or []
    return {
        "service_id": service["id"],
        "name": service.get("name"),
        "status": service.get("status"),
        "escalation_policy_id": _ref_id(service.get("escalation_policy")),
        "team_id": _ref_id(teams[0]) if teams else None,
        "created_at": _timestamp(service.get("created_at")),
    }


def policy_row(policy: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "escalation_policy_id": policy["id"],
        "name": policy.get("name"),
        "num_loops": policy.get("num_loops"),
        "escalation_rule_count": len(policy.get("escalation_rules") or []),
    }


def target_rows(policy: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per target of each escalation rule; the level is the rule's 1-based place."""
    for level, rule in enumerate(policy.get("escalation_rules") or [], start=1):
        for target in rule.get("targets") or []:
            yield {
                "escalation_policy_id": policy["id"],
                "escalation_rule_id": rule.get("id"),
                "escalation_level": level,
                "escalation_delay_in_minutes": rule.get("escalation_delay_in_minutes"),
                "target_type": target.get("type"),
                "target_id": target.get("id"),
            }


def schedule_row(schedule: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "schedule_id": schedule["id"],
        "name": schedule.get("name"),
        "time_zone": schedule.get("time_zone"),
    }


def oncall_row(oncall: Mapping[str, Any]) -> dict[str, Any]:
    """A user on call for a policy level; ``schedule``/``start``/``end`` are null for a
    user targeted directly (always on call)."""
    return {
        "escalation_policy_id": _ref_id(oncall.get("escalation_policy")),
        "escalation_level": oncall.get("escalation_level"),
        "schedule_id": _ref_id(oncall.get("schedule")),
        "user_id": _ref_id(oncall.get("user")),
        "starts_at": _timestamp(oncall.get("start")),
        "ends_at": _timestamp(oncall.get("end")),
    }


def incident_row(incident: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "incident_id": incident["id"],
        "incident_number": incident.get("incident_number"),
        "service_id": _ref_id(incident.get("service")),
        "escalation_policy_id": _ref_id(incident.get("escalation_policy")),
        "status": incident.get("status"),
        "urgency": incident.get("urgency"),
        "created_at": _timestamp(incident.get("created_at")),
        "resolved_at": _timestamp(incident.get("resolved_at")),
        "last_status_change_at": _timestamp(incident.get("last_status_change_at")),
    }


def _by_id(item: Mapping[str, Any]) -> Any:
    return item.get("id")


def list_team_ids(client: RESTClient) -> list[str]:
    return [team["id"] for team in listing(client, "/teams", "teams", {})]


def list_services(client: RESTClient) -> Iterator[dict[str, Any]]:
    split = split_by_ids("team_ids[]", lambda: list_team_ids(client))
    for service in listing(client, "/services", "services", {}, split, _by_id):
        yield service_row(service)


def list_policies(client: RESTClient) -> list[dict[str, Any]]:
    """Escalation policies as returned (rules and targets are flattened by the caller)."""
    split = split_by_ids("team_ids[]", lambda: list_team_ids(client))
    return list(listing(client, "/escalation_policies", "escalation_policies", {}, split, _by_id))


def list_schedules(client: RESTClient) -> Iterator[dict[str, Any]]:
    for schedule in listing(client, "/schedules", "schedules", {}):
        yield schedule_row(schedule)


def list_oncalls(
    client: RESTClient, policy_ids: Callable[[], Sequence[str]]
) -> Iterator[dict[str, Any]]:
    """Who is on call now for every policy level (``earliest=true``: one entry per user,
    policy and level, the current or next shift)."""
    split = split_by_ids("escalation_policy_ids[]", policy_ids)
    for oncall in listing(client, "/oncalls", "oncalls", {"earliest": "true"}, split):
        yield oncall_row(oncall)


def incident_windows(
    since: dt.datetime, until: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """``since``..``until`` in ranges /incidents accepts (at most six months each)."""
    step = dt.timedelta(days=MAX_INCIDENT_RANGE_DAYS)
    start = since
    while start < until:
        end = min(start + step, until)
        yield start, end
        start = end


def list_incidents(
    client: RESTClient, since: dt.datetime, until: dt.datetime
) -> Iterator[dict[str, Any]]:
    """Incidents created in ``since``..``until``, every status, oldest first (ascending
    order keeps offsets stable while new incidents arrive during the read)."""
    seen: set[str] = set()
    for start, end in incident_windows(since, until):
        params: Params = {
            "since": _iso(start),
            "until": _iso(end),
            "statuses[]": list(INCIDENT_STATUSES),
            "sort_by": "created_at:asc",
            "time_zone": "UTC",
        }
        for incident in listing(client, "/incidents", "incidents", params, split_by_time):
            if incident["id"] not in seen:
                seen.add(incident["id"])
                yield incident_row(incident)
