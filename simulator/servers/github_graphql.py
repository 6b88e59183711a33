"""GitHub's GraphQL endpoint, executed by graphql-core over a subset of GitHub's schema.

Before executing, the query is checked the way GitHub checks it statically: every
connection needs ``first`` or ``last`` between 1 and 100, the query may ask for at most
500,000 nodes, and its cost in points is (connection requests, assuming full pages) /
100, rounded, at least 1 — the formula in GitHub's rate-limit documentation.

Resolvers rely on graphql-core's default field resolver: node objects below expose
attributes and methods named exactly like the schema's fields (hence camelCase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    build_schema,
    execute,
    get_named_type,
    parse,
    validate,
    value_from_ast_untyped,
)
from graphql.error import GraphQLSyntaxError

from simulator.determinism import hash64, token
from simulator.events import Alert, Commit
from simulator.git_state import classic_protection, ruleset_on, ruleset_rules, tree
from simulator.model import Company, Service, Team
from simulator.servers.framework import RateWindow, Request, Response, json_response
from simulator.servers.paging import decode_cursor, encode_cursor
from simulator.timeline import NEVER, day_end_epoch, day_start_epoch, iso

SCHEMA = build_schema((Path(__file__).parent / "github_schema.graphql").read_text(encoding="utf-8"))
MAX_PAGE = 100
MAX_NODES = 500_000
SEVERITY = {"low": "LOW", "medium": "MODERATE", "high": "HIGH", "critical": "CRITICAL"}


class GitHubError(GraphQLError):
    """A resolver error carrying GitHub's error ``type`` (NOT_FOUND, INVALID_CURSOR_ARGUMENTS…)."""

    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message)
        self.error_type = error_type


@dataclass
class Context:
    company: Company
    day: int
    cutoff: int
    base: str
    web: str = "https://github.com"


