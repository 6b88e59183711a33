"""The Okta management API (users, groups, group members), API_SHAPES.md §3."""

from __future__ import annotations

import bisect
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.determinism import okta_id
from simulator.model import Person
from simulator.servers.framework import (
    ApiServer,
    BadRequest,
    RateWindow,
    Request,
    Response,
    json_response,
)
from simulator.timeline import day_start_epoch, iso_millis

USER_TYPE = "otyc04qb2rUDcq2YA4x6"
LOGO = [
    {
        "name": "medium",
        "href": "https://ok11static.oktacdn.com/assets/img/logos/groups/okta-medium.png",
        "type": "image/png",
    },
    {
        "name": "large",
        "href": "https://ok11static.oktacdn.com/assets/img/logos/groups/okta-large.png",
        "type": "image/png",
    },
]
_CONDITION = re.compile(r'^\s*([A-Za-z][\w.]*)\s+(eq|sw|gt|lt|ge|le)\s+"([^"]*)"\s*$')


def _error(
    status: int,
    code: str,
    summary: str,
    causes: list[str] | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    return json_response(
        status,
        {
            "errorCode": code,
            "errorSummary": summary,
            "errorLink": code,
            "errorId": "oae" + uuid.uuid4().hex[:22],
            "errorCauses": [{"errorSummary": c} for c in (causes or [])],
        },
        headers,
    )


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    description: str
    type: str  # OKTA_GROUP, BUILT_IN, APP_GROUP
    created: int  # epoch
    members: tuple[int, ...]  # person indexes


def _parse_filter(expression: str) -> Callable[[dict[str, Any]], bool]:
    """Okta's filter/search syntax, subset: ``a eq "x" and b sw "y"``, ``or`` between groups."""
    alternatives = []
    for alternative in re.split(r"\s+or\s+", expression.strip()):
        conditions = []
        for part in re.split(r"\s+and\s+", alternative):
            m = _CONDITION.match(part.strip("() "))
            if not m:
                raise ValueError(part)
            conditions.append(m.groups())
        alternatives.append(conditions)

    def value_of(item: dict[str, Any], attribute: str) -> Any:
        value: Any = item
        for key in attribute.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def test(item: dict[str, Any]) -> bool:
        for conditions in alternatives:
            ok = True
            for attribute, op, expected in conditions:
                actual = value_of(item, attribute)
                actual = "" if actual is None else str(actual)
                if op == "eq":
                    ok = actual == expected
                elif op == "sw":
                    ok = actual.lower().startswith(expected.lower())
                elif op == "gt":
                    ok = actual > expected
                elif op == "ge":
                    ok = actual >= expected
                elif op == "lt":
                    ok = actual < expected
                else:
                    ok = actual <= expected
                if not ok:
                    break
            if ok:
                return True
        return False

    return test


class OktaApi(ApiServer):
    source = "okta"
    json_content_type = "application/json;charset=UTF-8"

    def register_routes(self) -> None:
        self.windows = {
            "users": RateWindow(600, 60),
            "user": RateWindow(2000, 60),
            "groups": RateWindow(500, 60),
        }
        self.groups = self._build_groups()
        self.group_index = {g.id: i for i, g in enumerate(self.groups)}
        r = self.route
        r("GET", "/api/v1/users", self.list_users)
        r("GET", "/api/v1/users/{user_id}", self.get_user)
        r("GET", "/api/v1/groups", self.list_groups)
        r("GET", "/api/v1/groups/{group_id}", self.get_group)
        r("GET", "/api/v1/groups/{group_id}/users", self.group_users)

    def _build_groups(self) -> list[Group]:
        company = self.company
        today = company.today_day
        people = company.people
        everyone = Group(
            okta_id(company.seed, "00g", 90_000),
            "Everyone",
            "All users in your organization",
            "BUILT_IN",
            day_start_epoch(today - 3000),
            tuple(range(len(people))),
        )
        groups = [everyone]
        for team in company.teams:
            if not team.has_okta_group:
                continue
            if team.kind == "department":
                members = list(team.members)
                for child in team.children:
                    members += company.teams[child].members
            else:
                members = list(team.members)
            groups.append(
                Group(
                    team.okta_group_id,
                    team.okta_group_name,
                    f"{team.title} (Backstage group:default/{team.name})",
                    "OKTA_GROUP",
                    day_start_epoch(team.created_day) + 3600,
                    tuple(sorted(members)),
                )
            )
        extra = (
            ("vpn-users", "VPN access", 3),
            ("aws-prod-readonly", "AWS production read-only", 4),
            ("github-org-members", "GitHub organisation members", 1),
        )
        for k, (name, description, stride) in enumerate(extra):
            groups.append(
                Group(
                    okta_id(company.seed, "00g", 90_001 + k),
                    name,
                    description,
                    "APP_GROUP",
                    day_start_epoch(today - 2000),
                    tuple(range(0, len(people), stride)),
                )
            )
        return groups

    # -- vendor behaviour ----------------------------------------------------------------

    def authenticate(self, req: Request) -> Response | None:
        scheme, _, value = req.headers.get("Authorization", "").partition(" ")
        if scheme in ("SSWS", "Bearer") and value.strip() == self.credentials["token"]:
            return None
        return _error(401, "E0000011", "Invalid token provided")

    def expired_token(self, req: Request) -> Response:
        return _error(401, "E0000011", "Invalid token provided")

    def _window(self, req: Request) -> RateWindow:
        if req.template.startswith("/api/v1/groups"):
            return self.windows["groups"]
        if req.template == "/api/v1/users/{user_id}":
            return self.windows["user"]
        return self.windows["users"]

    def rate_headers(self, req: Request) -> list[tuple[str, str]]:
        limit, remaining, _, reset = self._window(req).hit()
        return [
            ("x-okta-request-id", uuid.uuid4().hex[:27]),
            ("x-rate-limit-limit", str(limit)),
            ("x-rate-limit-remaining", str(remaining)),
            ("x-rate-limit-reset", str(reset)),
        ]

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        window = self._window(req)
        headers = [
            ("x-okta-request-id", uuid.uuid4().hex[:27]),
            ("x-rate-limit-limit", str(window.limit)),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", str(int(time.time()) + int(params["reset_seconds"]))),
        ]
        response = _error(
            429,
            "E0000047",
            "You exceeded the maximum number of requests. Try again in a while.",
            headers=headers,
        )
        response.content_type = self.json_content_type
        return response

    def server_error(self, req: Request, status: int) -> Response:
        return _error(status, "E0000009", "Internal Server Error")

    def invalid_cursor(self, req: Request) -> Response:
        return _error(
            400, "E0000001", "Api validation failed: after", ["after: The cursor is invalid."]
        )

    def not_found(self, req: Request) -> Response:
        return _error(404, "E0000022", "The endpoint does not support the provided HTTP method")

    def is_follow_up_page(self, req: Request) -> bool:
        return bool(req.arg("after"))

    def _finish(self, req: Request, response: Response) -> Response:
        response = super()._finish(req, response)
        if response.json_body:
            response.content_type = self.json_content_type
        return response

    # -- objects -------------------------------------------------------------------------

    def _user(self, req: Request, person: Person) -> dict[str, Any]:
        status = person.okta_status_on(req.day) or "STAGED"
        created = day_start_epoch(person.created_day) + 32_400
        changed = (
            day_start_epoch(min(person.status_change_day, req.day)) + 50_000
            if person.status_change_day <= req.day
            else created
        )
        activated = None if person.initial_status == "PROVISIONED" else iso_millis(created + 60)
        last_login = (
            None
            if status in ("PROVISIONED", "DEPROVISIONED")
            else iso_millis(min(day_start_epoch(req.day) + 30_000, changed + 86_400 * 3))
        )
        team = self.company.teams[person.team]
        return {
            "id": person.okta_id,
            "status": status,
            "created": iso_millis(created),
            "activated": activated,
            "statusChanged": iso_millis(changed)
            if person.status_change_day <= req.day
            else activated,
            "lastLogin": last_login,
            "lastUpdated": iso_millis(max(changed, created)),
            "passwordChanged": iso_millis(created + 120),
            "type": {"id": USER_TYPE},
            "profile": {
                "firstName": person.first,
                "lastName": person.last,
                "mobilePhone": None,
                "secondEmail": None,
                "login": person.login,
                "email": person.email,
                "displayName": person.display_name,
                "department": team.title,
                "organization": self.company.org.capitalize(),
            },
            "credentials": {
                "password": {},
                "emails": [{"value": person.email, "status": "VERIFIED", "type": "PRIMARY"}],
                "provider": {"type": "OKTA", "name": "OKTA"},
            },
            "_links": {"self": {"href": f"{req.base}/api/v1/users/{person.okta_id}"}},
        }

    def _group(self, req: Request, group: Group) -> dict[str, Any]:
        stamp = iso_millis(group.created)
        return {
            "id": group.id,
            "created": stamp,
            "lastUpdated": stamp,
            "lastMembershipUpdated": iso_millis(
                max(group.created, day_start_epoch(req.day) - 86_400 * 3)
            ),
            "objectClass": ["okta:user_group"],
            "type": group.type,
            "profile": {"name": group.name, "description": group.description},
            "_links": {
                "logo": LOGO,
                "users": {"href": f"{req.base}/api/v1/groups/{group.id}/users"},
                "apps": {"href": f"{req.base}/api/v1/groups/{group.id}/apps"},
            },
        }

    # -- paging --------------------------------------------------------------------------

    def _page(
        self,
        req: Request,
        items: list[Any],
        ids: list[str],
        keys: list[int],
        key_of_id: dict[str, int],
        default: int,
        maximum: int,
        keep: tuple[str, ...],
    ) -> tuple[list[Any], list[tuple[str, str]]]:
        """Okta cursor paging: ``after`` is ``0`` + the id of the page's last item.

        ``keys`` are the items' ascending sort keys and ``key_of_id`` maps an id to its
        key, so a cursor is found by bisection instead of a scan.
        """
        try:
            limit = min(maximum, max(1, req.int_arg("limit", default)))
        except ValueError as exc:
            raise BadRequest(
                _error(400, "E0000001", "Api validation failed: limit", ["limit: must be a number"])
            ) from exc
        start = 0
        after = req.arg("after")
        if after:
            key = key_of_id.get(after[1:] if after.startswith("0") else after)
            if key is None:
                raise BadRequest(self.invalid_cursor(req))
            start = bisect.bisect_right(keys, key)
        chunk = items[start : start + limit]
        extra = [(k, req.arg(k)) for k in keep if req.arg(k) is not None]
        self_query = [*extra, *([("after", after)] if after else []), ("limit", limit)]
        headers = [("link", f'<{req.url(req.path, self_query)}>; rel="self"')]
        if start + limit < len(items):
            cursor = "0" + ids[start + limit - 1]
            headers.append(
                (
                    "link",
                    f'<{req.url(req.path, [*extra, ("after", cursor), ("limit", limit)])}>; rel="next"',
                )
            )
        return chunk, headers

    # -- endpoints -----------------------------------------------------------------------

    def list_users(self, req: Request) -> Response:
        people = [p for p in self.company.people if p.exists_on(req.day)]
        expression = req.arg("filter") or req.arg("search")
        if expression:
            try:
                test = _parse_filter(expression)
            except ValueError:
                return _error(
                    400,
                    "E0000031",
                    "Invalid search criteria.",
                    [f"Unsupported expression: {expression}"],
                )
            objs = [(p, self._user(req, p)) for p in people]
            selected = [(p, o) for p, o in objs if test(o)]
        else:
            selected = [(p, None) for p in people if p.okta_status_on(req.day) != "DEPROVISIONED"]
            q = (req.arg("q") or "").lower()
            if q:
                selected = [
                    (p, o)
                    for p, o in selected
                    if p.first.lower().startswith(q)
                    or p.last.lower().startswith(q)
                    or p.login.startswith(q)
                ]
        chunk, headers = self._page(
            req,
            selected,
            [p.okta_id for p, _ in selected],
            [p.index for p, _ in selected],
            self.company.lookup("person_okta"),
            200,
            200,
            ("filter", "search", "q"),
        )
        return json_response(
            200, [o if o is not None else self._user(req, p) for p, o in chunk], headers
        )

    def get_user(self, req: Request) -> Response:
        key = req.params["user_id"]
        index = self.company.lookup("person_okta").get(key)
        if index is None:
            index = next((p.index for p in self.company.people if p.login == key), None)
        if index is None or not self.company.people[index].exists_on(req.day):
            return _error(404, "E0000007", f"Not found: Resource not found: {key} (User)")
        return json_response(200, self._user(req, self.company.people[index]))

    def _visible_groups(self, req: Request) -> list[Group]:
        return [g for g in self.groups if g.created <= day_start_epoch(req.day) + 86_399]

    def list_groups(self, req: Request) -> Response:
        groups = self._visible_groups(req)
        q = req.arg("q")
        if q:
            groups = [g for g in groups if g.name.lower().startswith(q.lower())]
        expression = req.arg("filter") or req.arg("search")
        objs = [(g, self._group(req, g)) for g in groups]
        if expression:
            try:
                test = _parse_filter(expression)
            except ValueError:
                return _error(
                    400,
                    "E0000031",
                    "Invalid search criteria.",
                    [f"Unsupported expression: {expression}"],
                )
            objs = [(g, o) for g, o in objs if test(o)]
        chunk, headers = self._page(
            req,
            objs,
            [g.id for g, _ in objs],
            [self.group_index[g.id] for g, _ in objs],
            self.group_index,
            10_000,
            10_000,
            ("q", "filter", "search"),
        )
        return json_response(200, [o for _, o in chunk], headers)

    def _group_of(self, req: Request) -> Group:
        index = self.group_index.get(req.params["group_id"])
        if index is None:
            raise BadRequest(
                _error(
                    404,
                    "E0000007",
                    f"Not found: Resource not found: {req.params['group_id']} (UserGroup)",
                )
            )
        return self.groups[index]

    def get_group(self, req: Request) -> Response:
        return json_response(200, self._group(req, self._group_of(req)))

    def group_users(self, req: Request) -> Response:
        group = self._group_of(req)
        people = [
            self.company.people[p]
            for p in group.members
            if self.company.people[p].exists_on(req.day)
        ]
        chunk, headers = self._page(
            req,
            people,
            [p.okta_id for p in people],
            [p.index for p in people],
            self.company.lookup("person_okta"),
            1000,
            1000,
            (),
        )
        return json_response(200, [self._user(req, p) for p in chunk], headers)
