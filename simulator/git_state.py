"""What a service's repository looks like on a given day.

Shared by the GitHub REST and GraphQL servers so both APIs always tell the same story:
classic branch protection or a ruleset, required approvals, CI files and workflows,
and the files in the root tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.determinism import hash64, stream_id
from simulator.model import Service, Workflow
from simulator.names import OTHER_CI_FILES
from simulator.timeline import NEVER, active

_SHAPE = stream_id("protection-shape")

LANGUAGE_FILES = {
    "Python": "pyproject.toml",
    "Java": "pom.xml",
    "Kotlin": "build.gradle.kts",
    "TypeScript": "package.json",
    "Go": "go.mod",
    "C++": "CMakeLists.txt",
}


@dataclass(frozen=True, slots=True)
class Protection:
    """Branch protection in force on the default branch (classic rule or ruleset)."""

    mode: str  # classic, ruleset
    approvals: int | None  # None: pull requests are not required at all
    enforce_admins: bool
    status_checks: tuple[str, ...]
    strict: bool
    linear_history: bool


@dataclass(frozen=True, slots=True)
class Ruleset:
    id: int
    name: str
    enforcement: str  # active, evaluate, disabled
    created_day: int
    protection: Protection


def _shape(service: Service, salt: int) -> int:
    return hash64(_SHAPE, service.index, salt)


def status_contexts(service: Service, day: int) -> tuple[str, ...]:
    repo = service.repo
    if repo.ci_kind == "actions":
        return tuple(f"{w.name.lower()}" for w in repo.workflows if w.state_on(day) == "active")[:2]
    if repo.ci_kind is not None and active(repo.ci_span, day):
        return (f"continuous-integration/{repo.ci_kind}",)
    return ()


def protection_on(service: Service, day: int) -> Protection | None:
    """The protection the repository's settings describe, enforced or not."""
    repo = service.repo
    if repo.protection_mode is None:
        return None
    shape = _shape(service, 1)
    if active(repo.approvals_span, day):
        approvals: int | None = repo.approvals
    else:
        approvals = 0 if shape % 2 == 0 else None
    return Protection(
        mode=repo.protection_mode,
        approvals=approvals,
        enforce_admins=shape % 3 != 0,
        status_checks=status_contexts(service, day),
        strict=shape % 5 != 0,
        linear_history=shape % 7 < 3,
    )


def classic_protection(service: Service, day: int) -> Protection | None:
    """The classic branch protection rule of the default branch, if any."""
    repo = service.repo
    if repo.protection_mode != "classic" or not active(repo.protection, day):
        return None
    return protection_on(service, day)


def ruleset_on(service: Service, day: int) -> Ruleset | None:
    """The repository ruleset targeting the default branch, if one exists on the day.

    A ruleset repository that is not protected still has the ruleset, in ``evaluate``
    (never enforced) or ``disabled`` (switched off) mode: the settings exist, nothing
    is enforced — exactly the trap a naive "has a ruleset" check falls into.
    """
    repo = service.repo
    if repo.protection_mode != "ruleset":
        return None
    start, end = repo.protection
    protection = protection_on(service, day)
    assert protection is not None
    if start <= day < end:
        enforcement, created = "active", start
    elif start == NEVER:
        enforcement, created = (
            ("evaluate" if _shape(service, 2) % 2 == 0 else "disabled"),
            repo.created_day,
        )
    elif day >= end:
        enforcement, created = "disabled", start
    else:
        return None
    return Ruleset(
        id=repo.ruleset_id,
        name="default-branch-protection" if _shape(service, 3) % 2 else "main",
        enforcement=enforcement,
        created_day=created,
        protection=protection,
    )


def ruleset_rules(ruleset: Ruleset) -> list[tuple[str, dict[str, object] | None]]:
    """Rules as (REST type, REST parameters)."""
    p = ruleset.protection
    rules: list[tuple[str, dict[str, object] | None]] = [
        ("deletion", None),
        ("non_fast_forward", None),
    ]
    if p.approvals is not None:
        rules.append(
            (
                "pull_request",
                {
                    "required_approving_review_count": p.approvals,
                    "dismiss_stale_reviews_on_push": p.strict,
                    "require_code_owner_review": False,
                    "require_last_push_approval": False,
                    "required_review_thread_resolution": p.linear_history,
                    "allowed_merge_methods": ["merge", "squash", "rebase"],
                },
            )
        )
    if p.status_checks:
        rules.append(
            (
                "required_status_checks",
                {
                    "strict_required_status_checks_policy": p.strict,
                    "do_not_enforce_on_create": False,
                    "required_status_checks": [
                        {"context": c, "integration_id": 15368} for c in p.status_checks
                    ],
                },
            )
        )
    if p.linear_history:
        rules.append(("required_linear_history", None))
    return rules


def workflows_on(service: Service, day: int) -> list[tuple[Workflow, str]]:
    return [(w, state) for w in service.repo.workflows if (state := w.state_on(day)) is not None]


def root_tree(service: Service, day: int) -> list[tuple[str, str]]:
    """(name, type) entries of the default branch's root tree; type is blob or tree."""
    repo = service.repo
    entries = [
        ("README.md", "blob"),
        ("catalog-info.yaml", "blob"),
        ("Dockerfile", "blob"),
        (LANGUAGE_FILES.get(repo.language, "Makefile"), "blob"),
        ("src", "tree"),
        ("tests", "tree"),
        (".github", "tree"),
    ]
    if repo.ci_kind in OTHER_CI_FILES and active(repo.ci_span, day):
        path = OTHER_CI_FILES[repo.ci_kind]
        if "/" in path:
            entries.append((path.split("/", 1)[0], "tree"))
        else:
            entries.append((path, "blob"))
    return sorted(entries)


def tree(service: Service, day: int, path: str) -> list[tuple[str, str]] | None:
    """Entries of a directory of the default branch, or None if it does not exist."""
    path = path.strip("/")
    if path == "":
        return root_tree(service, day)
    repo = service.repo
    if path == ".github":
        entries = [("CODEOWNERS", "blob"), ("dependabot.yml", "blob")]
        if workflows_on(service, day):
            entries.append(("workflows", "tree"))
        return sorted(entries)
    if path == ".github/workflows":
        files = [(w.path.rsplit("/", 1)[1], "blob") for w, _ in workflows_on(service, day)]
        return sorted(files) if files else None
    if path == ".circleci" and repo.ci_kind == "circleci" and active(repo.ci_span, day):
        return [("config.yml", "blob")]
    if path == "src":
        return [("main", "tree")]
    if path == "tests":
        return [("test_smoke", "blob")]
    return None


def file_exists(service: Service, day: int, path: str) -> bool:
    path = path.strip("/")
    directory, _, name = path.rpartition("/")
    entries = tree(service, day, directory)
    return entries is not None and any(n == name and t == "blob" for n, t in entries)
