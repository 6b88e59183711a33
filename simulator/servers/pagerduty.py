"""The PagerDuty REST API v2 (services, policies, schedules, on-calls, incidents, users),
API_SHAPES.md §4."""

from __future__ import annotations

import bisect
import datetime as dt
import time
import uuid
from typing import Any

from simulator.events import Incident
from simulator.model import EscalationPolicy, Person, Schedule, Service, Team
from simulator.servers.framework import (
    ApiServer,
    BadRequest,
    RateWindow,
    Request,
    Response,
    json_response,
)
from simulator.timeline import DAY_SECONDS, day_end_epoch, day_start_epoch, iso

WEB = "https://acme.pagerduty.com"
MAX_LIMIT = 100
OFFSET_CEILING = 10_000


def _error(
    status: int,
    message: str,
    code: int,
    errors: list[str] | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return json_response(status, {"error": body}, headers)


def _parse_time(value: str, name: str) -> int:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(
            _error(400, "Invalid Input Provided", 2001, [f"{name} is not a valid ISO 8601 date."])
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return int(parsed.timestamp())


class PagerDutyApi(ApiServer):
    source = "pagerduty"

    def register_routes(self) -> None:
        self.window = RateWindow(960, 60)
        self._policies_by_team: dict[int, list[EscalationPolicy]] = {}
        for ep in self.company.escalation_policies:
            self._policies_by_team.setdefault(ep.team, []).append(ep)
        self._services_by_ep: dict[int, list[Service]] = {}
        for s in self.company.services:
            if s.escalation_policy is not None and s.pd_service_id:
                self._services_by_ep.setdefault(s.escalation_policy, []).append(s)
        r = self.route
        r("GET", "/services", self.list_services)
        r("GET", "/services/{id}", self.get_service)
        r("GET", "/escalation_policies", self.list_policies)
        r("GET", "/escalation_policies/{id}", self.get_policy)
        r("GET", "/schedules", self.list_schedules)
        r("GET", "/schedules/{id}", self.get_schedule)
        r("GET", "/oncalls", self.list_oncalls)
        r("GET", "/incidents", self.list_incidents)
        r("GET", "/incidents/{id}", self.get_incident)
        r("GET", "/users", self.list_users)
        r("GET", "/teams", self.list_teams)

    # -- vendor behaviour ----------------------------------------------------------------

    def authenticate(self, req: Request) -> Response | None:
        header = req.headers.get("Authorization", "")
        if (
            header.startswith("Token token=")
            and header[len("Token token=") :].strip() == self.credentials["api_key"]
        ):
            return None
        return _error(401, "Authentication failed", 2006)

    def expired_token(self, req: Request) -> Response:
        return _error(401, "Authentication failed", 2006)

    def rate_headers(self, req: Request) -> list[tuple[str, str]]:
        limit, remaining, _, reset = self.window.hit()
        return [
            ("ratelimit-limit", str(limit)),
            ("ratelimit-remaining", str(remaining)),
            ("ratelimit-reset", str(max(1, reset - int(time.time())))),
            ("x-request-id", uuid.uuid4().hex),
        ]

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        headers = [
            ("ratelimit-limit", str(self.window.limit)),
            ("ratelimit-remaining", "0"),
            ("ratelimit-reset", str(int(params["reset_seconds"]))),
            ("x-request-id", uuid.uuid4().hex),
        ]
        return _error(429, "Rate Limit Exceeded", 2020, headers=headers)

    def server_error(self, req: Request, status: int) -> Response:
        return _error(status, "Internal Server Error", 2013 if status == 500 else 2014)

    def invalid_cursor(self, req: Request) -> Response:
        return _error(
            400, "Invalid Input Provided", 2001, ["Offset is not valid for this collection."]
        )

    def not_found(self, req: Request) -> Response:
        return _error(404, "Not Found", 2100)

    def is_follow_up_page(self, req: Request) -> bool:
        try:
            return req.int_arg("offset", 0) > 0
        except ValueError:
            return False

    # -- references and objects -----------------------------------------------------------

    def _ref(
        self, req: Request, kind: str, plural: str, id_: str, summary: str, web: str | None = None
    ) -> dict[str, Any]:
        ref = {
            "id": id_,
            "type": f"{kind}_reference",
            "summary": summary,
            "self": f"{req.base}/{plural}/{id_}",
        }
        ref["html_url"] = f"{WEB}/{web or plural}/{id_}"
        return ref

    def _team_ref(self, req: Request, team: Team) -> dict[str, Any]:
        return self._ref(req, "team", "teams", team.pd_team_id, team.title)

    def _user_ref(self, req: Request, person: Person) -> dict[str, Any]:
        return self._ref(req, "user", "users", person.pd_user_id or "", person.display_name)

    def _schedule_ref(self, req: Request, schedule: Schedule) -> dict[str, Any]:
        return self._ref(req, "schedule", "schedules", schedule.id, schedule.name)

    def _ep_ref(self, req: Request, ep: EscalationPolicy) -> dict[str, Any]:
        return self._ref(req, "escalation_policy", "escalation_policies", ep.id, ep.name)

    def _service_ref(self, req: Request, service: Service) -> dict[str, Any]:
        return self._ref(
            req,
            "service",
            "services",
            service.pd_service_id or "",
            service.title,
            "service-directory",
        )

    def _rules(self, req: Request, ep: EscalationPolicy) -> list[dict[str, Any]]:
        schedule = self.company.schedules[ep.schedule]
        rules = []
        for level in range(ep.tiers_on(req.day)):
            if level == 0 or level - 1 >= len(ep.tier_users):
                targets = [self._schedule_ref(req, schedule)]
            else:
                person = self.company.people[ep.tier_users[level - 1]]
                targets = [self._user_ref(req, person)]
            rules.append(
                {
                    "id": ep.rule_ids[level],
                    "escalation_delay_in_minutes": 15 * (level + 1),
                    "targets": targets,
                }
            )
        return rules

    def _policy(self, req: Request, ep: EscalationPolicy) -> dict[str, Any]:
        team = self.company.teams[ep.team]
        return {
            "id": ep.id,
            "type": "escalation_policy",
            "summary": ep.name,
            "self": f"{req.base}/escalation_policies/{ep.id}",
            "html_url": f"{WEB}/escalation_policies/{ep.id}",
            "name": ep.name,
            "on_call_handoff_notifications": "if_has_services",
            "escalation_rules": self._rules(req, ep),
            "services": [
                self._service_ref(req, s)
                for s in self._services_by_ep.get(ep.index, [])
                if s.exists_on(req.day)
            ],
            "num_loops": 0,
            "teams": [self._team_ref(req, team)],
        }

    def _service(self, req: Request, service: Service, include: set[str]) -> dict[str, Any]:
        team = self.company.teams[service.owner_team]
        ep = (
            self.company.escalation_policies[service.escalation_policy]
            if service.escalation_policy is not None
            else None
        )
        created = day_start_epoch(service.created_day) + 40_000
        incidents = [
            i
            for i in self.company.events.service_incidents(service)
            if i.created <= day_end_epoch(req.day)
        ]
        return {
            "id": service.pd_service_id,
            "summary": service.title,
            "type": "service",
            "self": f"{req.base}/services/{service.pd_service_id}",
            "html_url": f"{WEB}/service-directory/{service.pd_service_id}",
            "name": service.title,
            "description": service.description,
            "auto_resolve_timeout": 14400,
            "acknowledgement_timeout": 600,
            "created_at": iso(created),
            "status": "critical"
            if incidents and incidents[-1].status_at(day_end_epoch(req.day)) != "resolved"
            else "active",
            "last_incident_timestamp": iso(incidents[-1].created) if incidents else None,
            "alert_creation": "create_alerts_and_incidents",
            "alert_grouping_parameters": {"type": "intelligent"},
            "integrations": [
                self._ref(
                    req,
                    "generic_events_api_inbound_integration",
                    f"services/{service.pd_service_id}/integrations",
                    f"P{service.pd_service_id[1:]}I"[:7],
                    "Events API v2",
                )
            ],
            "escalation_policy": (
                self._policy(req, ep) if "escalation_policies" in include else self._ep_ref(req, ep)
            )
            if ep
            else None,
            "teams": [
                {**self._team_ref(req, team), "type": "team", "name": team.title}
                if "teams" in include
                else self._team_ref(req, team)
            ],
            "incident_urgency_rule": {
                "type": "constant",
                "urgency": "high" if service.tier == "tier-1" else "low",
            },
            "support_hours": None,
            "scheduled_actions": [],
            "auto_pause_notifications_parameters": {"enabled": False, "timeout": None},
        }

    def _schedule(self, req: Request, schedule: Schedule) -> dict[str, Any]:
        team = self.company.teams[schedule.team]
        users = [
            self.company.people[p]
            for p in schedule.users
            if self.company.people[p].exists_on(req.day)
        ]
        return {
            "id": schedule.id,
            "type": "schedule",
            "summary": schedule.name,
            "self": f"{req.base}/schedules/{schedule.id}",
            "html_url": f"{WEB}/schedules/{schedule.id}",
            "name": schedule.name,
            "time_zone": schedule.time_zone,
            "description": f"Weekly rotation of {team.title}",
            "escalation_policies": [
                self._ep_ref(req, ep) for ep in self._policies_by_team.get(schedule.team, [])
            ],
            "users": [self._user_ref(req, p) for p in users],
            "teams": [self._team_ref(req, team)],
        }

    def _incident(self, req: Request, incident: Incident) -> dict[str, Any]:
        cutoff = day_end_epoch(req.day)
        service = self.company.services[incident.service]
        team = self.company.teams[service.owner_team]
        ep = (
            self.company.escalation_policies[service.escalation_policy]
            if service.escalation_policy is not None
            else None
        )
        status = incident.status_at(cutoff) or "triggered"
        last_change = {"resolved": incident.resolved, "acknowledged": incident.acknowledged}.get(
            status, incident.created
        )
        responder = self._on_call_person(req, ep, incident.created) if ep else None
        responder_ref = self._user_ref(req, responder) if responder else None
        return {
            "id": incident.id,
            "type": "incident",
            "summary": f"[#{incident.number}] {incident.title}",
            "self": f"{req.base}/incidents/{incident.id}",
            "html_url": f"{WEB}/incidents/{incident.id}",
            "incident_number": incident.number,
            "title": incident.title,
            "created_at": iso(incident.created),
            "updated_at": iso(last_change),
            "status": status,
            "incident_key": f"{incident.id.lower()}{incident.number:08x}",
            "service": self._service_ref(req, service),
            "assignments": (
                [{"at": iso(incident.created + 30), "assignee": responder_ref}]
                if status == "triggered" and responder_ref
                else []
            ),
            "assigned_via": "escalation_policy",
            "last_status_change_at": iso(last_change),
            "resolved_at": iso(incident.resolved) if status == "resolved" else None,
            "first_trigger_log_entry": self._ref(
                req,
                "trigger_log_entry",
                "log_entries",
                f"R{incident.id[1:]}",
                "Triggered through the API",
            ),
            "alert_counts": {
                "all": 1,
                "triggered": 0 if status == "resolved" else 1,
                "resolved": 1 if status == "resolved" else 0,
            },
            "is_mergeable": True,
            "incident_type": {"name": "incident_default"},
            "escalation_policy": self._ep_ref(req, ep) if ep else None,
            "teams": [self._team_ref(req, team)],
            "pending_actions": [],
            "acknowledgements": (
                [{"at": iso(incident.acknowledged), "acknowledger": responder_ref}]
                if status == "acknowledged" and responder_ref
                else []
            ),
            "alert_grouping": None,
            "last_status_change_by": responder_ref
            if status != "triggered"
            else self._service_ref(req, service),
            "priority": (
                {
                    "id": "PPRIO1" if incident.urgency == "high" else "PPRIO3",
                    "type": "priority_reference",
                    "summary": "P1" if incident.urgency == "high" else "P3",
                    "self": f"{req.base}/priorities/PPRIO1",
                }
                if service.tier == "tier-1"
                else None
            ),
            "resolve_reason": None,
            "conference_bridge": None,
            "incidents_responders": [],
            "responder_requests": [],
            "urgency": incident.urgency,
        }

    def _on_call_person(self, req: Request, ep: EscalationPolicy | None, at: int) -> Person | None:
        if ep is None:
            return None
        schedule = self.company.schedules[ep.schedule]
        if not schedule.users:
            return None
        week = (at // DAY_SECONDS + 3) // 7  # weeks starting on Monday
        return self.company.people[schedule.users[week % len(schedule.users)]]

    # -- paging --------------------------------------------------------------------------

    def _page(self, req: Request, key: str, items: list[Any], render: Any) -> Response:
        try:
            limit = req.int_arg("limit", 25)
            offset = req.int_arg("offset", 0)
        except ValueError:
            return _error(
                400, "Invalid Input Provided", 2001, ["limit and offset must be integers."]
            )
        if offset < 0 or limit < 1:
            return _error(
                400,
                "Invalid Input Provided",
                2001,
                ["Offset must be a non-negative integer and limit positive."],
            )
        limit = min(MAX_LIMIT, limit)
        if offset + limit > OFFSET_CEILING:
            return _error(
                400,
                "Arguments Caused Error",
                2002,
                [
                    "Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search to reduce the returned set of records below this number, like adding a date range."
                ],
            )
        chunk = items[offset : offset + limit]
        total = len(items) if (req.arg("total") or "").lower() == "true" else None
        return json_response(
            200,
            {
                key: [render(i) for i in chunk],
                "limit": limit,
                "offset": offset,
                "more": offset + limit < len(items),
                "total": total,
            },
        )

    def _include(self, req: Request) -> set[str]:
        return set(req.args("include"))

    # -- endpoints -----------------------------------------------------------------------

    def list_services(self, req: Request) -> Response:
        services = [s for s in self.company.services if s.pd_service_id and s.exists_on(req.day)]
        team_ids = set(req.args("team_ids"))
        if team_ids:
            services = [
                s for s in services if self.company.teams[s.owner_team].pd_team_id in team_ids
            ]
        query = (req.arg("query") or "").lower()
        if query:
            services = [s for s in services if query in s.title.lower()]
        services.sort(key=lambda s: (s.title.lower(), s.index))
        include = self._include(req)
        return self._page(req, "services", services, lambda s: self._service(req, s, include))

    def get_service(self, req: Request) -> Response:
        index = self.company.lookup("pd_service").get(req.params["id"])
        if index is None or not self.company.services[index].exists_on(req.day):
            return self.not_found(req)
        return json_response(
            200, {"service": self._service(req, self.company.services[index], self._include(req))}
        )

    def list_policies(self, req: Request) -> Response:
        policies = list(self.company.escalation_policies)
        team_ids = set(req.args("team_ids"))
        if team_ids:
            policies = [ep for ep in policies if self.company.teams[ep.team].pd_team_id in team_ids]
        user_ids = set(req.args("user_ids"))
        if user_ids:
            policies = [
                ep
                for ep in policies
                if {
                    self.company.people[p].pd_user_id
                    for p in (*self.company.schedules[ep.schedule].users, *ep.tier_users)
                }
                & user_ids
            ]
        query = (req.arg("query") or "").lower()
        if query:
            policies = [ep for ep in policies if query in ep.name.lower()]
        policies.sort(key=lambda ep: (ep.name.lower(), ep.index))
        return self._page(req, "escalation_policies", policies, lambda ep: self._policy(req, ep))

    def get_policy(self, req: Request) -> Response:
        index = self.company.lookup("ep").get(req.params["id"])
        if index is None:
            return self.not_found(req)
        return json_response(
            200, {"escalation_policy": self._policy(req, self.company.escalation_policies[index])}
        )

    def list_schedules(self, req: Request) -> Response:
        schedules = sorted(self.company.schedules, key=lambda s: (s.name.lower(), s.index))
        query = (req.arg("query") or "").lower()
        if query:
            schedules = [s for s in schedules if query in s.name.lower()]
        return self._page(req, "schedules", schedules, lambda s: self._schedule(req, s))

    def get_schedule(self, req: Request) -> Response:
        index = self.company.lookup("schedule").get(req.params["id"])
        if index is None:
            return self.not_found(req)
        return json_response(200, {"schedule": self._schedule(req, self.company.schedules[index])})

    def _now(self, req: Request) -> int:
        end = day_end_epoch(req.day)
        return (
            min(int(time.time()), end)
            if req.day == self.company.today_day
            else day_start_epoch(req.day) + 12 * 3600
        )

    def list_oncalls(self, req: Request) -> Response:
        at = self._now(req)
        ep_filter = set(req.args("escalation_policy_ids"))
        schedule_filter = set(req.args("schedule_ids"))
        user_filter = set(req.args("user_ids"))
        earliest = (req.arg("earliest") or "").lower() == "true"
        week_start = ((at // DAY_SECONDS + 3) // 7) * 7 * DAY_SECONDS - 3 * DAY_SECONDS
        entries = []
        seen: set[tuple[str, str, int]] = set()
        for ep in self.company.escalation_policies:
            if ep_filter and ep.id not in ep_filter:
                continue
            schedule = self.company.schedules[ep.schedule]
            for level in range(1, ep.tiers_on(req.day) + 1):
                if level == 1 or level - 2 >= len(ep.tier_users):
                    if schedule_filter and schedule.id not in schedule_filter:
                        continue
                    person = self._on_call_person(req, ep, at)
                    if person is None:
                        continue
                    entry = {
                        "escalation_policy": self._ep_ref(req, ep),
                        "escalation_level": level,
                        "schedule": self._schedule_ref(req, schedule),
                        "user": self._user_ref(req, person),
                        "start": iso(week_start),
                        "end": iso(week_start + 7 * DAY_SECONDS),
                    }
                else:
                    if schedule_filter:
                        continue
                    person = self.company.people[ep.tier_users[level - 2]]
                    entry = {
                        "escalation_policy": self._ep_ref(req, ep),
                        "escalation_level": level,
                        "schedule": None,
                        "user": self._user_ref(req, person),
                        "start": None,
                        "end": None,
                    }
                if user_filter and person.pd_user_id not in user_filter:
                    continue
                key = (person.pd_user_id or "", ep.id, level)
                if earliest and key in seen:
                    continue
                seen.add(key)
                entries.append(entry)
        return self._page(req, "oncalls", entries, lambda e: e)

    def list_incidents(self, req: Request) -> Response:
        cutoff = day_end_epoch(req.day)
        if (req.arg("date_range") or "") == "all":
            since, until = 0, cutoff
        else:
            until = _parse_time(u, "until") if (u := req.arg("until")) else cutoff
            since = _parse_time(s, "since") if (s := req.arg("since")) else until - 30 * DAY_SECONDS
            if since > until:
                return _error(
                    400, "Invalid Input Provided", 2001, ["'since' must be before 'until'."]
                )
            until = min(until, cutoff)
        incidents = self.company.events.incidents()
        created = [i.created for i in incidents]
        lo = bisect.bisect_left(created, since)
        hi = bisect.bisect_right(created, until)
        chosen = incidents[lo:hi]
        service_ids = set(req.args("service_ids"))
        if service_ids:
            lookup = self.company.lookup("pd_service")
            wanted = {lookup[s] for s in service_ids if s in lookup}
            chosen = tuple(i for i in chosen if i.service in wanted)
        team_ids = set(req.args("team_ids"))
        if team_ids:
            chosen = tuple(
                i
                for i in chosen
                if self.company.teams[self.company.services[i.service].owner_team].pd_team_id
                in team_ids
            )
        statuses = set(req.args("statuses"))
        if statuses:
            chosen = tuple(i for i in chosen if i.status_at(cutoff) in statuses)
        urgencies = set(req.args("urgencies"))
        if urgencies:
            chosen = tuple(i for i in chosen if i.urgency in urgencies)
        items = list(chosen)
        if (req.arg("sort_by") or "created_at:asc").endswith(":desc"):
            items.reverse()
        return self._page(req, "incidents", items, lambda i: self._incident(req, i))

    def get_incident(self, req: Request) -> Response:
        cutoff = day_end_epoch(req.day)
        for incident in self.company.events.incidents():
            if incident.id == req.params["id"] and incident.created <= cutoff:
                return json_response(200, {"incident": self._incident(req, incident)})
        return self.not_found(req)

    def list_users(self, req: Request) -> Response:
        people = [p for p in self.company.people if p.pd_user_id and p.exists_on(req.day)]
        query = (req.arg("query") or "").lower()
        if query:
            people = [p for p in people if query in p.display_name.lower() or query in p.email]
        people.sort(key=lambda p: (p.display_name.lower(), p.index))
        return self._page(req, "users", people, lambda p: self._user(req, p))

    def _user(self, req: Request, person: Person) -> dict[str, Any]:
        team = self.company.teams[person.team]
        return {
            "id": person.pd_user_id,
            "type": "user",
            "summary": person.display_name,
            "self": f"{req.base}/users/{person.pd_user_id}",
            "html_url": f"{WEB}/users/{person.pd_user_id}",
            "name": person.display_name,
            "email": person.email,
            "time_zone": "Etc/UTC",
            "color": "purple",
            "role": "user",
            "avatar_url": f"https://secure.gravatar.com/avatar/{person.okta_id}.png",
            "description": None,
            "invitation_sent": False,
            "job_title": "Engineer",
            "teams": [self._team_ref(req, team)],
            "contact_methods": [
                self._ref(
                    req,
                    "email_contact_method",
                    f"users/{person.pd_user_id}/contact_methods",
                    f"PC{person.pd_user_id[2:]}",
                    "Default",
                )
            ],
            "notification_rules": [],
        }

    def list_teams(self, req: Request) -> Response:
        teams = sorted(
            (t for t in self.company.teams if t.kind == "team"),
            key=lambda t: (t.title.lower(), t.index),
        )
        return self._page(
            req,
            "teams",
            teams,
            lambda t: {
                **self._team_ref(req, t),
                "type": "team",
                "name": t.title,
                "description": f"Catalog group {t.name}",
                "parent": None,
            },
        )
