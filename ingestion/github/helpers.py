"""HTTP details of the GitHub source: the GraphQL bulk query, its follow-ups, the one REST
call GraphQL cannot replace (Actions workflow state), and the parsing of their answers.

Why GraphQL: one request returns, for 50 repositories at once, what REST spreads over six
endpoints per repository (repository, classic protection, rulesets, commits, workflow
files, Dependabot alerts). Connections that do not fit their first page (a busy commit
history, many alerts) are continued per repository, batched as aliases into one query.

GraphQL answers partially: ``errors`` with a ``path`` name the repository and field that
failed, and only those facts of that repository become unknown (``None``); a failure of
the request itself (HTTP status, throttling after retries, malformed body) fails the load
with a message naming the source, the status and the path, never a credential.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator
from requests import HTTPError, RequestException, Response

from ingestion.errors import SourceError
from ingestion.github import settings
from ingestion.http import RetryPolicy, describe_http_error, is_rate_limited, rest_client
from ingestion.snapshots import hints

# -- errors and table shapes ----------------------------------------------------------------


class GitHubSourceError(SourceError):
    """A failed read; the message names the source, the HTTP status and the path."""


def column_hints(columns: dict[str, str]) -> dict[str, dict[str, Any]]:
    """dlt hints for ``columns``; timestamps are naive UTC so that casts are portable.

    ``ingestion.snapshots.hints`` leaves the time zone to dlt's default (``timestamptz`` in
    DuckDB), whose cast to ``timestamp`` depends on the session's time zone.
    """
    out = hints(columns)
    for name, data_type in columns.items():
        if data_type == "timestamp":
            out[name]["timezone"] = False
    return out


def public_url(url: str) -> str:
    """``url`` without user info, safe to store and to print."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def parse_timestamp(value: str | None) -> dt.datetime | None:
    """GitHub's ISO-8601 ``2025-01-02T03:04:05Z`` as a naive UTC datetime."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def iso_z(value: dt.datetime) -> str:
    """A naive UTC datetime as GitHub's ``GitTimestamp``."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the API client -----------------------------------------------------------------------


def graphql_endpoint(base_url: str) -> tuple[str, str]:
    """(client base, path) of the GraphQL endpoint of a REST base URL.

    api.github.com serves ``/graphql``; GitHub Enterprise Server serves REST under
    ``/api/v3`` and GraphQL at ``/api/graphql``.
    """
    base = base_url.rstrip("/")
    if base.endswith("/api/v3"):
        return base[: -len("/v3")], "/graphql"
    return base, "/graphql"


