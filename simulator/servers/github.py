"""The GitHub API (REST and GraphQL on one port), as documented in API_SHAPES.md §1–2."""

from __future__ import annotations

import base64
import datetime as dt
import threading
import time
import uuid
import zlib
from typing import Any

import orjson

from simulator.git_state import (
    classic_protection,
    file_exists,
    ruleset_on,
    ruleset_rules,
    tree,
    workflows_on,
)
from simulator.model import Service
from simulator.servers import github_objects as obj
from simulator.servers.framework import (
    ApiServer,
    BadRequest,
    RateWindow,
    Request,
    Response,
    json_response,
)
from simulator.servers.github_graphql import GraphQLApi
from simulator.servers.paging import decode_cursor, encode_cursor, github_page_links, link_header
from simulator.timeline import day_end_epoch, day_start_epoch, iso

DOCS = "https://docs.github.com/rest"
EXPOSE = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)
SEVERITIES = ("low", "medium", "high", "critical")
ALERT_STATES = ("open", "fixed", "dismissed", "auto_dismissed")


def _error(
    status: int, message: str, doc: str = DOCS, headers: list[tuple[str, str]] | None = None
) -> Response:
    return json_response(
        status, {"message": message, "documentation_url": doc, "status": str(status)}, headers
    )


def _parse_iso(value: str) -> int:
    try:
        return int(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError as exc:
        raise BadRequest(_error(422, f"Invalid timestamp: {value}")) from exc


class GitHubApi(ApiServer):
    source = "github"

    def register_routes(self) -> None:
        self.windows = {"core": RateWindow(5000, 3600), "graphql": RateWindow(5000, 3600)}
        self.graphql = GraphQLApi(self.company, self.windows["graphql"])
        self._team_by_id = {str(t.github_id): t.github_slug for t in self.company.teams}
        self._sorted_cache: dict[tuple[Any, ...], list[int]] = {}
        self._cache_lock = threading.Lock()
        r = self.route
        r("POST", "/graphql", self.graphql_endpoint)
        r("GET", "/rate_limit", self.rate_limit)
        r("GET", "/orgs/{org}/repos", self.org_repos)
        r("GET", "/orgs/{org}/teams", self.org_teams)
        r("GET", "/orgs/{org}/teams/{slug}/members", self.team_members)
        r("GET", "/orgs/{org}/dependabot/alerts", self.org_alerts)
        r("GET", "/repos/{owner}/{repo}", self.get_repo)
        r("GET", "/repos/{owner}/{repo}/topics", self.topics)
        r("GET", "/repos/{owner}/{repo}/branches/{branch}", self.branch)
        r("GET", "/repos/{owner}/{repo}/branches/{branch}/protection", self.protection)
        r("GET", "/repos/{owner}/{repo}/rulesets", self.rulesets)
        r("GET", "/repos/{owner}/{repo}/rulesets/{ruleset_id}", self.ruleset)
        r("GET", "/repos/{owner}/{repo}/rules/branches/{branch}", self.branch_rules)
        r("GET", "/repos/{owner}/{repo}/commits", self.commits)
        r("GET", "/repos/{owner}/{repo}/actions/workflows", self.workflows)
        r("GET", "/repos/{owner}/{repo}/dependabot/alerts", self.repo_alerts)
        r("GET", "/repos/{owner}/{repo}/contents/{path...}", self.contents)
        r("GET", "/repos/{owner}/{repo}/contents", self.contents)
        r("GET", "/repos/{owner}/{repo}/contents/", self.contents)

    # -- vendor behaviour --------------------------------------------------------------

    def _token(self, req: Request) -> str | None:
        header = req.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() in ("bearer", "token") and value:
            return value.strip()
        return None

    def authenticate(self, req: Request) -> Response | None:
        token = self._token(req)
        if token == self.credentials["token"]:
            return None
        if token is None:
            if req.path == "/graphql":
                return _error(
                    401,
                    "This endpoint requires you to be authenticated.",
                    "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
                )
            return _error(401, "Requires authentication")
        return _error(401, "Bad credentials")

    def expired_token(self, req: Request) -> Response:
        # GitHub answers an expired or revoked token exactly like a wrong one.
        return _error(401, "Bad credentials")

    def _resource(self, req: Request) -> str:
        return "graphql" if req.path == "/graphql" else "core"

    def rate_headers(self, req: Request) -> list[tuple[str, str]]:
        resource = self._resource(req)
        if req.rate is not None:
            limit, remaining, used, reset = req.rate
        elif req.path == "/rate_limit":
            limit, remaining, used, reset = self.windows["core"].peek()
        else:
            limit, remaining, used, reset = self.windows[resource].hit()
        return [
            ("x-github-api-version-selected", "2022-11-28"),
            (
                "x-github-media-type",
                "github.v4; format=json" if resource == "graphql" else "github.v3; format=json",
            ),
            ("x-oauth-scopes", "read:org, repo, security_events"),
            ("x-accepted-oauth-scopes", "repo"),
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-remaining", str(remaining)),
            ("x-ratelimit-reset", str(reset)),
            ("x-ratelimit-used", str(used)),
            ("x-ratelimit-resource", resource),
            ("access-control-expose-headers", EXPOSE),
            ("x-github-request-id", uuid.uuid4().hex[:20].upper()),
        ]

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        wait = int(params["reset_seconds"])
        reset = int(time.time()) + wait
        resource = self._resource(req)
        variant = params["variant"]
        base_headers = [
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-resource", resource),
            ("x-github-request-id", uuid.uuid4().hex[:20].upper()),
            ("x-ratelimit-reset", str(reset)),
        ]
        if variant == "secondary":
            headers = [
                *base_headers,
                ("x-ratelimit-remaining", "4321"),
                ("x-ratelimit-used", "679"),
                ("retry-after", str(wait)),
            ]
            return json_response(
                403,
                {
                    "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
                },
                headers,
            )
        headers = [*base_headers, ("x-ratelimit-remaining", "0"), ("x-ratelimit-used", "5000")]
        message = "API rate limit exceeded for user ID 51000000."
        if resource == "graphql" and variant == "primary":
            # GraphQL reports its primary limit inside a 200 response.
            return json_response(
                200,
                {"data": None, "errors": [{"type": "RATE_LIMITED", "message": message}]},
                headers,
            )
        status = 429 if variant == "primary_429" else 403
        body = {
            "message": message
            + " If you reach out to GitHub Support for help, please include the request ID.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            "status": str(status),
        }
        return json_response(status, body, headers)

    def server_error(self, req: Request, status: int) -> Response:
        if status == 502:
            return json_response(502, {"message": "Server Error"})
        return json_response(
            status,
            {"message": "Server Error"} if status == 500 else {"message": "Service Unavailable"},
        )

    def invalid_cursor(self, req: Request) -> Response:
        if req.path == "/graphql":
            return json_response(
                200,
                {
                    "data": None,
                    "errors": [
                        {
                            "type": "INVALID_CURSOR_ARGUMENTS",
                            "path": [],
                            "locations": [],
                            "message": "`after` does not appear to be a valid cursor.",
                        }
                    ],
                },
            )
        return _error(400, "Invalid cursor: the cursor does not belong to this list.")

    def not_found(self, req: Request) -> Response:
        return _error(404, "Not Found")

    def is_follow_up_page(self, req: Request) -> bool:
        if req.path == "/graphql":
            try:
                payload = orjson.loads(req.body or b"{}")
            except orjson.JSONDecodeError:
                return False
            variables = payload.get("variables") or {}
            if any(
                v
                for k, v in variables.items()
                if ("cursor" in k.lower() or "after" in k.lower()) and v
            ):
                return True
            return 'after: "' in (payload.get("query") or "")
        return req.int_arg("page", 1) > 1 or bool(req.arg("after")) or bool(req.arg("before"))

    def rewrite(self, path: str) -> str:
        """Numeric paths GitHub uses in Link headers → the named routes.

        ``/repositories/{id}/...`` → ``/repos/{org}/{name}/...`` and
        ``/organizations/{org id}/team/{team id}/...`` → ``/orgs/{org}/teams/{slug}/...``.
        """
        if path.startswith("/organizations/"):
            parts = path.split("/", 5)
            if len(parts) >= 5 and parts[3] == "team" and parts[4] in self._team_by_id:
                rest = "/" + parts[5] if len(parts) > 5 else ""
                return f"/orgs/{self.company.org}/teams/{self._team_by_id[parts[4]]}{rest}"
        if path.startswith("/repositories/"):
            parts = path.split("/", 3)
            index = self.company.lookup("repo_id").get(parts[2]) if len(parts) > 2 else None
            if index is not None:
                rest = "/" + parts[3] if len(parts) > 3 else ""
                return f"/repos/{self.company.org}/{self.company.services[index].repo.name}{rest}"
        return path

    # -- helpers -----------------------------------------------------------------------

    def _org(self, req: Request) -> None:
        if req.params.get("org", "").lower() != self.company.org:
            raise BadRequest(_error(404, "Not Found"))

    def _service(self, req: Request) -> Service:
        if req.params.get("owner", "").lower() != self.company.org:
            raise BadRequest(_error(404, "Not Found", f"{DOCS}/repos/repos#get-a-repository"))
        index = self.company.lookup("repo").get(req.params["repo"])
        if index is None or not self.company.services[index].exists_on(req.day):
            raise BadRequest(_error(404, "Not Found", f"{DOCS}/repos/repos#get-a-repository"))
        return self.company.services[index]

    def _paging(self, req: Request) -> tuple[int, int]:
        try:
            page = max(1, req.int_arg("page", 1))
            per_page = req.int_arg("per_page", 30)
        except ValueError as exc:
            raise BadRequest(_error(400, "Invalid page or per_page parameter")) from exc
        return page, min(100, max(1, per_page))

    def _page(
        self, req: Request, items: list[Any], path: str, query: list[tuple[str, Any]]
    ) -> tuple[list[Any], list[tuple[str, str]]]:
        page, per_page = self._paging(req)
        chunk = items[(page - 1) * per_page : page * per_page]
        link = github_page_links(req, path, query, page, per_page, len(items))
        return chunk, [("Link", link)] if link else []

    def _repo_path(self, service: Service, suffix: str) -> str:
        return f"/repositories/{service.repo.id}{suffix}"

    def _pushed(self, service: Service, day: int) -> int | None:
        latest = self.company.events.latest_commit(service, day)
        return latest.epoch if latest else None

    # -- REST endpoints ----------------------------------------------------------------

    def graphql_endpoint(self, req: Request) -> Response:
        return self.graphql.execute(req)

    def rate_limit(self, req: Request) -> Response:
        now_reset = (int(time.time()) // 3600 + 1) * 3600
        resources = {}
        for name in (
            "core",
            "graphql",
            "search",
            "code_search",
            "integration_manifest",
            "dependency_snapshots",
            "code_scanning_upload",
        ):
            window = self.windows.get(name)
            if window is not None:
                limit, remaining, used, reset = window.peek()
            else:
                limit = 30 if name == "search" else 10 if name == "code_search" else 5000
                remaining, used, reset = limit, 0, now_reset
            resources[name] = {"limit": limit, "used": used, "remaining": remaining, "reset": reset}
        return json_response(200, {"resources": resources, "rate": resources["core"]})

    def _sorted_services(self, req: Request, sort: str, direction: str) -> list[int]:
        key = (req.day, sort, direction)
        with self._cache_lock:
            cached = self._sorted_cache.get(key)
        if cached is not None:
            return cached
        services = [s for s in self.company.services if s.exists_on(req.day)]
        if sort == "full_name":
            services.sort(key=lambda s: s.repo.name.lower(), reverse=direction == "desc")
        elif sort in ("pushed", "updated"):
            services.sort(
                key=lambda s: (self._pushed(s, req.day) or 0, s.repo.id),
                reverse=direction == "desc",
            )
        else:
            services.sort(
                key=lambda s: (s.repo.created_day, s.repo.id), reverse=direction == "desc"
            )
        result = [s.index for s in services]
        with self._cache_lock:
            if len(self._sorted_cache) > 64:
                self._sorted_cache.clear()
            self._sorted_cache[key] = result
        return result

    def org_repos(self, req: Request) -> Response:
        self._org(req)
        sort = req.arg("sort", "created") or "created"
        direction = req.arg("direction") or ("asc" if sort == "full_name" else "desc")
        kind = req.arg("type", "all") or "all"
        indexes = self._sorted_services(req, sort, direction)
        if kind in ("public", "private", "internal"):
            indexes = [i for i in indexes if self.company.services[i].repo.visibility == kind]
        elif kind == "forks":
            indexes = []
        query = [
            ("type", req.arg("type")),
            ("sort", req.arg("sort")),
            ("direction", req.arg("direction")),
        ]
        chunk, headers = self._page(req, indexes, f"/orgs/{self.company.org}/repos", query)
        body = [
            obj.repo_obj(
                req.base,
                self.company,
                self.company.services[i],
                self._pushed(self.company.services[i], req.day),
                full=False,
            )
            for i in chunk
        ]
        return json_response(200, body, headers)

    def get_repo(self, req: Request) -> Response:
        service = self._service(req)
        return json_response(
            200,
            obj.repo_obj(
                req.base, self.company, service, self._pushed(service, req.day), full=True
            ),
        )

    def topics(self, req: Request) -> Response:
        return json_response(200, {"names": list(self._service(req).repo.topics)})

    def branch(self, req: Request) -> Response:
        service = self._service(req)
        branch = req.params["branch"]
        if branch != service.repo.default_branch:
            return _error(404, "Branch not found", f"{DOCS}/branches/branches#get-a-branch")
        latest = self.company.events.latest_commit(service, req.day)
        protected = classic_protection(service, req.day) is not None or (
            (rs := ruleset_on(service, req.day)) is not None and rs.enforcement == "active"
        )
        base = f"{req.base}/repos/{self.company.org}/{service.repo.name}/branches/{branch}"
        commit = obj.commit_obj(req.base, self.company, service, latest, None) if latest else None
        return json_response(
            200,
            {
                "name": branch,
                "commit": commit,
                "_links": {
                    "self": base,
                    "html": f"{obj.WEB}/{self.company.org}/{service.repo.name}/tree/{branch}",
                },
                "protected": protected,
                "protection": {
                    "enabled": protected,
                    "required_status_checks": {
                        "enforcement_level": "off",
                        "contexts": [],
                        "checks": [],
                    },
                },
                "protection_url": f"{base}/protection",
            },
        )

    def protection(self, req: Request) -> Response:
        service = self._service(req)
        branch = req.params["branch"]
        doc = "https://docs.github.com/rest/reference/repos#get-branch-protection"
        if branch != service.repo.default_branch:
            return _error(404, "Branch not found", doc)
        protection = classic_protection(service, req.day)
        if protection is None:
            return json_response(404, {"message": "Branch not protected", "documentation_url": doc})
        return json_response(
            200, obj.protection_obj(req.base, self.company, service, branch, protection)
        )

    def rulesets(self, req: Request) -> Response:
        service = self._service(req)
        ruleset = ruleset_on(service, req.day)
        items = [obj.ruleset_summary(req.base, self.company, service, ruleset)] if ruleset else []
        chunk, headers = self._page(
            req,
            items,
            self._repo_path(service, "/rulesets"),
            [("includes_parents", req.arg("includes_parents"))],
        )
        return json_response(200, chunk, headers)

    def ruleset(self, req: Request) -> Response:
        service = self._service(req)
        ruleset = ruleset_on(service, req.day)
        if ruleset is None or str(ruleset.id) != req.params["ruleset_id"]:
            return _error(404, "Not Found", f"{DOCS}/repos/rules#get-a-repository-ruleset")
        return json_response(200, obj.ruleset_full(req.base, self.company, service, ruleset))

    def branch_rules(self, req: Request) -> Response:
        service = self._service(req)
        ruleset = ruleset_on(service, req.day)
        items: list[dict[str, Any]] = []
        if (
            ruleset
            and ruleset.enforcement == "active"
            and req.params["branch"] == service.repo.default_branch
        ):
            for rtype, params in ruleset_rules(ruleset):
                item: dict[str, Any] = {
                    "type": rtype,
                    "ruleset_source_type": "Repository",
                    "ruleset_source": f"{self.company.org}/{service.repo.name}",
                    "ruleset_id": ruleset.id,
                }
                if params is not None:
                    item["parameters"] = params
                items.append(item)
        chunk, headers = self._page(
            req, items, self._repo_path(service, f"/rules/branches/{req.params['branch']}"), []
        )
        return json_response(200, chunk, headers)

    def commits(self, req: Request) -> Response:
        service = self._service(req)
        sha = req.arg("sha")
        if sha and sha != service.repo.default_branch:
            return _error(
                404, f"No commit found for SHA: {sha}", f"{DOCS}/commits/commits#list-commits"
            )
        page, per_page = self._paging(req)
        events = self.company.events
        since = _parse_iso(s) if (s := req.arg("since")) else None
        until = _parse_iso(u) if (u := req.arg("until")) else None
        total = events.commit_count(service, req.day)
        positions: list[int] | None = None
        if since is not None or until is not None:
            positions = []
            for position in range(total):
                commit = events.commit_at(service, req.day, position)
                if commit is None or (since is not None and commit.epoch < since):
                    break
                if until is None or commit.epoch <= until:
                    positions.append(position)
            total = len(positions)
        start = (page - 1) * per_page
        body = []
        for k in range(start, min(total, start + per_page)):
            position = positions[k] if positions is not None else k
            commit = events.commit_at(service, req.day, position)
            if commit is None:
                break
            parent = events.commit_at(service, req.day, position + 1)
            body.append(
                obj.commit_obj(
                    req.base, self.company, service, commit, parent.sha if parent else None
                )
            )
        query = [("sha", sha), ("since", req.arg("since")), ("until", req.arg("until"))]
        link = github_page_links(
            req, self._repo_path(service, "/commits"), query, page, per_page, total
        )
        return json_response(200, body, [("Link", link)] if link else [])

    def workflows(self, req: Request) -> Response:
        service = self._service(req)
        full_name = f"{self.company.org}/{service.repo.name}"
        items = []
        for wf, state in workflows_on(service, req.day):
            stamp = iso(day_start_epoch(wf.created_day) + 40_000)
            items.append(
                {
                    "id": wf.id,
                    "node_id": obj.node_id("W_kwDO", wf.id),
                    "name": wf.name,
                    "path": wf.path,
                    "state": state,
                    "created_at": stamp,
                    "updated_at": iso(day_start_epoch(wf.disabled_day) + 40_000)
                    if state != "active"
                    else stamp,
                    "url": f"{req.base}/repos/{full_name}/actions/workflows/{wf.id}",
                    "html_url": f"{obj.WEB}/{full_name}/blob/{service.repo.default_branch}/{wf.path}",
                    "badge_url": f"{obj.WEB}/{full_name}/workflows/{wf.name}/badge.svg",
                }
            )
        chunk, headers = self._page(req, items, self._repo_path(service, "/actions/workflows"), [])
        return json_response(200, {"total_count": len(items), "workflows": chunk}, headers)

    def contents(self, req: Request) -> Response:
        service = self._service(req)
        path = req.params.get("path", "").strip("/")
        full_name = f"{self.company.org}/{service.repo.name}"
        doc = f"{DOCS}/repos/contents#get-repository-content"

        def entry(name: str, kind: str, full: str) -> dict[str, Any]:
            sha = f"{zlib.crc32(full.encode()):08x}{service.repo.id:010x}" * 2
            return {
                "name": name,
                "path": full,
                "sha": sha,
                "size": 0 if kind == "tree" else 512,
                "url": f"{req.base}/repos/{full_name}/contents/{full}",
                "html_url": f"{obj.WEB}/{full_name}/{'tree' if kind == 'tree' else 'blob'}/{service.repo.default_branch}/{full}",
                "git_url": f"{req.base}/repos/{full_name}/git/{'trees' if kind == 'tree' else 'blobs'}/{sha}",
                "download_url": None
                if kind == "tree"
                else f"https://raw.githubusercontent.com/{full_name}/{service.repo.default_branch}/{full}",
                "type": "dir" if kind == "tree" else "file",
            }

        listing = tree(service, req.day, path)
        if listing is not None:
            return json_response(200, [entry(n, k, f"{path}/{n}".strip("/")) for n, k in listing])
        if file_exists(service, req.day, path):
            item = entry(path.rsplit("/", 1)[-1], "blob", path)
            item.update(
                {"encoding": "base64", "content": base64.b64encode(f"# {path}\n".encode()).decode()}
            )
            return json_response(200, item)
        return _error(404, "Not Found", doc)

    # -- Dependabot ----------------------------------------------------------------------

    def _alert_filter(self, req: Request) -> tuple[set[str], set[str]]:
        states = {s for s in (req.arg("state") or "").split(",") if s}
        severities = {s for s in (req.arg("severity") or "").split(",") if s}
        bad = (states - set(ALERT_STATES)) | (severities - set(SEVERITIES))
        if bad:
            raise BadRequest(
                _error(
                    422,
                    f"Invalid filter value(s): {', '.join(sorted(bad))}",
                    f"{DOCS}/dependabot/alerts",
                )
            )
        return states, severities

    def _cursor_page(
        self, req: Request, items: list[Any], path: str, query: list[tuple[str, Any]]
    ) -> tuple[list[Any], list[tuple[str, str]]]:
        """Dependabot's cursor paging: ``after``/``before`` cursors in the Link URLs."""
        if req.arg("page"):
            raise BadRequest(
                _error(
                    400,
                    "Pagination using the `page` parameter is not supported. Use `before` or `after` cursors instead.",
                    f"{DOCS}/dependabot/alerts",
                )
            )
        _, per_page = self._paging(req)
        after, before = req.arg("after"), req.arg("before")
        if after:
            position = decode_cursor(after)
            if position is None:
                raise BadRequest(self.invalid_cursor(req))
            start = position
        elif before:
            position = decode_cursor(before)
            if position is None:
                raise BadRequest(self.invalid_cursor(req))
            start = max(0, position - per_page)
        else:
            start = 0
        chunk = items[start : start + per_page]
        links: list[tuple[str, str]] = []
        if start > 0:
            links.append(
                (
                    "prev",
                    req.url(
                        path, [*query, ("per_page", per_page), ("before", encode_cursor(start))]
                    ),
                )
            )
        if start + per_page < len(items):
            links.append(
                (
                    "next",
                    req.url(
                        path,
                        [
                            *query,
                            ("per_page", per_page),
                            ("after", encode_cursor(start + per_page)),
                        ],
                    ),
                )
            )
        return chunk, [("Link", link_header(links))] if links else []

    def _filtered_alerts(self, req: Request, services: list[Service]) -> list[tuple[Service, Any]]:
        states, severities = self._alert_filter(req)
        cutoff = day_end_epoch(req.day)
        out = []
        for service in services:
            for alert in self.company.events.alerts(service):
                state = alert.state_at(cutoff)
                if (
                    state is None
                    or (states and state not in states)
                    or (severities and alert.severity not in severities)
                ):
                    continue
                out.append((service, alert))
        reverse = (req.arg("direction") or "desc") == "desc"
        if (req.arg("sort") or "created") == "updated":
            out.sort(
                key=lambda sa: (
                    sa[1].resolved if sa[1].state_at(cutoff) != "open" else sa[1].created,
                    sa[0].index,
                    sa[1].number,
                ),
                reverse=reverse,
            )
        else:
            out.sort(key=lambda sa: (sa[1].created, sa[0].index, sa[1].number), reverse=reverse)
        return out

    def repo_alerts(self, req: Request) -> Response:
        service = self._service(req)
        alerts = self._filtered_alerts(req, [service])
        query = [(k, req.arg(k)) for k in ("state", "severity", "sort", "direction")]
        chunk, headers = self._cursor_page(
            req, alerts, self._repo_path(service, "/dependabot/alerts"), query
        )
        cutoff = day_end_epoch(req.day)
        return json_response(
            200,
            [obj.alert_obj(req.base, self.company, s, a, cutoff, False) for s, a in chunk],
            headers,
        )

    def org_alerts(self, req: Request) -> Response:
        self._org(req)
        key = (
            "alerts",
            req.day,
            req.arg("state"),
            req.arg("severity"),
            req.arg("sort"),
            req.arg("direction"),
        )
        with self._cache_lock:
            alerts = self._sorted_cache.get(key)
        if alerts is None:
            alerts = self._filtered_alerts(
                req, [s for s in self.company.services if s.exists_on(req.day)]
            )
            with self._cache_lock:
                self._sorted_cache[key] = alerts  # type: ignore[assignment]
        query = [(k, req.arg(k)) for k in ("state", "severity", "sort", "direction")]
        chunk, headers = self._cursor_page(
            req, alerts, f"/orgs/{self.company.org}/dependabot/alerts", query
        )
        cutoff = day_end_epoch(req.day)
        return json_response(
            200,
            [obj.alert_obj(req.base, self.company, s, a, cutoff, True) for s, a in chunk],
            headers,
        )

    # -- teams ---------------------------------------------------------------------------

    def org_teams(self, req: Request) -> Response:
        self._org(req)
        teams = [t for t in self.company.teams if t.created_day <= req.day]
        chunk, headers = self._page(req, teams, f"/orgs/{self.company.org}/teams", [])
        return json_response(200, [obj.team_obj(req.base, self.company, t) for t in chunk], headers)

    def team_members(self, req: Request) -> Response:
        self._org(req)
        index = self.company.lookup("github_team").get(req.params["slug"])
        if index is None:
            return _error(404, "Not Found", f"{DOCS}/teams/members#list-team-members")
        team = self.company.teams[index]
        people = [
            self.company.people[p]
            for p in team.members
            if (status := self.company.people[p].okta_status_on(req.day)) is not None
            and status != "DEPROVISIONED"
        ]
        chunk, headers = self._page(
            req, people, f"/organizations/4100000/team/{team.github_id}/members", []
        )
        return json_response(200, [obj.person_user(req.base, p) for p in chunk], headers)
