"""JSON bodies of the GitHub REST API, shaped like the recorded real responses."""

from __future__ import annotations

from typing import Any

from simulator.determinism import hash64, stream_id, token
from simulator.events import Alert, Commit
from simulator.git_state import Protection, Ruleset, ruleset_rules
from simulator.model import Company, Person, Service, Team
from simulator.timeline import NEVER, day_start_epoch, iso

WEB = "https://github.com"
_NODE = stream_id("github-node")


def node_id(prefix: str, *parts: int) -> str:
    return prefix + token(hash64(_NODE, *parts), 16)


def user_obj(base: str, login: str, user_id: int, kind: str = "User") -> dict[str, Any]:
    api = f"{base}/users/{login}"
    return {
        "login": login,
        "id": user_id,
        "node_id": node_id("MDQ6VXNlcj", user_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{WEB}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


def org_obj(base: str, company: Company) -> dict[str, Any]:
    obj = user_obj(base, company.org, 4_100_000, "Organization")
    obj.pop("user_view_type")
    return obj


def person_user(base: str, person: Person) -> dict[str, Any]:
    return user_obj(base, person.github_login, person.github_id)


def repo_obj(
    base: str, company: Company, service: Service, pushed: int | None, full: bool
) -> dict[str, Any]:
    repo = service.repo
    full_name = f"{company.org}/{repo.name}"
    api = f"{base}/repos/{full_name}"
    html = f"{WEB}/{full_name}"
    created = day_start_epoch(repo.created_day) + 3600 * 10
    pushed_iso = iso(pushed) if pushed is not None else None
    obj: dict[str, Any] = {
        "id": repo.id,
        "node_id": repo.node_id,
        "name": repo.name,
        "full_name": full_name,
        "private": repo.visibility != "public",
        "owner": org_obj(base, company),
        "html_url": html,
        "description": service.description,
        "fork": False,
        "url": api,
        "forks_url": f"{api}/forks",
        "keys_url": f"{api}/keys{{/key_id}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "teams_url": f"{api}/teams",
        "hooks_url": f"{api}/hooks",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "events_url": f"{api}/events",
        "assignees_url": f"{api}/assignees{{/user}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "tags_url": f"{api}/tags",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "languages_url": f"{api}/languages",
        "stargazers_url": f"{api}/stargazers",
        "contributors_url": f"{api}/contributors",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "comments_url": f"{api}/comments{{/number}}",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "merges_url": f"{api}/merges",
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{api}/downloads",
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "labels_url": f"{api}/labels{{/name}}",
        "releases_url": f"{api}/releases{{/id}}",
        "deployments_url": f"{api}/deployments",
        "created_at": iso(created),
        "updated_at": pushed_iso or iso(created),
        "pushed_at": pushed_iso,
        "git_url": f"git://github.com/{full_name}.git",
        "ssh_url": f"git@github.com:{full_name}.git",
        "clone_url": f"{html}.git",
        "svn_url": html,
        "homepage": None,
        "size": 1000 + repo.commits_before_window * 3,
        "stargazers_count": hash64(repo.id) % 40,
        "watchers_count": hash64(repo.id) % 40,
        "language": repo.language,
        "has_issues": True,
        "has_projects": False,
        "has_downloads": True,
        "has_wiki": False,
        "has_pages": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": repo.archived,
        "disabled": False,
        "open_issues_count": hash64(repo.id, 1) % 25,
        "license": None,
        "allow_forking": False,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": list(repo.topics),
        "visibility": repo.visibility,
        "forks": 0,
        "open_issues": hash64(repo.id, 1) % 25,
        "watchers": hash64(repo.id) % 40,
        "default_branch": repo.default_branch,
        "permissions": {
            "admin": True,
            "maintain": True,
            "push": True,
            "triage": True,
            "pull": True,
        },
    }
    if full:
        obj.update(
            {
                "temp_clone_token": "",
                "allow_squash_merge": True,
                "allow_merge_commit": True,
                "allow_rebase_merge": True,
                "allow_auto_merge": False,
                "delete_branch_on_merge": True,
                "allow_update_branch": False,
                "use_squash_pr_title_as_default": False,
                "organization": org_obj(base, company),
                "network_count": 0,
                "subscribers_count": hash64(repo.id, 2) % 12,
            }
        )
    return obj


def minimal_repo(base: str, company: Company, service: Service) -> dict[str, Any]:
    """The short repository object embedded in org-level alert lists."""
    repo = service.repo
    full_name = f"{company.org}/{repo.name}"
    return {
        "id": repo.id,
        "node_id": repo.node_id,
        "name": repo.name,
        "full_name": full_name,
        "private": repo.visibility != "public",
        "owner": org_obj(base, company),
        "html_url": f"{WEB}/{full_name}",
        "description": service.description,
        "fork": False,
        "url": f"{base}/repos/{full_name}",
    }


def commit_obj(
    base: str, company: Company, service: Service, commit: Commit, parent: str | None
) -> dict[str, Any]:
    full_name = f"{company.org}/{service.repo.name}"
    api = f"{base}/repos/{full_name}"
    person = company.people[commit.author]
    actor = {"name": person.display_name, "email": person.email, "date": iso(commit.epoch)}
    tree_sha = commit.sha[::-1]
    return {
        "sha": commit.sha,
        "node_id": "C_kwDO" + token(int(commit.sha[:15], 16), 20),
        "commit": {
            "author": actor,
            "committer": dict(actor),
            "message": commit.message,
            "tree": {"sha": tree_sha, "url": f"{api}/git/trees/{tree_sha}"},
            "url": f"{api}/git/commits/{commit.sha}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "url": f"{api}/commits/{commit.sha}",
        "html_url": f"{WEB}/{full_name}/commit/{commit.sha}",
        "comments_url": f"{api}/commits/{commit.sha}/comments",
        "author": person_user(base, person),
        "committer": person_user(base, person),
        "parents": (
            [
                {
                    "sha": parent,
                    "url": f"{api}/commits/{parent}",
                    "html_url": f"{WEB}/{full_name}/commit/{parent}",
                }
            ]
            if parent
            else []
        ),
    }


def protection_obj(
    base: str, company: Company, service: Service, branch: str, p: Protection
) -> dict[str, Any]:
    url = f"{base}/repos/{company.org}/{service.repo.name}/branches/{branch}/protection"
    obj: dict[str, Any] = {"url": url}
    if p.status_checks:
        obj["required_status_checks"] = {
            "url": f"{url}/required_status_checks",
            "strict": p.strict,
            "contexts": list(p.status_checks),
            "contexts_url": f"{url}/required_status_checks/contexts",
            "checks": [{"context": c, "app_id": 15368} for c in p.status_checks],
        }
    if p.approvals is not None:
        obj["required_pull_request_reviews"] = {
            "url": f"{url}/required_pull_request_reviews",
            "dismiss_stale_reviews": p.strict,
            "require_code_owner_reviews": False,
            "require_last_push_approval": False,
            "required_approving_review_count": p.approvals,
        }
    obj.update(
        {
            "required_signatures": {"url": f"{url}/required_signatures", "enabled": False},
            "enforce_admins": {"url": f"{url}/enforce_admins", "enabled": p.enforce_admins},
            "required_linear_history": {"enabled": p.linear_history},
            "allow_force_pushes": {"enabled": False},
            "allow_deletions": {"enabled": False},
            "block_creations": {"enabled": False},
            "required_conversation_resolution": {"enabled": False},
            "lock_branch": {"enabled": False},
            "allow_fork_syncing": {"enabled": False},
        }
    )
    return obj


def ruleset_summary(
    base: str, company: Company, service: Service, ruleset: Ruleset
) -> dict[str, Any]:
    full_name = f"{company.org}/{service.repo.name}"
    stamp = iso(day_start_epoch(ruleset.created_day) + 5000)
    return {
        "id": ruleset.id,
        "name": ruleset.name,
        "target": "branch",
        "source_type": "Repository",
        "source": full_name,
        "enforcement": ruleset.enforcement,
        "node_id": "RRS_lACq" + token(ruleset.id, 12),
        "_links": {
            "self": {"href": f"{base}/repos/{full_name}/rulesets/{ruleset.id}"},
            "html": {"href": f"{WEB}/{full_name}/rules/{ruleset.id}"},
        },
        "created_at": stamp,
        "updated_at": stamp,
    }


def ruleset_full(base: str, company: Company, service: Service, ruleset: Ruleset) -> dict[str, Any]:
    obj = ruleset_summary(base, company, service, ruleset)
    obj.update(
        {
            "bypass_actors": [
                {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}
            ],
            "current_user_can_bypass": "always",
            "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
            "rules": [
                {"type": rtype, **({"parameters": params} if params is not None else {})}
                for rtype, params in ruleset_rules(ruleset)
            ],
        }
    )
    return obj


def alert_obj(
    base: str, company: Company, service: Service, alert: Alert, cutoff: int, with_repo: bool
) -> dict[str, Any]:
    full_name = f"{company.org}/{service.repo.name}"
    state = alert.state_at(cutoff) or "open"
    resolved = iso(alert.resolved) if state != "open" and alert.resolved != NEVER else None
    package = {"ecosystem": alert.ecosystem.lower(), "name": alert.package}
    vulnerability = {
        "package": package,
        "severity": alert.severity,
        "vulnerable_version_range": alert.vulnerable_range,
        "first_patched_version": {"identifier": alert.patched},
    }
    dismisser = (
        company.people[company.teams[service.owner_team].members[0]]
        if company.teams[service.owner_team].members
        else None
    )
    obj: dict[str, Any] = {
        "number": alert.number,
        "state": state,
        "dependency": {"package": package, "manifest_path": alert.manifest, "scope": alert.scope},
        "security_advisory": {
            "ghsa_id": alert.ghsa,
            "cve_id": alert.cve,
            "summary": f"{alert.package} vulnerable to {('denial of service', 'code injection', 'path traversal', 'request smuggling')[alert.number % 4]}",
            "description": f"Versions {alert.vulnerable_range} of {alert.package} are affected. Upgrade to {alert.patched}.",
            "severity": alert.severity,
            "identifiers": [
                {"value": alert.ghsa, "type": "GHSA"},
                {"value": alert.cve, "type": "CVE"},
            ],
            "references": [{"url": f"https://nvd.nist.gov/vuln/detail/{alert.cve}"}],
            "published_at": iso(alert.created - 86_400),
            "updated_at": iso(alert.created - 3_600),
            "withdrawn_at": None,
            "vulnerabilities": [vulnerability],
            "cvss": {
                "vector_string": None,
                "score": {"low": 3.1, "medium": 5.4, "high": 7.5, "critical": 9.8}[alert.severity],
            },
            "cwes": [],
        },
        "security_vulnerability": vulnerability,
        "url": f"{base}/repos/{full_name}/dependabot/alerts/{alert.number}",
        "html_url": f"{WEB}/{full_name}/security/dependabot/{alert.number}",
        "created_at": iso(alert.created),
        "updated_at": resolved or iso(alert.created),
        "dismissed_at": resolved if state == "dismissed" else None,
        "dismissed_by": person_user(base, dismisser)
        if state == "dismissed" and dismisser
        else None,
        "dismissed_reason": alert.dismissed_reason if state == "dismissed" else None,
        "dismissed_comment": None,
        "fixed_at": resolved if state == "fixed" else None,
        "auto_dismissed_at": resolved if state == "auto_dismissed" else None,
    }
    if with_repo:
        obj["repository"] = minimal_repo(base, company, service)
    return obj


def team_obj(base: str, company: Company, team: Team) -> dict[str, Any]:
    api = f"{base}/organizations/4100000/team/{team.github_id}"
    parent = company.teams[team.parent] if team.parent is not None else None
    return {
        "name": team.title,
        "id": team.github_id,
        "node_id": node_id("T_kwDO", team.github_id),
        "slug": team.github_slug,
        "description": f"{team.title} ({team.kind})",
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "url": api,
        "html_url": f"{WEB}/orgs/{company.org}/teams/{team.github_slug}",
        "members_url": f"{api}/members{{/member}}",
        "repositories_url": f"{api}/repos",
        "permission": "pull",
        "parent": (
            {
                "name": parent.title,
                "id": parent.github_id,
                "node_id": node_id("T_kwDO", parent.github_id),
                "slug": parent.github_slug,
                "description": f"{parent.title} ({parent.kind})",
                "privacy": "closed",
                "notification_setting": "notifications_enabled",
                "url": f"{base}/organizations/4100000/team/{parent.github_id}",
                "html_url": f"{WEB}/orgs/{company.org}/teams/{parent.github_slug}",
                "members_url": f"{base}/organizations/4100000/team/{parent.github_id}/members{{/member}}",
                "repositories_url": f"{base}/organizations/4100000/team/{parent.github_id}/repos",
                "permission": "pull",
            }
            if parent
            else None
        ),
    }