def connection(items: list[Any], args: dict[str, Any], wrap: Any = None) -> dict[str, Any]:
    """Slice ``items`` like a GraphQL cursor connection (first/after, last/before)."""
    first, last = args.get("first"), args.get("last")
    start, end = 0, len(items)
    for name in ("after", "before"):
        cursor = args.get(name)
        if cursor is None:
            continue
        position = decode_cursor(cursor)
        if position is None:
            raise GitHubError(
                f"`{name}` does not appear to be a valid cursor.", "INVALID_CURSOR_ARGUMENTS"
            )
        if name == "after":
            start = max(start, position + 1)
        else:
            end = min(end, position)
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    start = min(start, end)
    chosen = items[start:end]
    nodes = [wrap(i) if wrap else i for i in chosen]
    cursors = [encode_cursor(start + k) for k in range(len(chosen))]
    return {
        "totalCount": len(items),
        "nodes": nodes,
        "edges": [
            {"cursor": c, "node": n, "role": "MEMBER"} for c, n in zip(cursors, nodes, strict=True)
        ],
        "pageInfo": {
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
        "totalDiskUsage": 0,
    }


class UserNode:
    def __init__(
        self, ctx: Context, login: str, user_id: int, name: str | None, email: str
    ) -> None:
        self.id = "U_kgDO" + token(user_id, 6)
        self.databaseId = user_id
        self.login = login
        self.name = name
        self.email = email
        self.url = f"{ctx.web}/{login}"

    _UserNode__typename = "User"


class OrgNode:
    _OrgNode__typename = "Organization"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        company = ctx.company
        self.id = "O_kgDO" + token(4_100_000, 6)
        self.databaseId = 4_100_000
        self.login = company.org
        self.name = company.org.capitalize()
        self.url = f"{ctx.web}/{company.org}"

    def _services(self) -> list[Service]:
        return [s for s in self.ctx.company.services if s.exists_on(self.ctx.day)]

    def repositories(self, info: Any, **args: Any) -> dict[str, Any]:
        services = self._services()
        if args.get("isFork") is True:
            services = []
        if args.get("isArchived") is not None:
            services = [s for s in services if s.repo.archived == args["isArchived"]]
        if args.get("privacy") == "PUBLIC":
            services = [s for s in services if s.repo.visibility == "public"]
        elif args.get("privacy") == "PRIVATE":
            services = [s for s in services if s.repo.visibility != "public"]
        if args.get("visibility"):
            services = [s for s in services if s.repo.visibility.upper() == args["visibility"]]
        order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
        field = order["field"]
        if field == "NAME":
            services.sort(key=lambda s: s.repo.name.lower())
        elif field in ("PUSHED_AT", "UPDATED_AT"):
            events = self.ctx.company.events
            services.sort(
                key=lambda s: (
                    (c.epoch if (c := events.latest_commit(s, self.ctx.day)) else 0),
                    s.repo.id,
                )
            )
        elif field == "STARGAZERS":
            services.sort(key=lambda s: (hash64(s.repo.id) % 40, s.repo.id))
        else:
            services.sort(key=lambda s: (s.repo.created_day, s.repo.id))
        if order["direction"] == "DESC":
            services.reverse()
        return connection(services, args, lambda s: RepoNode(self.ctx, s))

    def repository(self, info: Any, name: str, followRenames: bool = True) -> RepoNode | None:  # noqa: N803
        index = self.ctx.company.lookup("repo").get(name)
        if index is None or not self.ctx.company.services[index].exists_on(self.ctx.day):
            raise GitHubError(
                f"Could not resolve to a Repository with the name '{self.login}/{name}'.",
                "NOT_FOUND",
            )
        return RepoNode(self.ctx, self.ctx.company.services[index])

    def teams(self, info: Any, **args: Any) -> dict[str, Any]:
        teams = [t for t in self.ctx.company.teams if t.created_day <= self.ctx.day]
        if args.get("rootTeamsOnly"):
            teams = [t for t in teams if t.parent is None]
        if args.get("query"):
            teams = [
                t
                for t in teams
                if args["query"].lower() in t.title.lower()
                or args["query"].lower() in t.github_slug
            ]
        teams.sort(
            key=lambda t: t.title.lower(),
            reverse=(args.get("orderBy") or {}).get("direction") == "DESC",
        )
        return connection(teams, args, lambda t: TeamNode(self.ctx, t))

    def team(self, info: Any, slug: str) -> TeamNode | None:
        index = self.ctx.company.lookup("github_team").get(slug)
        return TeamNode(self.ctx, self.ctx.company.teams[index]) if index is not None else None


class TeamNode:
    def __init__(self, ctx: Context, team: Team) -> None:
        self.ctx = ctx
        self.team = team
        self.id = "T_kwDO" + token(team.github_id, 6)
        self.databaseId = team.github_id
        self.name = team.title
        self.slug = team.github_slug
        self.combinedSlug = f"{ctx.company.org}/{team.github_slug}"
        self.description = f"{team.title} ({team.kind})"
        self.privacy = "VISIBLE"
        self.url = f"{ctx.web}/orgs/{ctx.company.org}/teams/{team.github_slug}"

    def parentTeam(self, info: Any) -> TeamNode | None:  # noqa: N802
        parent = self.team.parent
        return TeamNode(self.ctx, self.ctx.company.teams[parent]) if parent is not None else None

    def members(self, info: Any, **args: Any) -> dict[str, Any]:
        people = [
            self.ctx.company.people[p]
            for p in self.team.members
            if (status := self.ctx.company.people[p].okta_status_on(self.ctx.day)) is not None
            and status != "DEPROVISIONED"
        ]
        return connection(
            people,
            args,
            lambda p: UserNode(self.ctx, p.github_login, p.github_id, p.display_name, ""),
        )


class CommitNode:
    _CommitNode__typename = "Commit"

    def __init__(self, ctx: Context, service: Service, commit: Commit, position: int) -> None:
        self.ctx = ctx
        self.service = service
        self.commit = commit
        self.position = position
        full = f"{ctx.company.org}/{service.repo.name}"
        self.id = "C_kwDO" + token(int(commit.sha[:15], 16), 20)
        self.oid = commit.sha
        self.abbreviatedOid = commit.sha[:7]
        self.commitUrl = self.url = f"{ctx.web}/{full}/commit/{commit.sha}"
        self.committedDate = self.authoredDate = iso(commit.epoch)
        self.message = self.messageHeadline = commit.message

    def _actor(self) -> dict[str, Any]:
        person = self.ctx.company.people[self.commit.author]
        return {
            "name": person.display_name,
            "email": person.email,
            "date": iso(self.commit.epoch),
            "user": UserNode(
                self.ctx, person.github_login, person.github_id, person.display_name, ""
            ),
        }

    def author(self, info: Any) -> dict[str, Any]:
        return self._actor()

    def committer(self, info: Any) -> dict[str, Any]:
        return self._actor()

    def repository(self, info: Any) -> RepoNode:
        return RepoNode(self.ctx, self.service)

    def history(self, info: Any, **args: Any) -> dict[str, Any]:
        events = self.ctx.company.events
        total = events.commit_count(self.service, self.ctx.day) - self.position
        since, until = args.get("since"), args.get("until")
        chosen: list[int] | None = None
        if since or until:
            lo = _epoch(since) if since else None
            hi = _epoch(until) if until else None
            chosen = []
            for k in range(total):
                c = events.commit_at(self.service, self.ctx.day, self.position + k)
                if c is None or (lo is not None and c.epoch < lo):
                    break
                if hi is None or c.epoch <= hi:
                    chosen.append(self.position + k)
        positions = _Positions(self.position, total, chosen)
        return connection(positions, args, self._node_at)

    def _node_at(self, position: int) -> CommitNode:
        commit = self.ctx.company.events.commit_at(self.service, self.ctx.day, position)
        assert commit is not None
        return CommitNode(self.ctx, self.service, commit, position)


class _Positions(list):  # type: ignore[type-arg]
    """Commit positions ``head, head+1, …`` (or a chosen subset), materialised only when sliced."""

    def __init__(self, head: int, length: int, chosen: list[int] | None) -> None:
        super().__init__()
        self.head = head
        self.length = len(chosen) if chosen is not None else max(0, length)
        self.chosen = chosen

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            return [self._position(k) for k in range(*item.indices(self.length))]
        return self._position(item)

    def _position(self, k: int) -> int:
        return self.chosen[k] if self.chosen is not None else self.head + k


def _epoch(value: str) -> int:
    import datetime as dt

    return int(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


class TreeNode:
    _TreeNode__typename = "Tree"

    def __init__(
        self, ctx: Context, service: Service, path: str, entries: list[tuple[str, str]]
    ) -> None:
        self.ctx = ctx
        self.service = service
        sha = f"{hash64(service.repo.id, len(path), sum(map(ord, path))):016x}" * 3
        self.id = "MDQ6VHJlZT" + sha[:12]
        self.oid = sha[:40]
        self.abbreviatedOid = sha[:7]
        self.commitUrl = f"{ctx.web}/{ctx.company.org}/{service.repo.name}/tree/HEAD/{path}"
        prefix = f"{path}/" if path else ""
        self.entries = [
            {
                "name": name,
                "path": prefix + name,
                "type": kind,
                "mode": 16384 if kind == "tree" else 33188,
                "oid": f"{hash64(service.repo.id, sum(map(ord, prefix + name))):016x}" * 2
                + "00000000",
                "extension": ("." + name.rsplit(".", 1)[1])
                if "." in name and kind == "blob"
                else "",
            }
            for name, kind in entries
        ]

    def repository(self, info: Any) -> RepoNode:
        return RepoNode(self.ctx, self.service)


class BlobNode:
    _BlobNode__typename = "Blob"

    def __init__(self, ctx: Context, service: Service, path: str) -> None:
        self.ctx = ctx
        self.service = service
        sha = f"{hash64(service.repo.id, 7, sum(map(ord, path))):016x}" * 3
        self.id = "MDQ6QmxvYj" + sha[:12]
        self.oid = sha[:40]
        self.abbreviatedOid = sha[:7]
        self.commitUrl = f"{ctx.web}/{ctx.company.org}/{service.repo.name}/blob/HEAD/{path}"
        self.text = f"# {path}\n"
        self.byteSize = len(self.text)
        self.isBinary = False

    def repository(self, info: Any) -> RepoNode:
        return RepoNode(self.ctx, self.service)


class RulesetNode:
    def __init__(self, ctx: Context, repo: RepoNode) -> None:
        service = repo.service
        ruleset = ruleset_on(service, ctx.day)
        assert ruleset is not None
        self.ruleset = ruleset
        self.repo = repo
        self.id = "RRS_lACq" + token(ruleset.id, 12)
        self.databaseId = ruleset.id
        self.name = ruleset.name
        self.enforcement = ruleset.enforcement.upper()
        self.target = "BRANCH"
        self.conditions = {"refName": {"include": ["~DEFAULT_BRANCH"], "exclude": []}}
        self.createdAt = self.updatedAt = iso(day_start_epoch(ruleset.created_day) + 5000)

    def source(self, info: Any) -> RepoNode:
        return self.repo

    def rules(self, info: Any, **args: Any) -> dict[str, Any]:
        items = []
        for k, (rtype, params) in enumerate(ruleset_rules(self.ruleset)):
            if args.get("type") and args["type"] != rtype.upper():
                continue
            parameters = None
            if rtype == "pull_request" and params:
                parameters = {
                    "__typename": "PullRequestParameters",
                    "requiredApprovingReviewCount": params["required_approving_review_count"],
                    "dismissStaleReviewsOnPush": params["dismiss_stale_reviews_on_push"],
                    "requireCodeOwnerReview": params["require_code_owner_review"],
                    "requireLastPushApproval": params["require_last_push_approval"],
                    "requiredReviewThreadResolution": params["required_review_thread_resolution"],
                    "allowedMergeMethods": [m.upper() for m in params["allowed_merge_methods"]],  # type: ignore[attr-defined]
                }
            elif rtype == "required_status_checks" and params:
                parameters = {
                    "__typename": "RequiredStatusChecksParameters",
                    "strictRequiredStatusChecksPolicy": params[
                        "strict_required_status_checks_policy"
                    ],
                    "doNotEnforceOnCreate": params["do_not_enforce_on_create"],
                    "requiredStatusChecks": [
                        {"context": c["context"], "integrationId": c["integration_id"]}
                        for c in params["required_status_checks"]  # type: ignore[attr-defined]
                    ],
                }
            items.append(
                {
                    "id": f"RR_{self.ruleset.id}_{k}",
                    "type": rtype.upper(),
                    "parameters": parameters,
                    "repositoryRuleset": self,
                }
            )
        return connection(items, args)


class RepoNode:
    _RepoNode__typename = "Repository"

    def __init__(self, ctx: Context, service: Service) -> None:
        self.ctx = ctx
        self.service = service
        repo = service.repo
        self.id = repo.node_id
        self.databaseId = repo.id
        self.name = repo.name
        self.nameWithOwner = f"{ctx.company.org}/{repo.name}"
        self.description = service.description
        self.url = f"{ctx.web}/{self.nameWithOwner}"
        self.homepageUrl = None
        self.isArchived = repo.archived
        self.isFork = False
        self.isDisabled = False
        self.isPrivate = repo.visibility != "public"
        self.isEmpty = False
        self.isTemplate = False
        self.visibility = repo.visibility.upper()
        self.createdAt = iso(day_start_epoch(repo.created_day) + 36_000)
        self.archivedAt = None
        self.primaryLanguage = {
            "id": "L_" + repo.language,
            "name": repo.language,
            "color": "#3572A5",
        }

    def _latest(self) -> Commit | None:
        return self.ctx.company.events.latest_commit(self.service, self.ctx.day)

    def pushedAt(self, info: Any) -> str | None:  # noqa: N802
        latest = self._latest()
        return iso(latest.epoch) if latest else None

    def updatedAt(self, info: Any) -> str:  # noqa: N802
        return self.pushedAt(info) or self.createdAt

    def owner(self, info: Any) -> OrgNode:
        return OrgNode(self.ctx)

    def _bpr(self) -> dict[str, Any] | None:
        p = classic_protection(self.service, self.ctx.day)
        if p is None:
            return None
        return {
            "id": "BPR_kwDO" + token(self.service.repo.id, 10),
            "pattern": self.service.repo.default_branch,
            "isAdminEnforced": p.enforce_admins,
            "requiresApprovingReviews": p.approvals is not None,
            "requiredApprovingReviewCount": p.approvals,
            "requiresCodeOwnerReviews": False,
            "dismissesStaleReviews": p.strict,
            "requiresStatusChecks": bool(p.status_checks),
            "requiresStrictStatusChecks": p.strict,
            "requiredStatusCheckContexts": list(p.status_checks),
            "requiresLinearHistory": p.linear_history,
            "requiresCommitSignatures": False,
            "requiresConversationResolution": False,
            "requireLastPushApproval": False,
            "allowsForcePushes": False,
            "allowsDeletions": False,
            "lockBranch": False,
            "restrictsPushes": False,
        }

    def _ref(self) -> dict[str, Any]:
        latest = self._latest()
        branch = self.service.repo.default_branch
        return {
            "id": "REF_kwDO" + token(self.service.repo.id, 12),
            "name": branch,
            "prefix": "refs/heads/",
            "target": CommitNode(self.ctx, self.service, latest, 0) if latest else None,
            "branchProtectionRule": self._bpr(),
        }

    def defaultBranchRef(self, info: Any) -> dict[str, Any]:  # noqa: N802
        return self._ref()

    def ref(self, info: Any, qualifiedName: str) -> dict[str, Any] | None:  # noqa: N803
        branch = self.service.repo.default_branch
        return self._ref() if qualifiedName in (branch, f"refs/heads/{branch}") else None

    def object(self, info: Any, expression: str | None = None, oid: str | None = None) -> Any:
        if expression is None:
            return None
        revision, _, path = expression.partition(":")
        if revision not in (
            "HEAD",
            self.service.repo.default_branch,
            f"refs/heads/{self.service.repo.default_branch}",
        ):
            return None
        if not _:
            latest = self._latest()
            return CommitNode(self.ctx, self.service, latest, 0) if latest else None
        path = path.strip("/")
        entries = tree(self.service, self.ctx.day, path)
        if entries is not None:
            return TreeNode(self.ctx, self.service, path, entries)
        directory, _, name = path.rpartition("/")
        parent = tree(self.service, self.ctx.day, directory)
        if parent and any(n == name and k == "blob" for n, k in parent):
            return BlobNode(self.ctx, self.service, path)
        return None

    def branchProtectionRules(self, info: Any, **args: Any) -> dict[str, Any]:  # noqa: N802
        rule = self._bpr()
        return connection([rule] if rule else [], args)

    def rulesets(self, info: Any, **args: Any) -> dict[str, Any]:
        exists = ruleset_on(self.service, self.ctx.day) is not None
        targets = args.get("targets")
        if targets and "BRANCH" not in targets:
            exists = False
        return connection([RulesetNode(self.ctx, self)] if exists else [], args)

    def vulnerabilityAlerts(self, info: Any, **args: Any) -> dict[str, Any]:  # noqa: N802
        states = set(args.get("states") or [])
        scopes = set(args.get("dependencyScopes") or [])
        cutoff = self.ctx.cutoff
        chosen: list[tuple[Alert, str]] = []
        for alert in self.ctx.company.events.alerts(self.service):
            state = alert.state_at(cutoff)
            if state is None:
                continue
            gql_state = state.upper()
            if states and gql_state not in states:
                continue
            if scopes and alert.scope.upper() not in scopes:
                continue
            chosen.append((alert, gql_state))
        return connection(chosen, args, lambda pair: self._alert(*pair))

    def _alert(self, alert: Alert, state: str) -> dict[str, Any]:
        resolved = iso(alert.resolved) if state != "OPEN" and alert.resolved != NEVER else None
        severity = SEVERITY[alert.severity]
        return {
            "id": "RVA_kwDO" + token(hash64(self.service.repo.id, alert.number), 12),
            "number": alert.number,
            "state": state,
            "createdAt": iso(alert.created),
            "dismissedAt": resolved if state == "DISMISSED" else None,
            "fixedAt": resolved if state == "FIXED" else None,
            "autoDismissedAt": resolved if state == "AUTO_DISMISSED" else None,
            "dismissReason": alert.dismissed_reason if state == "DISMISSED" else None,
            "vulnerableManifestPath": alert.manifest,
            "vulnerableManifestFilename": alert.manifest.rsplit("/", 1)[-1],
            "vulnerableRequirements": alert.vulnerable_range,
            "dependencyScope": alert.scope.upper(),
            "securityVulnerability": {
                "severity": severity,
                "package": {"name": alert.package, "ecosystem": alert.ecosystem},
                "vulnerableVersionRange": alert.vulnerable_range,
                "firstPatchedVersion": {"identifier": alert.patched},
                "updatedAt": iso(alert.created - 3600),
            },
            "securityAdvisory": {
                "ghsaId": alert.ghsa,
                "summary": f"{alert.package} vulnerability",
                "description": f"Versions {alert.vulnerable_range} of {alert.package} are affected.",
                "severity": severity,
                "publishedAt": iso(alert.created - 86_400),
                "permalink": f"https://github.com/advisories/{alert.ghsa}",
                "identifiers": [
                    {"type": "GHSA", "value": alert.ghsa},
                    {"type": "CVE", "value": alert.cve},
                ],
            },
            "repository": self,
        }

    def repositoryTopics(self, info: Any, **args: Any) -> dict[str, Any]:  # noqa: N802
        topics = [
            {
                "id": f"RT_{t}",
                "topic": {"id": f"T_{t}", "name": t},
                "url": f"{self.ctx.web}/topics/{t}",
            }
            for t in self.service.repo.topics
        ]
        return connection(topics, args)


def _resolve_abstract(value: Any, info: Any, abstract_type: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("__typename")
    for cls in type(value).__mro__:
        name = getattr(value, f"_{cls.__name__}__typename", None)
        if name:
            return name
    return None


for _name in ("GitObject", "RepositoryOwner", "RuleSource", "RuleParameters"):
    SCHEMA.type_map[_name].resolve_type = _resolve_abstract  # type: ignore[attr-defined]


class QueryRoot:
    def __init__(self, ctx: Context, rate: dict[str, Any]) -> None:
        self.ctx = ctx
        self.rate = rate

    def rateLimit(self, info: Any, dryRun: bool = False) -> dict[str, Any]:  # noqa: N802, N803
        return self.rate

    def organization(self, info: Any, login: str) -> OrgNode:
        if login.lower() != self.ctx.company.org:
            raise GitHubError(
                f"Could not resolve to an Organization with the login of '{login}'.", "NOT_FOUND"
            )
        return OrgNode(self.ctx)

    def repository(self, info: Any, owner: str, name: str, followRenames: bool = True) -> RepoNode:  # noqa: N803
        if owner.lower() != self.ctx.company.org:
            raise GitHubError(
                f"Could not resolve to a Repository with the name '{owner}/{name}'.", "NOT_FOUND"
            )
        return OrgNode(self.ctx).repository(info, name)

    def viewer(self, info: Any) -> UserNode:
        return UserNode(
            self.ctx, "readiness-bot", 49_000_001, "Readiness Bot", "readiness-bot@acme.example"
        )


class _Limits(Exception):
    def __init__(self, error_type: str, message: str, path: list[str], node: Any) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.path = path
        self.node = node


def _analyse(
    document: Any, variables: dict[str, Any], operation_name: str | None
) -> tuple[int, int]:
    """(cost in points, node count) of the operation; raises ``_Limits`` on bad pagination."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (o for o in operations if operation_name and o.name and o.name.value == operation_name),
        operations[0],
    )
    requests = 0
    nodes = 0

    def arg_value(field: FieldNode, name: str) -> Any:
        for argument in field.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, variables)
        return None

    def walk(selection_set: Any, parent: Any, multiplier: int, path: list[str]) -> None:
        nonlocal requests, nodes
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if (
                    name.startswith("__")
                    or not hasattr(parent, "fields")
                    or name not in parent.fields
                ):
                    continue
                field_type = get_named_type(parent.fields[name].type)
                alias = selection.alias.value if selection.alias else name
                child_multiplier = multiplier
                if field_type.name.endswith("Connection"):
                    first, last = arg_value(selection, "first"), arg_value(selection, "last")
                    if first is None and last is None:
                        raise _Limits(
                            "MISSING_PAGINATION_BOUNDARIES",
                            f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
                            [*path, alias],
                            selection,
                        )
                    for label, value in (("first", first), ("last", last)):
                        if value is None:
                            continue
                        if value > MAX_PAGE:
                            raise _Limits(
                                "EXCESSIVE_PAGINATION",
                                f"Requesting {value} records on the `{name}` connection exceeds the `{label}` limit of {MAX_PAGE} records.",
                                [*path, alias],
                                selection,
                            )
                        if value < 1:
                            raise _Limits(
                                "INVALID_PAGINATION",
                                f"`{label}` on the `{name}` connection must be between 1 and {MAX_PAGE}, got {value}.",
                                [*path, alias],
                                selection,
                            )
                    size = max(v for v in (first, last) if v is not None)
                    requests += multiplier
                    nodes += multiplier * size
                    child_multiplier = multiplier * size
                if selection.selection_set is not None:
                    walk(selection.selection_set, field_type, child_multiplier, [*path, alias])
            elif isinstance(selection, InlineFragmentNode):
                target = (
                    SCHEMA.type_map.get(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                walk(selection.selection_set, target, multiplier, path)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                walk(
                    fragment.selection_set,
                    SCHEMA.type_map.get(fragment.type_condition.name.value),
                    multiplier,
                    path,
                )

    root = SCHEMA.query_type
    walk(operation.selection_set, root, 1, [])
    if nodes > MAX_NODES:
        raise _Limits(
            "MAX_NODE_LIMIT_EXCEEDED",
            f"This query requests up to {nodes:,} possible nodes which exceeds the maximum limit of {MAX_NODES:,}.",
            [],
            None,
        )
    return max(1, round(requests / 100)), nodes


_UNDEFINED_FIELD = re.compile(r"^Cannot query field '([^']+)' on type '([^']+)'\.")


def _format_validation(error: GraphQLError) -> dict[str, Any]:
    """Validation errors in GitHub's wording where it differs from graphql-core's."""
    out: dict[str, Any] = {"message": error.message}
    m = _UNDEFINED_FIELD.match(error.message)
    if m:
        out = {
            "path": ["query"],
            "extensions": {
                "code": "undefinedField",
                "typeName": m.group(2),
                "fieldName": m.group(1),
            },
            "message": f"Field '{m.group(1)}' doesn't exist on type '{m.group(2)}'",
        }
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return out


class GraphQLApi:
    """Runs one ``POST /graphql`` request, charging its cost to the ``graphql`` window."""

    def __init__(self, company: Company, window: RateWindow) -> None:
        self.company = company
        self.window = window
        # Clients send the same query text page after page: parse and validate it once.
        self._documents: dict[str, tuple[Any, list[GraphQLError]]] = {}

    def execute(self, req: Request) -> Response:
        try:
            payload = orjson.loads(req.body or b"")
        except orjson.JSONDecodeError:
            return json_response(
                400,
                {
                    "message": "Problems parsing JSON",
                    "documentation_url": "https://docs.github.com/graphql",
                    "status": "400",
                },
            )
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return json_response(
                200,
                {
                    "errors": [
                        {"message": "A query attribute must be specified and must be a string."}
                    ]
                },
            )
        variables = payload.get("variables") or {}
        operation_name = payload.get("operationName")
        cached = self._documents.get(payload["query"])
        if cached is None:
            try:
                document = parse(payload["query"])
            except GraphQLSyntaxError as exc:
                loc = exc.locations[0] if exc.locations else None
                error: dict[str, Any] = {"message": exc.message}
                if loc:
                    error["locations"] = [{"line": loc.line, "column": loc.column}]
                return json_response(200, {"errors": [error]})
            cached = (document, validate(SCHEMA, document))
            if len(self._documents) > 128:
                self._documents.clear()
            self._documents[payload["query"]] = cached
        document, problems = cached
        if problems:
            return json_response(200, {"errors": [_format_validation(p) for p in problems]})
        try:
            cost, node_count = _analyse(document, variables, operation_name)
        except _Limits as exc:
            error = {"type": exc.error_type, "path": exc.path, "message": str(exc)}
            if exc.node is not None and exc.node.loc is not None:
                source_loc = exc.node.loc.source.get_location(exc.node.loc.start)
                error["locations"] = [{"line": source_loc.line, "column": source_loc.column}]
            return json_response(200, {"errors": [error]})
        req.rate = self.window.hit(cost)
        limit, remaining, used, reset_epoch = req.rate
        rate = {
            "limit": limit,
            "cost": cost,
            "remaining": remaining,
            "used": used,
            "resetAt": iso(reset_epoch),
            "nodeCount": node_count,
        }
        ctx = Context(
            company=self.company, day=req.day, cutoff=day_end_epoch(req.day), base=req.base
        )
        result = execute(
            SCHEMA,
            document,
            root_value=QueryRoot(ctx, rate),
            variable_values=variables,
            operation_name=operation_name,
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            errors = []
            for err in result.errors:
                item: dict[str, Any] = {
                    "type": getattr(err.original_error, "error_type", None)
                    or getattr(err, "error_type", None)
                    or "INTERNAL",
                    "path": err.path,
                    "message": err.message,
                }
                if err.locations:
                    item["locations"] = [
                        {"line": loc.line, "column": loc.column} for loc in err.locations
                    ]
                if (
                    item["type"] == "INTERNAL"
                    and err.original_error is not None
                    and not isinstance(err.original_error, GraphQLError)
                ):
                    item["message"] = (
                        f"Something went wrong while executing your query: {err.message}"
                    )
                errors.append(item)
            body["errors"] = errors
        return json_response(200, body)
