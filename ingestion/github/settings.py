"""Constants of the GitHub source: endpoints, page sizes, CI file names, table shapes."""

from __future__ import annotations

SOURCE_NAME = "github"
DEFAULT_BASE_URL = "https://api.github.com"

# Headers every GitHub request carries (besides Authorization), as GitHub's docs advise.
API_HEADERS = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
}

# Repositories per GraphQL page. The brief allows at most one request per 50 repositories;
# 50 keeps each page well under GitHub's 10 s query timeout with the nested connections.
REPOSITORY_PAGE_SIZE = 50
# Nested connections of the bulk query (GitHub's maximum is 100 per connection).
HISTORY_PAGE_SIZE = 100
ALERTS_PAGE_SIZE = 100
PROTECTION_RULES_PAGE_SIZE = 20
RULESETS_PAGE_SIZE = 10
# Connections continued for single repositories, batched as aliases into one query.
FOLLOW_UP_BATCH = 25

# Commit history window read the first time a repository is seen, and the overlap kept
# when later runs only read what is new (commits pushed late with older dates).
COMMIT_WINDOW_DAYS = 90
COMMIT_OVERLAP_DAYS = 3

# A body that is not JSON (a truncated transfer) is asked for again this many times.
MALFORMED_ATTEMPTS = 3

# REST statuses that make one repository's workflow list unknown instead of failing
# the load: no access to Actions, Actions disabled, an empty repository.
WORKFLOW_UNKNOWN_STATUSES = (403, 404, 409)
WORKFLOW_WORKERS = 4
WORKFLOWS_DIR = ".github/workflows"
WORKFLOW_EXTENSIONS = (".yml", ".yaml")

# Root-tree entries that configure a CI system other than GitHub Actions.
OTHER_CI_ENTRIES = {
    "Jenkinsfile": "jenkins",
    ".circleci": "circleci",
    ".gitlab-ci.yml": "gitlab-ci",
    "azure-pipelines.yml": "azure-pipelines",
    ".travis.yml": "travis-ci",
    "bitbucket-pipelines.yml": "bitbucket-pipelines",
    ".buildkite": "buildkite",
}
GITHUB_ACTIONS = "github-actions"

# Column shapes of the raw tables (dlt data types). Timestamps are naive UTC.
REPOSITORY_COLUMNS = {
    "repo_full_name": "text",
    "is_archived": "bool",
    "visibility": "text",
    "default_branch": "text",
    "pushed_at": "timestamp",
    "head_commit_sha": "text",
    "head_committed_at": "timestamp",
    "branch_protected": "bool",
    "protection_source": "text",
    "required_approving_review_count": "bigint",
    "ci_configured": "bool",
    "ci_systems": "text",
    "workflow_count": "bigint",
    "active_workflow_count": "bigint",
    "open_alert_count": "bigint",
}
COMMIT_COLUMNS = {
    "repo_full_name": "text",
    "commit_sha": "text",
    "committed_at": "timestamp",
}
ALERT_COLUMNS = {
    "repo_full_name": "text",
    "alert_number": "bigint",
    "state": "text",
    "severity": "text",
    "package_name": "text",
    "ecosystem": "text",
    "created_at": "timestamp",
    "fixed_at": "timestamp",
    "dismissed_at": "timestamp",
    "auto_dismissed_at": "timestamp",
}
ERROR_COLUMNS = {
    "repo_full_name": "text",
    "facet": "text",
    "error_type": "text",
    "message": "text",
}
SNAPSHOT_COLUMNS = {
    "base_url": "text",
    "repository_count": "bigint",
    "error_count": "bigint",
    "graphql_requests": "bigint",
    "rest_requests": "bigint",
}
