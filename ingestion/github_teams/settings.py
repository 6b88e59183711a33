"""Constants of the GitHub teams source."""

from __future__ import annotations

SOURCE_NAME = "github_teams"
DEFAULT_BASE_URL = "https://api.github.com"

# GraphQL pages: 100 teams, each with its first 100 members (10,100 nodes, 1 point).
TEAMS_PAGE_SIZE = 100
MEMBERS_PAGE_SIZE = 100
# Teams whose members continue past the first page, batched as aliases per request.
FOLLOW_UP_BATCH = 25

TEAM_COLUMNS = {
    "team_slug": "text",
    "name": "text",
    "parent_team_slug": "text",
    "member_count": "bigint",
}
MEMBER_COLUMNS = {
    "team_slug": "text",
    "login": "text",
    "role": "text",
}
SNAPSHOT_COLUMNS = {
    "base_url": "text",
    "team_count": "bigint",
    "member_count": "bigint",
    "graphql_requests": "bigint",
}
