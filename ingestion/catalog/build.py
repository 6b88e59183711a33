"""Putting entities together into one catalog, and what only the whole catalog shows.

``CatalogBuilder`` collects the entities of one snapshot (from files or from the catalog
API), keeps the first definition of an entity defined twice, and at the end reports the
references to entities that are not in the catalog (owner, system, domain, dependsOn,
memberOf, parent, ...), owners that are neither Groups nor Users, and cycles in the Group
hierarchy. Every problem is a row naming its file, document, line and entity, with what
is wrong and what to do (table ``problems``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ingestion.catalog.entities import EntityRows, Where

SEVERITIES = ("error", "warning", "note")  # error: not loaded; warning: loaded; note: FYI
OWNER_KINDS = ("group", "user")


@dataclass
class CatalogRows:
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p["severity"] == severity)


def problem_row(
    severity: str,
    problem: str,
    message: str,
    hint: str | None,
    *,
    file: str | None = None,
    document_index: int | None = None,
    line: int | None = None,
    entity_ref: str | None = None,
) -> dict[str, Any]:
    return {
        "file": file,
        "document_index": document_index,
        "line": line,
        "entity_ref": entity_ref,
        "severity": severity,
        "problem": problem,
        "message": message,
        "hint": hint,
    }


@dataclass(frozen=True)
class Placed:
    """One entity with where it was written: file, document, and the line of each field."""

    rows: EntityRows
    file: str | None
    document_index: int | None
    line: int | None
    lines: Mapping[Where, int | None] = field(default_factory=dict)

    def line_of(self, where: Where) -> int | None:
        return self.lines.get(where, self.line)


_HINTS = {
    "spec.owner": "create that Group (or User), or set spec.owner to one that exists",
    "spec.system": "add the System, or fix spec.system",
    "spec.domain": "add the Domain, or fix spec.domain",
    "spec.memberOf": "add the Group, or remove it from spec.memberOf",
    "spec.parent": "add the parent Group, or fix spec.parent",
}


class CatalogBuilder:
    """Entities of one catalog snapshot, checked as a whole by ``finish``."""

    def __init__(self) -> None:
        self.rows = CatalogRows()
        self._placed: dict[str, Placed] = {}

    def problem(self, severity: str, problem: str, message: str, hint: str | None, **where):
        self.rows.problems.append(problem_row(severity, problem, message, hint, **where))

    def add(self, placed: Placed) -> None:
        """Add one entity, unless an entity with its ref is already in (then a problem)."""
        rows = placed.rows
        where = {
            "file": placed.file,
            "document_index": placed.document_index,
            "entity_ref": rows.ref,
        }
        for issue in rows.issues:
            self.problem(
                issue.severity,
                issue.problem,
                issue.message,
                issue.hint,
                line=placed.line_of(issue.where),
                **where,
            )
        first = self._placed.get(rows.ref)
        if first is not None:
            self.problem(
                "error",
                "duplicate-entity",
                f"{rows.ref} is defined again (first in {_place(first)}); this one is skipped",
                "keep one definition: an entity's kind, namespace and name must be unique "
                "(case does not count)",
                line=placed.line,
                **where,
            )
            return
        self._placed[rows.ref] = placed
        self.rows.entities.append(rows.entity)
        self.rows.relations.extend(rows.relations)
        self.rows.links.extend(rows.links)
        self.rows.annotations.extend(rows.annotations)

    def finish(self) -> CatalogRows:
        """Report dangling references, owners of the wrong kind and Group cycles."""
        kinds = {ref: placed.rows.kind for ref, placed in self._placed.items()}
        for ref, placed in self._placed.items():
            for field_name, named, where in placed.rows.references:
                at = {
                    "file": placed.file,
                    "document_index": placed.document_index,
                    "line": placed.line_of(where),
                    "entity_ref": ref,
                }
                if named not in kinds:
                    self.problem(
                        "warning",
                        "dangling-reference",
                        f"{field_name}: {named} is not in the catalog",
                        _HINTS.get(field_name, "add that entity, or fix the reference"),
                        **at,
                    )
                elif field_name == "spec.owner" and kinds[named] not in OWNER_KINDS:
                    self.problem(
                        "warning",
                        "owner-kind",
                        f"spec.owner: {named} is a {kinds[named]}; an owner is a Group or a User",
                        "set spec.owner to a Group (or a User)",
                        **at,
                    )
        self._group_cycles(kinds)
        return self.rows

    def _group_cycles(self, kinds: Mapping[str, str]) -> None:
        parents: dict[str, set[str]] = {}
        for relation in self.rows.relations:
            source, target = relation["source_ref"], relation["target_ref"]
            if (
                relation["relation"] == "child_of"
                and kinds.get(source) == "group"
                and kinds.get(target) == "group"
            ):
                parents.setdefault(source, set()).add(target)
        reported: set[frozenset[str]] = set()
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in sorted(parents):
            if state.get(start):
                continue
            path: list[str] = []
            stack: list[tuple[str, list[str]]] = [(start, sorted(parents.get(start, ())))]
            state[start] = 1
            path.append(start)
            while stack:
                node, pending = stack[-1]
                if not pending:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                    continue
                parent = pending.pop(0)
                if state.get(parent) == 1:
                    cycle = path[path.index(parent) :]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self._cycle_problem(cycle)
                elif not state.get(parent):
                    state[parent] = 1
                    path.append(parent)
                    stack.append((parent, sorted(parents.get(parent, ()))))

    def _cycle_problem(self, cycle: list[str]) -> None:
        """Report the cycle and break it: its first Group (by ref) loses the parent link
        that closes it, so the hierarchy keeps a root."""
        first = min(cycle)
        rotated = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
        parent = rotated[1] if len(rotated) > 1 else first
        self.rows.relations = [
            r
            for r in self.rows.relations
            if not (
                r["source_ref"] == first
                and r["relation"] == "child_of"
                and r["target_ref"] == parent
            )
        ]
        self.rows.entities = [
            {**e, "parent_ref": None}
            if e["entity_ref"] == first and e["parent_ref"] == parent
            else e
            for e in self.rows.entities
        ]
        placed = self._placed[first]
        self.problem(
            "warning",
            "group-cycle",
            "the Group hierarchy is a cycle: "
            + " > ".join([*rotated, first])
            + f"; {first} is taken as a root (its parent {parent} is not loaded)",
            "give one of these Groups no spec.parent (or remove it from spec.children)",
            file=placed.file,
            document_index=placed.document_index,
            line=placed.line,
            entity_ref=first,
        )


def _place(placed: Placed) -> str:
    if placed.file is None:
        return "the catalog"
    if placed.document_index is None:
        return placed.file
    return f"{placed.file} document {placed.document_index}"
