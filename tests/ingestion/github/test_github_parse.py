"""Pure parts of the GitHub source: branch patterns, protection and CI facts, partial
GraphQL errors, and queries valid against the served schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from graphql import parse, validate

from ingestion.github.helpers import (
    FollowUp,
    RepoFacts,
    alert_row,
    branch_matches,
    ci_facts,
    crawl_repositories,
    error_rows,
    facet_of,
    follow_up_query,
    graphql_endpoint,
    protection_facts,
    public_url,
    repositories_query,
    ruleset_targets_branch,
)
from ingestion.github_teams.helpers import TEAMS_QUERY, members_query
from simulator.servers.github_graphql import SCHEMA


@pytest.mark.parametrize(
    ("pattern", "branch", "matches"),
    [
        ("main", "main", True),
        ("main", "maintenance", False),
        ("ma*", "main", True),
        ("*", "main", True),
        ("*", "release/v1", False),  # * stops at /
        ("release/*", "release/v1", True),
        ("release/*", "release/v1/hotfix", False),
        ("release/**", "release/v1/hotfix", True),  # ** does not
        ("release/**/*", "release/v1/hotfix", True),
        ("ma?n", "main", True),
        ("[mn]ain", "main", True),
        ("[!m]ain", "main", False),
        ("v[0-9].x", "v2.x", True),
        ("feature\\*", "feature*", True),
        ("feature\\*", "features", False),
    ],
)
def test_branch_patterns_follow_githubs_fnmatch(pattern: str, branch: str, matches: bool) -> None:
    assert branch_matches(pattern, branch) is matches


@pytest.mark.parametrize(
    ("include", "exclude", "matches"),
    [
        (["~DEFAULT_BRANCH"], [], True),
        (["~ALL"], [], True),
        (["refs/heads/main"], [], True),
        (["refs/heads/master"], [], False),
        (["refs/heads/ma*"], [], True),
        (["refs/heads/release/*"], [], False),
        (["~ALL"], ["refs/heads/main"], False),
        (["~ALL"], ["~DEFAULT_BRANCH"], False),
        ([], [], False),
    ],
)
def test_ruleset_conditions_include_the_default_branch(
    include: list[str], exclude: list[str], matches: bool
) -> None:
    conditions = {"refName": {"include": include, "exclude": exclude}}
    assert ruleset_targets_branch(conditions, "main") is matches


def _ruleset(enforcement: str, approvals: int | None, include: str = "~DEFAULT_BRANCH") -> dict:
    rules = []
    if approvals is not None:
        rules.append(
            {
                "type": "PULL_REQUEST",
                "parameters": {"requiredApprovingReviewCount": approvals},
            }
        )
    return {
        "databaseId": 1,
        "name": "main",
        "enforcement": enforcement,
        "target": "BRANCH",
        "conditions": {"refName": {"include": [include], "exclude": []}},
        "rules": {"nodes": rules},
    }


def _facts(**kwargs: Any) -> RepoFacts:
    node = {
        "nameWithOwner": "Acme/Svc",
        "defaultBranchRef": {"name": "main", "target": {"oid": "a", "committedDate": None}},
        "workflowFiles": None,
        "rootFiles": {"entries": [{"name": "README.md", "type": "blob"}]},
    }
    node.update(kwargs.pop("node", {}))
    return RepoFacts(node=node, **kwargs)


def test_protection_from_classic_rules_and_active_rulesets_only() -> None:
    classic = {
        "pattern": "main",
        "requiresApprovingReviews": True,
        "requiredApprovingReviewCount": 2,
    }
    other = {
        "pattern": "release/*",
        "requiresApprovingReviews": True,
        "requiredApprovingReviewCount": 5,
    }
    assert protection_facts(_facts(protection_rules=[classic, other])) == {
        "branch_protected": True,
        "protection_source": "classic",
        "required_approving_review_count": 2,
    }
    # Reviews not required: the count does not apply.
    unreviewed = {**classic, "requiresApprovingReviews": False}
    assert (
        protection_facts(_facts(protection_rules=[unreviewed]))["required_approving_review_count"]
        == 0
    )
    # evaluate / disabled rulesets protect nothing (the trap of "has a ruleset").
    for enforcement in ("EVALUATE", "DISABLED"):
        facts = protection_facts(_facts(rulesets=[_ruleset(enforcement, 1)]))
        assert facts == {
            "branch_protected": False,
            "protection_source": None,
            "required_approving_review_count": 0,
        }
    both = protection_facts(
        _facts(
            protection_rules=[classic], rulesets=[_ruleset("ACTIVE", 3), _ruleset("ACTIVE", None)]
        )
    )
    assert both == {
        "branch_protected": True,
        "protection_source": "classic+ruleset",
        "required_approving_review_count": 3,
    }
    elsewhere = protection_facts(_facts(rulesets=[_ruleset("ACTIVE", 1, "refs/heads/dev")]))
    assert elsewhere["branch_protected"] is False


def test_unknown_parts_make_protection_unknown_unless_proven() -> None:
    error = ("FORBIDDEN", "Resource not accessible by integration")
    unknown = protection_facts(_facts(errors={"rulesets": error}))
    assert unknown == {
        "branch_protected": None,
        "protection_source": None,
        "required_approving_review_count": None,
    }
    classic = {"pattern": "*", "requiresApprovingReviews": True, "requiredApprovingReviewCount": 1}
    proven = protection_facts(_facts(protection_rules=[classic], errors={"rulesets": error}))
    assert proven["branch_protected"] is True and proven["required_approving_review_count"] is None
    empty = protection_facts(_facts(node={"defaultBranchRef": None}))
    assert empty["branch_protected"] is False  # an empty repository has nothing to protect


def test_ci_needs_an_active_workflow_file_or_another_ci_config() -> None:
    files = {"entries": [{"name": "ci.yml", "type": "blob"}, {"name": "notes.md", "type": "blob"}]}
    active = _facts(
        node={"workflowFiles": files}, workflows=[(".github/workflows/ci.yml", "active")]
    )
    assert ci_facts(active) == {
        "ci_configured": True,
        "ci_systems": "github-actions",
        "workflow_count": 1,
        "active_workflow_count": 1,
    }
    disabled = _facts(
        node={"workflowFiles": files},
        workflows=[
            (".github/workflows/ci.yml", "disabled_manually"),
            # GitHub's own dynamic workflows are listed too, and are no CI of the repo.
            ("dynamic/dependabot/dependabot-updates", "active"),
        ],
    )
    assert ci_facts(disabled)["ci_configured"] is False
    not_read = _facts(node={"workflowFiles": files})  # REST answer missing
    assert ci_facts(not_read)["ci_configured"] is None
    root = {
        "entries": [{"name": "Jenkinsfile", "type": "blob"}, {"name": ".circleci", "type": "tree"}]
    }
    other = ci_facts(_facts(node={"rootFiles": root}))
    assert other["ci_configured"] is True and other["ci_systems"] == "jenkins,circleci"
    assert ci_facts(_facts())["ci_configured"] is False


def test_alert_rows_keep_graphql_spelling() -> None:
    row = alert_row(
        "acme/svc",
        {
            "number": 7,
            "state": "AUTO_DISMISSED",
            "createdAt": "2026-01-02T03:04:05Z",
            "fixedAt": None,
            "dismissedAt": None,
            "autoDismissedAt": "2026-02-01T00:00:00Z",
            "securityVulnerability": {
                "severity": "MODERATE",
                "package": {"name": "x", "ecosystem": "PIP"},
            },
            "securityAdvisory": {"severity": "MODERATE"},
        },
    )
    assert row["severity"] == "MODERATE" and row["state"] == "AUTO_DISMISSED"
    assert row["created_at"] == dt.datetime(2026, 1, 2, 3, 4, 5)
    assert row["auto_dismissed_at"] == dt.datetime(2026, 2, 1)


def test_queries_are_valid_against_the_served_schema() -> None:
    documents = [repositories_query(True), repositories_query(False), TEAMS_QUERY, members_query(3)]
    tasks = [
        FollowUp("acme/a", "commits", "c1", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
        FollowUp("acme/b", "alerts", "c2"),
        FollowUp("acme/c", "protection_rules", "c3"),
        FollowUp("acme/d", "rulesets", "c4"),
    ]
    documents.append(follow_up_query(tasks)[0])
    for document in documents:
        assert validate(SCHEMA, parse(document)) == [], document


def test_paths_and_urls() -> None:
    assert facet_of(["defaultBranchRef", "target", "history"]) == "commits"
    assert facet_of(["vulnerabilityAlerts"]) == "alerts"
    assert facet_of(["rootFiles", "entries"]) == "ci"
    assert facet_of(["pushedAt"]) == "repository"
    assert graphql_endpoint("https://ghe.example.com/api/v3") == (
        "https://ghe.example.com/api",
        "/graphql",
    )
    assert graphql_endpoint("https://api.github.com/") == ("https://api.github.com", "/graphql")
    assert public_url("https://user:secret@ghe.example.com:8443/api/v3?x=1") == (
        "https://ghe.example.com:8443/api/v3"
    )


class _CannedApi:
    """Answers GraphQL with canned payloads; counts like ``GitHubApi``."""

    source = "github"

    def __init__(self, answers: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> None:
        self.answers = answers
        self.graphql_requests = 0
        self.rest_requests = 0
        self.queries: list[dict[str, Any]] = []

    def graphql(self, query: str, variables: dict[str, Any]):
        self.graphql_requests += 1
        self.queries.append(variables)
        return self.answers.pop(0)


def _node(name: str, **extra: Any) -> dict[str, Any]:
    page = {"hasNextPage": False, "endCursor": None}
    return {
        "nameWithOwner": f"acme/{name}",
        "isArchived": False,
        "visibility": "PRIVATE",
        "pushedAt": "2026-11-20T10:00:00Z",
        "defaultBranchRef": {
            "name": "main",
            "target": {
                "oid": f"{name}-head",
                "committedDate": "2026-11-20T10:00:00Z",
                "history": {"pageInfo": page, "nodes": []},
            },
        },
        "branchProtectionRules": {
            "pageInfo": page,
            "nodes": [
                {
                    "pattern": "main",
                    "requiresApprovingReviews": True,
                    "requiredApprovingReviewCount": 1,
                }
            ],
        },
        "rulesets": {"pageInfo": page, "nodes": []},
        "workflowFiles": None,
        "rootFiles": {"entries": [{"name": ".gitlab-ci.yml", "type": "blob"}]},
        "vulnerabilityAlerts": {"pageInfo": page, "nodes": []},
        **extra,
    }


def test_a_partial_error_makes_one_repositorys_facet_unknown() -> None:
    history_page = {
        "pageInfo": {"hasNextPage": True, "endCursor": "h1"},
        "nodes": [{"oid": "c1", "committedDate": "2026-11-19T00:00:00Z"}],
    }
    first = _node("first")
    first["defaultBranchRef"]["target"]["history"] = history_page
    second = _node("second", rulesets=None, vulnerabilityAlerts=None)
    page = {
        "organization": {
            "repositories": {
                "pageInfo": {"hasNextPage": False, "endCursor": "x"},
                "nodes": [first, second, None],
            }
        }
    }
    errors = [
        {
            "type": "FORBIDDEN",
            "path": ["organization", "repositories", "nodes", 1, "rulesets"],
            "message": "no",
        },
        {
            "type": "FORBIDDEN",
            "path": ["organization", "repositories", "nodes", 1, "vulnerabilityAlerts"],
            "message": "Dependabot alerts are disabled",
        },
        {
            "type": "NOT_FOUND",
            "path": ["organization", "repositories", "nodes", 2],
            "message": "gone",
        },
    ]
    follow_up = {
        "r0": {
            "defaultBranchRef": {
                "target": {
                    "history": {
                        "pageInfo": {"hasNextPage": False, "endCursor": None},
                        "nodes": [{"oid": "c0", "committedDate": "2026-11-18T00:00:00Z"}],
                    }
                }
            }
        }
    }
    api = _CannedApi([(page, errors), (follow_up, [])])
    since = dt.datetime(2026, 8, 28)
    crawl = crawl_repositories(api, "acme", page_size=50, since=since)  # type: ignore[arg-type]
    assert api.graphql_requests == 2
    # The continued history keeps the page's `since`, with the cursor it was given.
    assert api.queries[1]["cursor0"] == "h1" and api.queries[1]["since0"] == "2026-08-28T00:00:00Z"
    first_facts, second_facts = crawl.repos
    assert set(first_facts.commits) == {"c0", "c1", "first-head"}
    assert protection_facts(first_facts)["branch_protected"] is True
    # The second repository: protection proven by its classic rule, the count unknown,
    # its alerts unknown; its CI (GitLab) still known.
    facts = protection_facts(second_facts)
    assert facts["branch_protected"] is True and facts["required_approving_review_count"] is None
    assert ci_facts(second_facts)["ci_systems"] == "gitlab-ci"
    errors_out = {(r["repo_full_name"], r["facet"]) for r in error_rows(crawl)}
    assert errors_out == {
        ("acme/second", "rulesets"),
        ("acme/second", "alerts"),
        (None, "repository"),
    }