class GitHubApi:
    """One GitHub endpoint (base URL and token): GraphQL queries and REST lists.

    Counts the requests it sends (retries excluded) so each snapshot records its cost.
    REST clients are per thread: workflow lists are read by a few threads at once.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        retry: RetryPolicy,
        source: str = settings.SOURCE_NAME,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.source = source
        self._token = token
        self._retry = retry
        self._local = threading.local()
        self._lock = threading.Lock()
        self.graphql_requests = 0
        self.rest_requests = 0
        self._graphql_base, self._graphql_path = graphql_endpoint(self.base_url)

    def _client(self, base_url: str) -> RESTClient:
        clients = self._local.__dict__.setdefault("clients", {})
        if base_url not in clients:
            clients[base_url] = rest_client(
                base_url,
                headers=settings.API_HEADERS,
                auth=BearerTokenAuth(self._token),
                policy=self._retry,
            )
        return clients[base_url]

    def _count(self, kind: str) -> None:
        with self._lock:
            if kind == "graphql":
                self.graphql_requests += 1
            else:
                self.rest_requests += 1

    def error(self, exc: BaseException, detail: str = "") -> GitHubSourceError:
        message = describe_http_error(self.source, exc)
        response = getattr(exc, "response", None)
        if response is not None:
            message += _github_message(response)
            if response.status_code == 401:
                message += " (check the token: sources.github.token)"
        return GitHubSourceError(message + detail)

    def graphql(
        self, query: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """``(data, errors)`` of one query. Raises when the request itself failed.

        Throttling (HTTP 200 + ``RATE_LIMITED``) is retried by the shared client, waiting
        until ``x-ratelimit-reset``; a body that is not JSON is asked for again.
        """
        client = self._client(self._graphql_base)
        where = f"POST {urlsplit(self._graphql_base).path}{self._graphql_path}"
        for attempt in range(1, settings.MALFORMED_ATTEMPTS + 1):
            self._count("graphql")
            try:
                response = client.post(
                    self._graphql_path, json={"query": query, "variables": variables}
                )
            except RequestException as exc:
                raise self.error(exc) from exc
            if response.status_code >= 400:
                raise self.error(HTTPError(response=response))
            try:
                payload = response.json()
            except ValueError:
                if attempt < settings.MALFORMED_ATTEMPTS:
                    continue
                raise GitHubSourceError(
                    f"source {self.source}: malformed JSON (HTTP {response.status_code}) on "
                    f"{where}, {attempt} attempts"
                ) from None
            if not isinstance(payload, dict):
                raise GitHubSourceError(f"source {self.source}: unexpected GraphQL body on {where}")
            errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
            throttled = [e for e in errors if e.get("type") == "RATE_LIMITED"]
            if throttled:
                raise GitHubSourceError(
                    f"source {self.source}: HTTP {response.status_code} RATE_LIMITED on {where} "
                    f"after {self._retry.max_attempts} attempts: {throttled[0].get('message')}"
                )
            data = payload.get("data")
            if not isinstance(data, dict):
                first = errors[0] if errors else {}
                raise GitHubSourceError(
                    f"source {self.source}: GraphQL error on {where}: "
                    f"{first.get('type') or 'ERROR'}: {first.get('message') or 'no data'}"
                )
            return data, errors
        raise AssertionError("unreachable")

    def rest_list(self, path: str, params: dict[str, Any], data_selector: str | None) -> list[Any]:
        """Every item of a paginated REST list, following ``Link: rel="next"`` verbatim."""
        client = self._client(self.base_url)
        for attempt in range(1, settings.MALFORMED_ATTEMPTS + 1):
            items: list[Any] = []
            try:
                self._count("rest")
                for page in client.paginate(
                    path,
                    params=params,
                    paginator=HeaderLinkPaginator(),
                    data_selector=data_selector,
                ):
                    items.extend(page)
                    if page.paginator is not None and page.paginator.has_next_page:
                        self._count("rest")
                return items
            except HTTPError:
                raise  # the caller decides: some statuses only make one repository unknown
            except ValueError:  # before RequestException: requests' JSONDecodeError is both
                if attempt < settings.MALFORMED_ATTEMPTS:
                    continue
                raise GitHubSourceError(
                    f"source {self.source}: malformed JSON on GET {urlsplit(client.base_url).path}"
                    f"{path}, {attempt} attempts"
                ) from None
            except RequestException as exc:
                raise self.error(exc) from exc
        raise AssertionError("unreachable")


def _github_message(response: Response) -> str:
    """GitHub's own error message (``{"message": ...}``), which never echoes credentials."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return f": {str(message)[:200]}" if message else ""


# -- queries -----------------------------------------------------------------------------

_PAGE_INFO = "pageInfo { hasNextPage endCursor }"
_PROTECTION_RULE = "pattern requiresApprovingReviews requiredApprovingReviewCount"
_RULESET = (
    "databaseId name enforcement target conditions { refName { include exclude } } "
    "rules(first: 1, type: PULL_REQUEST) { nodes { type parameters { "
    "... on PullRequestParameters { requiredApprovingReviewCount } } } }"
)
_COMMIT = "oid committedDate"
_ALERT = (
    "number state createdAt fixedAt dismissedAt autoDismissedAt "
    "securityVulnerability { severity package { name ecosystem } } securityAdvisory { severity }"
)


def _connection(name: str, arguments: str, nodes: str) -> str:
    return f"{name}({arguments}) {{ {_PAGE_INFO} nodes {{ {nodes} }} }}"


def _protection_rules(after: str = "") -> str:
    return _connection(
        "branchProtectionRules",
        f"first: {settings.PROTECTION_RULES_PAGE_SIZE}{after}",
        _PROTECTION_RULE,
    )


def _rulesets(after: str = "") -> str:
    return _connection(
        "rulesets",
        f"first: {settings.RULESETS_PAGE_SIZE}{after}, includeParents: true, targets: [BRANCH]",
        _RULESET,
    )


