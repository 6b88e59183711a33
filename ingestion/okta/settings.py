"""Constants of the Okta source (API_SHAPES.md §3)."""

SOURCE = "okta"

# Largest page sizes Okta accepts on each list endpoint.
USERS_PAGE_SIZE = 200
GROUPS_PAGE_SIZE = 10_000
MEMBERS_PAGE_SIZE = 1_000

# The plain user list leaves DEPROVISIONED users out; a second pass asks for them. `filter`
# (not `search`) because Okta evaluates filters against current data, like the plain list,
# while the search index is eventually consistent.
DEPROVISIONED_FILTER = 'status eq "DEPROVISIONED"'

USERS_PATH = "/api/v1/users"
GROUPS_PATH = "/api/v1/groups"
MEMBERS_PATH = "/api/v1/groups/{group_id}/users"

# Column types of the raw tables: every column staging reads, so tables have the same
# shape whatever a load saw.
USER_COLUMNS = {
    "user_id": "text",
    "login": "text",
    "email": "text",
    "status": "text",
    "created_at": "timestamp",
    "activated_at": "timestamp",
    "status_changed_at": "timestamp",
    "last_login_at": "timestamp",
}
GROUP_COLUMNS = {
    "group_id": "text",
    "group_name": "text",
    "group_type": "text",
    "description": "text",
}
MEMBER_COLUMNS = {"group_id": "text", "user_id": "text"}
