"""GraphQL details of the GitHub teams source.

One query returns 100 teams with their parent and their first 100 direct members, where
REST needs one request for the team list plus one per team. Teams with more members are
continued per team, batched as aliases into one query. Members are the team's own
(``membership: IMMEDIATE``): the hierarchy is kept in ``parent_team_slug``, so a rollup
to parent teams is a query away and never counts a person twice.

Any GraphQL error fails the load: a team list with holes would turn owners into
"no members" facts; a failed load keeps the previous snapshot instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ingestion.github.helpers import GitHubApi, GitHubSourceError
from ingestion.github_teams import settings

_MEMBERS = (
    "members(first: {size}{after}, membership: IMMEDIATE) "
    "{{ pageInfo {{ hasNextPage endCursor }} edges {{ role node {{ login }} }} }}"
)

TEAMS_QUERY = (
    "query OrgTeams($org: String!, $cursor: String) { organization(login: $org) { "
    f"teams(first: {settings.TEAMS_PAGE_SIZE}, after: $cursor, "
    "orderBy: {field: NAME, direction: ASC}) { pageInfo { hasNextPage endCursor } "
    "nodes { slug combinedSlug name parentTeam { combinedSlug } "
    + _MEMBERS.format(size=settings.MEMBERS_PAGE_SIZE, after="")
    + " } } } }"
)


@dataclass
class Team:
    slug: str  # team slug within the org
    row: dict[str, Any]
    members: dict[str, str | None] = field(default_factory=dict)  # login -> role


@dataclass
class TeamsCrawl:
    teams: list[Team]
    graphql_requests: int = 0

    def team_rows(self) -> list[dict[str, Any]]:
        return [{**t.row, "member_count": len(t.members)} for t in self.teams]

    def member_rows(self) -> list[dict[str, Any]]:
        return [
            {"team_slug": t.row["team_slug"], "login": login, "role": role}
            for t in self.teams
            for login, role in sorted(t.members.items())
        ]


def team_row(org: str, node: dict[str, Any]) -> dict[str, Any]:
    """One team: ``org/slug`` keys in lower case, as Backstage's ``github.com/team-slug``."""
    parent = node.get("parentTeam") or {}
    combined = node.get("combinedSlug") or f"{org}/{node['slug']}"
    return {
        "team_slug": str(combined).lower(),
        "name": node.get("name"),
        "parent_team_slug": str(parent["combinedSlug"]).lower()
        if parent.get("combinedSlug")
        else None,
    }


def _add_members(team: Team, connection: Any) -> str | None:
    """Add a page of members; the cursor of the next page, if any."""
    if not isinstance(connection, dict):
        return None
    for edge in connection.get("edges") or []:
        node = (edge or {}).get("node") or {}
        if node.get("login"):
            role = edge.get("role")
            team.members[str(node["login"]).lower()] = str(role).lower() if role else None
    page = connection.get("pageInfo") or {}
    return page.get("endCursor") if page.get("hasNextPage") else None


def _raise_on_errors(api: GitHubApi, errors: Sequence[dict[str, Any]]) -> None:
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.get("path") or [])
        raise GitHubSourceError(
            f"source {api.source}: GraphQL error on POST /graphql at {path or 'query'}: "
            f"{first.get('type') or 'ERROR'}: {first.get('message')}"
        )


def members_query(count: int) -> str:
    declarations = ", ".join(f"$slug{i}: String!, $cursor{i}: String" for i in range(count))
    selections = " ".join(
        f"t{i}: organization(login: $org) {{ team(slug: $slug{i}) {{ "
        + _MEMBERS.format(size=settings.MEMBERS_PAGE_SIZE, after=f", after: $cursor{i}")
        + " } }"
        for i in range(count)
    )
    return f"query TeamMembers($org: String!, {declarations}) {{ {selections} }}"


def crawl_teams(api: GitHubApi, org: str) -> TeamsCrawl:
    """Every team of ``org`` with its direct members."""
    before = api.graphql_requests
    teams: list[Team] = []
    pending: list[tuple[Team, str]] = []
    cursor: str | None = None
    while True:
        data, errors = api.graphql(TEAMS_QUERY, {"org": org, "cursor": cursor})
        _raise_on_errors(api, errors)
        organization = data.get("organization")
        if not isinstance(organization, dict):
            raise GitHubSourceError(f"source {api.source}: organization {org!r} not found")
        connection = organization.get("teams") or {}
        for node in connection.get("nodes") or []:
            if not isinstance(node, dict) or not node.get("slug"):
                continue
            team = Team(slug=node["slug"], row=team_row(org, node))
            teams.append(team)
            next_cursor = _add_members(team, node.get("members"))
            if next_cursor:
                pending.append((team, next_cursor))
        page = connection.get("pageInfo") or {}
        if not page.get("hasNextPage") or not page.get("endCursor"):
            break
        cursor = page["endCursor"]
    while pending:
        batch = pending[: settings.FOLLOW_UP_BATCH]
        del pending[: settings.FOLLOW_UP_BATCH]
        variables: dict[str, Any] = {"org": org}
        for i, (team, member_cursor) in enumerate(batch):
            variables[f"slug{i}"] = team.slug
            variables[f"cursor{i}"] = member_cursor
        data, errors = api.graphql(members_query(len(batch)), variables)
        _raise_on_errors(api, errors)
        for i, (team, _) in enumerate(batch):
            found = (data.get(f"t{i}") or {}).get("team")
            if not isinstance(found, dict):
                raise GitHubSourceError(
                    f"source {api.source}: team {org}/{team.slug} disappeared while reading it"
                )
            next_cursor = _add_members(team, found.get("members"))
            if next_cursor:
                pending.append((team, next_cursor))
    return TeamsCrawl(teams=teams, graphql_requests=api.graphql_requests - before)