def _history(arguments: str) -> str:
    return _connection("history", f"first: {settings.HISTORY_PAGE_SIZE}{arguments}", _COMMIT)


def _alerts(after: str = "") -> str:
    return _connection("vulnerabilityAlerts", f"first: {settings.ALERTS_PAGE_SIZE}{after}", _ALERT)


@lru_cache(maxsize=2)
def repositories_query(with_events: bool) -> str:
    """The bulk query: one page of the organisation's repositories with every fact.

    Without events (the history snapshots) it leaves out commits and alerts, which are
    read once, with their timestamps, from the main snapshot.
    """
    history = f" {_history(', since: $since')}" if with_events else ""
    alerts = f" {_alerts()}" if with_events else ""
    since = ", $since: GitTimestamp" if with_events else ""
    return (
        f"query OrgRepositories($org: String!, $first: Int!, $cursor: String{since}) {{ "
        "organization(login: $org) { "
        "repositories(first: $first, after: $cursor, orderBy: {field: NAME, direction: ASC}) { "
        f"{_PAGE_INFO} nodes {{ "
        "nameWithOwner isArchived visibility pushedAt "
        f"defaultBranchRef {{ name target {{ ... on Commit {{ {_COMMIT}{history} }} }} }} "
        f"{_protection_rules()} {_rulesets()} "
        f'workflowFiles: object(expression: "HEAD:{settings.WORKFLOWS_DIR}") '
        "{ ... on Tree { entries { name type } } } "
        'rootFiles: object(expression: "HEAD:") { ... on Tree { entries { name type } } }'
        f"{alerts} }} }} }} }}"
    )


@dataclass
class FollowUp:
    """One connection of one repository to continue (or, for history, to fill a gap)."""

    repo: str  # nameWithOwner
    facet: str  # commits, alerts, protection_rules, rulesets
    cursor: str | None = None
    since: str | None = None
    until: str | None = None


def follow_up_query(tasks: Sequence[FollowUp]) -> tuple[str, dict[str, Any]]:
    """One query continuing ``tasks``, each under its own alias ``r<i>``."""
    declarations: list[str] = []
    selections: list[str] = []
    variables: dict[str, Any] = {}
    for i, task in enumerate(tasks):
        owner, _, name = task.repo.partition("/")
        declarations += [f"$owner{i}: String!", f"$name{i}: String!", f"$cursor{i}: String"]
        variables.update({f"owner{i}": owner, f"name{i}": name, f"cursor{i}": task.cursor})
        after = f", after: $cursor{i}"
        if task.facet == "commits":
            declarations += [f"$since{i}: GitTimestamp", f"$until{i}: GitTimestamp"]
            variables.update({f"since{i}": task.since, f"until{i}": task.until})
            inner = (
                "defaultBranchRef { target { ... on Commit { "
                f"{_history(f'{after}, since: $since{i}, until: $until{i}')} }} }} }}"
            )
        elif task.facet == "alerts":
            inner = _alerts(after)
        elif task.facet == "protection_rules":
            inner = _protection_rules(after)
        elif task.facet == "rulesets":
            inner = _rulesets(after)
        else:
            raise ValueError(f"unknown follow-up facet {task.facet!r}")
        selections.append(f"r{i}: repository(owner: $owner{i}, name: $name{i}) {{ {inner} }}")
    query = f"query FollowUps({', '.join(declarations)}) {{ {' '.join(selections)} }}"
    return query, variables


# -- branch patterns ------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    """GitHub's fnmatch for branch patterns: ``*`` and ``?`` stop at ``/``, ``**`` does not.

    GitHub documents ``qa/*`` matching ``qa/example`` but not ``qa/example/abc``, and
    ``qa/**`` matching both; ``[...]`` classes (``[!...]`` negated) and ``\\`` escapes work.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(char))
                i += 1
                continue
            body = pattern[i + 1 : end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            body = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append(f"[^/{body}]" if negate else f"[{body}]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z")


def branch_matches(pattern: str, branch: str) -> bool:
    """Whether a classic protection rule's ``pattern`` covers ``branch``."""
    return bool(_glob(pattern).match(branch))


def _ref_matches(pattern: str, branch: str, *, default: bool) -> bool:
    if pattern == "~ALL":
        return True
    if pattern == "~DEFAULT_BRANCH":
        return default
    if pattern.startswith("refs/"):
        return bool(_glob(pattern).match(f"refs/heads/{branch}"))
    return bool(_glob(pattern).match(branch))


def ruleset_targets_branch(conditions: dict[str, Any] | None, branch: str) -> bool:
    """Whether a branch ruleset's ``refName`` condition includes the default ``branch``."""
    ref_name = (conditions or {}).get("refName")
    if not ref_name:
        return False
    include = ref_name.get("include") or []
    exclude = ref_name.get("exclude") or []
    included = any(_ref_matches(p, branch, default=True) for p in include)
    return included and not any(_ref_matches(p, branch, default=True) for p in exclude)


# -- the crawl of one snapshot ----------------------------------------------------------------

FACET_OF_FIELD = {
    "defaultBranchRef": "default_branch",
    "branchProtectionRules": "protection_rules",
    "rulesets": "rulesets",
    "workflowFiles": "ci",
    "rootFiles": "ci",
    "vulnerabilityAlerts": "alerts",
}


@dataclass
class RepoFacts:
    """What the crawl learned about one repository, before facts are derived."""

    node: dict[str, Any]
    protection_rules: list[dict[str, Any]] = field(default_factory=list)
    rulesets: list[dict[str, Any]] = field(default_factory=list)
    commits: dict[str, dt.datetime] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    workflows: list[tuple[str, str]] | None = None  # (path, state) from REST
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)  # facet -> (type, msg)

    @property
    def name_with_owner(self) -> str:
        return str(self.node["nameWithOwner"])

    @property
    def full_name(self) -> str:
        """``org/repo`` in lower case: the key of every table."""
        return self.name_with_owner.lower()

    @property
    def default_branch(self) -> str | None:
        ref = self.node.get("defaultBranchRef")
        return ref.get("name") if isinstance(ref, dict) else None

    def workflow_files(self) -> list[str]:
        tree = self.node.get("workflowFiles") or {}
        return [
            e["name"]
            for e in tree.get("entries") or []
            if e.get("type") == "blob" and e["name"].lower().endswith(settings.WORKFLOW_EXTENSIONS)
        ]


def facet_of(path: Sequence[Any]) -> str:
    """The facet a GraphQL error path below one repository affects."""
    names = [p for p in path if isinstance(p, str)]
    if "history" in names:
        return "commits"
    for name in names:
        if name in FACET_OF_FIELD:
            return FACET_OF_FIELD[name]
    return "repository"


def connection_nodes(value: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(nodes, pageInfo) of a GraphQL connection; empty when it is null (an error)."""
    if not isinstance(value, dict):
        return [], {}
    nodes = [n for n in value.get("nodes") or [] if isinstance(n, dict)]
    return nodes, value.get("pageInfo") or {}


def _history_of(node: dict[str, Any]) -> Any:
    ref = node.get("defaultBranchRef") or {}
    target = ref.get("target") or {}
    return target.get("history")


@dataclass
class Crawl:
    """Everything read for one snapshot day; rows are derived from it."""

    repos: list[RepoFacts]
    orphan_errors: list[dict[str, Any]]
    graphql_requests: int = 0
    rest_requests: int = 0


def _absorb(
    facts: RepoFacts,
    facet: str,
    value: Any,
    pending: list[FollowUp],
    since: str | None = None,
    until: str | None = None,
) -> None:
    """Add one connection page of ``facet`` to ``facts``; queue its next page if any.

    A continued history keeps its ``since``/``until``: a cursor is only valid with the
    arguments of the page it came from.
    """
    nodes, page = connection_nodes(value)
    if facet == "protection_rules":
        facts.protection_rules.extend(nodes)
    elif facet == "rulesets":
        facts.rulesets.extend(nodes)
    elif facet == "alerts":
        facts.alerts.extend(nodes)
    elif facet == "commits":
        for commit in nodes:
            committed = parse_timestamp(commit.get("committedDate"))
            if commit.get("oid") and committed is not None:
                facts.commits[commit["oid"]] = committed
    if value is not None and page.get("hasNextPage") and page.get("endCursor"):
        pending.append(FollowUp(facts.name_with_owner, facet, page["endCursor"], since, until))


def crawl_repositories(
    api: GitHubApi,
    org: str,
    *,
    page_size: int,
    since: dt.datetime | None,
    gap_since: dt.datetime | None = None,
    known_repos: Iterable[str] = (),
) -> Crawl:
    """Read every repository of ``org`` through the bulk query and its follow-ups.

    ``since`` set means a main snapshot (commits since then, and alerts); ``None`` a
    history snapshot (state only). With ``gap_since``, repositories not in
    ``known_repos`` also get their commits between ``gap_since`` and ``since``.
    """
    with_events = since is not None
    query = repositories_query(with_events)
    since_text = iso_z(since) if since is not None else None
    crawl = Crawl(repos=[], orphan_errors=[])
    pending: list[FollowUp] = []
    graphql_before, rest_before = api.graphql_requests, api.rest_requests
    cursor: str | None = None
    while True:
        variables: dict[str, Any] = {"org": org, "first": page_size, "cursor": cursor}
        if with_events:
            variables["since"] = since_text
        data, errors = api.graphql(query, variables)
        organization = data.get("organization")
        if not isinstance(organization, dict):
            detail = errors[0].get("message") if errors else "no organization in the answer"
            raise GitHubSourceError(f"source {api.source}: organization {org!r}: {detail}")
        connection = organization.get("repositories") or {}
        page_repos = {
            index: RepoFacts(node=node)
            for index, node in enumerate(connection.get("nodes") or [])
            if isinstance(node, dict) and node.get("nameWithOwner")
        }
        crawl.repos.extend(page_repos.values())
        _assign_errors(errors, page_repos, crawl.orphan_errors)
        for facts in page_repos.values():
            _absorb_node(facts, with_events, pending, since_text)
        page = connection.get("pageInfo") or {}
        if not page.get("hasNextPage") or not page.get("endCursor"):
            break
        cursor = page["endCursor"]
    if with_events and gap_since is not None and since_text is not None:
        known = set(known_repos)
        pending.extend(
            FollowUp(f.name_with_owner, "commits", None, iso_z(gap_since), since_text)
            for f in crawl.repos
            if f.full_name not in known and "commits" not in f.errors and f.default_branch
        )
    _follow_up(api, {f.full_name: f for f in crawl.repos}, pending)
    read_workflows(api, crawl.repos)
    crawl.graphql_requests = api.graphql_requests - graphql_before
    crawl.rest_requests = api.rest_requests - rest_before
    return crawl


def _assign_errors(
    errors: Iterable[dict[str, Any]],
    page_repos: dict[int, RepoFacts],
    orphans: list[dict[str, Any]],
) -> None:
    """Partial errors of a bulk page: ``path`` names the repository (by index) and field."""
    for error in errors:
        path = error.get("path") or []
        error_type = error.get("type") or "ERROR"
        message = str(error.get("message", ""))[:500]
        if len(path) >= 4 and path[:3] == ["organization", "repositories", "nodes"]:
            facts = page_repos.get(path[3]) if isinstance(path[3], int) else None
            if facts is not None:
                facts.errors.setdefault(facet_of(path[4:]), (error_type, message))
                continue
        # The whole repository node failed: it cannot even be named.
        orphans.append(
            {
                "repo_full_name": None,
                "facet": "repository",
                "error_type": error_type,
                "message": message,
            }
        )


def _absorb_node(
    facts: RepoFacts, with_events: bool, pending: list[FollowUp], since: str | None
) -> None:
    """Take the connections of one bulk-page node (those without errors)."""
    node = facts.node
    connections = [
        ("protection_rules", node.get("branchProtectionRules")),
        ("rulesets", node.get("rulesets")),
    ]
    if with_events:
        connections += [
            ("alerts", node.get("vulnerabilityAlerts")),
            ("commits", _history_of(node)),
        ]
        head = (node.get("defaultBranchRef") or {}).get("target") or {}
        head_at = parse_timestamp(head.get("committedDate"))
        if head.get("oid") and head_at is not None and "default_branch" not in facts.errors:
            facts.commits[head["oid"]] = head_at
    for facet, value in connections:
        if facet not in facts.errors:
            _absorb(facts, facet, value, pending, since)


def _follow_up(api: GitHubApi, by_name: dict[str, RepoFacts], pending: list[FollowUp]) -> None:
    """Continue every queued connection, ``FOLLOW_UP_BATCH`` repositories per request."""
    while pending:
        batch = pending[: settings.FOLLOW_UP_BATCH]
        del pending[: settings.FOLLOW_UP_BATCH]
        query, variables = follow_up_query(batch)
        data, errors = api.graphql(query, variables)
        failed: dict[int, tuple[str, str]] = {}
        for error in errors:
            path = error.get("path") or []
            alias = path[0] if path else None
            if isinstance(alias, str) and alias.startswith("r") and alias[1:].isdigit():
                failed[int(alias[1:])] = (error.get("type") or "ERROR", error.get("message", ""))
        for i, task in enumerate(batch):
            facts = by_name.get(task.repo.lower())
            if facts is None:
                continue
            repository = data.get(f"r{i}")
            if i in failed or not isinstance(repository, dict):
                facts.errors.setdefault(task.facet, failed.get(i, ("NOT_FOUND", "repository gone")))
                continue
            value: Any
            if task.facet == "commits":
                value = _history_of(repository)
            else:
                key = {
                    "alerts": "vulnerabilityAlerts",
                    "protection_rules": "branchProtectionRules",
                    "rulesets": "rulesets",
                }[task.facet]
                value = repository.get(key)
            _absorb(facts, task.facet, value, pending, task.since, task.until)


def read_workflows(api: GitHubApi, repos: list[RepoFacts]) -> None:
    """Actions workflow states, read only where ``.github/workflows`` holds workflow files."""
    wanted = [f for f in repos if "ci" not in f.errors and f.workflow_files()]

    def read(facts: RepoFacts) -> None:
        path = f"/repos/{facts.node['nameWithOwner']}/actions/workflows"
        try:
            items = api.rest_list(path, {"per_page": 100}, "workflows")
        except HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in settings.WORKFLOW_UNKNOWN_STATUSES and not is_rate_limited(exc.response):
                facts.errors["ci"] = (f"HTTP {status}", describe_http_error(api.source, exc))
                return
            raise api.error(exc) from exc
        facts.workflows = workflow_states(items)

    if not wanted:
        return
    with ThreadPoolExecutor(max_workers=settings.WORKFLOW_WORKERS) as pool:
        for future in [pool.submit(read, f) for f in wanted]:
            future.result()


# -- rows -------------------------------------------------------------------------------------


def active_workflows(workflows: Iterable[tuple[str, str]]) -> int:
    """Workflows defined by a file under ``.github/workflows`` whose state is ``active``.

    GitHub also lists its own dynamic workflows (``dynamic/...``: Dependabot updates,
    CodeQL default setup), which are no CI of the repository.
    """
    prefix = settings.WORKFLOWS_DIR + "/"
    return sum(1 for path, state in workflows if path.startswith(prefix) and state == "active")


def workflow_states(workflows: Iterable[Any]) -> list[tuple[str, str]]:
    """(path, state) of each item of ``GET /repos/{o}/{r}/actions/workflows`` ``workflows``."""
    return [
        (str(w.get("path") or ""), str(w.get("state") or ""))
        for w in workflows
        if isinstance(w, dict)
    ]


def protection_facts(facts: RepoFacts) -> dict[str, Any]:
    """branch_protected, protection_source and required_approving_review_count.

    Protected: a classic rule whose pattern matches the default branch, or an ACTIVE
    branch ruleset whose ``refName`` condition includes it. Required approvals: the
    largest count among those rules (0 when none). Unknown parts give ``None`` unless a
    known part already proves protection.
    """
    branch = facts.default_branch
    unknown = {"default_branch", "protection_rules", "rulesets", "repository"} & set(facts.errors)
    classic: list[int] = []
    rulesets: list[int] = []
    if branch is not None:
        if "protection_rules" not in facts.errors:
            for rule in facts.protection_rules:
                if branch_matches(str(rule.get("pattern") or ""), branch):
                    count = rule.get("requiredApprovingReviewCount") or 0
                    classic.append(int(count) if rule.get("requiresApprovingReviews") else 0)
        if "rulesets" not in facts.errors:
            for ruleset in facts.rulesets:
                if str(ruleset.get("enforcement") or "").upper() != "ACTIVE":
                    continue
                if str(ruleset.get("target") or "BRANCH").upper() != "BRANCH":
                    continue
                if not ruleset_targets_branch(ruleset.get("conditions"), branch):
                    continue
                count = 0
                for rule in (ruleset.get("rules") or {}).get("nodes") or []:
                    if str(rule.get("type") or "").upper() == "PULL_REQUEST":
                        parameters = rule.get("parameters") or {}
                        count = max(count, int(parameters.get("requiredApprovingReviewCount") or 0))
                rulesets.append(count)
    source = "+".join(name for name, hits in (("classic", classic), ("ruleset", rulesets)) if hits)
    protected: bool | None = bool(source) or (None if unknown else False)
    return {
        "branch_protected": protected,
        "protection_source": source or None,
        "required_approving_review_count": None if unknown else max(classic + rulesets, default=0),
    }


def ci_facts(facts: RepoFacts) -> dict[str, Any]:
    """ci_configured and ci_systems: an active Actions workflow or another CI's config."""
    systems: list[str] = []
    active = active_workflows(facts.workflows or [])
    if active:
        systems.append(settings.GITHUB_ACTIONS)
    root = facts.node.get("rootFiles") or {}
    names = {e.get("name") for e in root.get("entries") or []}
    systems += [system for name, system in settings.OTHER_CI_ENTRIES.items() if name in names]
    unknown = "ci" in facts.errors or "repository" in facts.errors
    if not unknown and facts.workflow_files() and facts.workflows is None:
        unknown = True
    configured: bool | None = True if systems else (None if unknown else False)
    return {
        "ci_configured": configured,
        "ci_systems": ",".join(systems) or None,
        "workflow_count": len(facts.workflow_files()),
        "active_workflow_count": None if facts.workflows is None else active,
    }


def repository_row(facts: RepoFacts, with_events: bool) -> dict[str, Any]:
    node = facts.node
    head = (node.get("defaultBranchRef") or {}).get("target") or {}
    open_alerts = None
    if with_events and "alerts" not in facts.errors:
        open_alerts = sum(1 for a in facts.alerts if str(a.get("state")).upper() == "OPEN")
    return {
        "repo_full_name": facts.full_name,
        "is_archived": node.get("isArchived"),
        "visibility": str(node["visibility"]).lower() if node.get("visibility") else None,
        "default_branch": facts.default_branch,
        "pushed_at": parse_timestamp(node.get("pushedAt")),
        "head_commit_sha": head.get("oid"),
        "head_committed_at": parse_timestamp(head.get("committedDate")),
        **protection_facts(facts),
        **ci_facts(facts),
        "open_alert_count": open_alerts,
    }


def commit_rows(facts: RepoFacts) -> Iterator[dict[str, Any]]:
    for sha, committed in facts.commits.items():
        yield {"repo_full_name": facts.full_name, "commit_sha": sha, "committed_at": committed}


def alert_row(repo_full_name: str, alert: dict[str, Any]) -> dict[str, Any]:
    """One Dependabot alert as GraphQL spells it (states and severities upper-case)."""
    vulnerability = alert.get("securityVulnerability") or {}
    advisory = alert.get("securityAdvisory") or {}
    package = vulnerability.get("package") or {}
    return {
        "repo_full_name": repo_full_name,
        "alert_number": alert["number"],
        "state": alert.get("state"),
        "severity": vulnerability.get("severity") or advisory.get("severity"),
        "package_name": package.get("name"),
        "ecosystem": package.get("ecosystem"),
        "created_at": parse_timestamp(alert.get("createdAt")),
        "fixed_at": parse_timestamp(alert.get("fixedAt")),
        "dismissed_at": parse_timestamp(alert.get("dismissedAt")),
        "auto_dismissed_at": parse_timestamp(alert.get("autoDismissedAt")),
    }


def alert_rows(facts: RepoFacts) -> Iterator[dict[str, Any]]:
    for alert in facts.alerts:
        if alert.get("number") is not None:
            yield alert_row(facts.full_name, alert)


def error_rows(crawl: Crawl) -> Iterator[dict[str, Any]]:
    """One row per (repository, facet) whose facts are unknown in this snapshot."""
    yield from crawl.orphan_errors
    for facts in crawl.repos:
        for facet, (error_type, message) in sorted(facts.errors.items()):
            yield {
                "repo_full_name": facts.full_name,
                "facet": facet,
                "error_type": error_type,
                "message": str(message)[:500],
            }
