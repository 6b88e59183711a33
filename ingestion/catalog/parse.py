"""Reading a Backstage catalog from files, the way Backstage reads it.

The catalog is given as files and folders (``--catalog``, repeatable). A folder is read
whole (every ``*.yaml``/``*.yml`` below it); a file is read, and in both cases the
``Location`` entities found are followed: ``spec.target`` and ``spec.targets``, relative to
the file that names them, glob patterns included (``./*/catalog-info.yaml``). A file
reached twice (through a Location and the folder, or two Locations) is read once; a
Location leading back to a file on its own path is a cycle, reported and not followed; a
missing target is reported; URL targets are noted and not fetched.

Files that are not entity descriptors (no ``apiVersion``/``kind``, e.g. the OpenAPI files
an API's ``$text`` placeholder points at) are skipped with a note; placeholders are kept
as the reference written. Every other problem becomes a row (see ``build.py``) and the
rest of the catalog loads: one bad document never hides its neighbours.

Pure functions, no dlt: the source in ``__init__.py`` wraps them.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingestion.catalog.build import CatalogBuilder, CatalogRows, Placed, problem_row
from ingestion.catalog.entities import EntityError, is_descriptor, read_entity, tier_number
from readiness.errors import Problems
from readiness.yamlfile import iter_documents, yaml_files

__all__ = ["CatalogRows", "read_catalog", "tier_number"]

MAX_LOCATION_DEPTH = 64
_URL_PREFIXES = ("http://", "https://", "url:")


@dataclass
class _ParsedFile:
    """What one file gives whatever else the catalog holds (cached by content)."""

    entities: list[Placed] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def _read_file(path: Path, display: str) -> _ParsedFile:
    parsed = _ParsedFile()
    problems = Problems()
    skipped: list[int] = []
    for doc in iter_documents(path, problems):
        if not is_descriptor(doc.data):
            skipped.append(doc.index + 1)
            continue
        try:
            rows = read_entity(doc.data, display, doc.index + 1)
        except EntityError as exc:
            issue = exc.issue
            parsed.problems.append(
                problem_row(
                    issue.severity,
                    issue.problem,
                    issue.message,
                    issue.hint,
                    file=display,
                    document_index=doc.index + 1,
                    line=doc.line(*issue.where),
                    entity_ref=_ref_of(doc.data),
                )
            )
            continue
        wheres = [i.where for i in rows.issues] + [w for _, _, w in rows.references]
        wheres += [w for _, w in rows.location_targets]
        parsed.entities.append(
            Placed(
                rows,
                display,
                doc.index + 1,
                doc.line(),
                {where: doc.line(*where) for where in wheres},
            )
        )
    for problem in problems:
        document = problem.where.split()[-1] if problem.where else None
        unreadable = problem.where is None  # a problem of the whole file, not of a document
        parsed.problems.append(
            problem_row(
                "error",
                "unreadable-file" if unreadable else "invalid-yaml",
                _unreadable(problem.message) if unreadable else problem.message,
                problem.hint,
                file=display,
                document_index=int(document) if document and document.isdigit() else None,
                line=problem.line,
            )
        )
    if skipped:
        parsed.problems.append(
            problem_row(
                "note",
                "not-a-descriptor",
                (
                    "not an entity descriptor (no apiVersion or kind): skipped"
                    if len(skipped) == 1
                    else f"{len(skipped)} documents are not entity descriptors "
                    "(no apiVersion or kind): skipped"
                ),
                "nothing to do if this is, e.g., an API definition a $text placeholder reads",
                file=display,
                document_index=skipped[0],
                line=None,
            )
        )
    return parsed


def _unreadable(message: str) -> str:
    if "codec can't decode" in message:
        return "cannot read file: it is not UTF-8 text (binary data or another encoding)"
    return message


def _ref_of(data: Any) -> str | None:
    """The ref a broken document meant to define, when it says (for the problem row)."""
    if not isinstance(data, dict):
        return None
    metadata = data.get("metadata")
    kind, name = data.get("kind"), metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        return None
    namespace = metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else None
    return f"{kind}:{namespace or 'default'}/{name}".lower()


class _Walker:
    """Reads the roots and follows Locations, each file once."""

    def __init__(self, roots: Sequence[Path], cache: dict[Any, _ParsedFile] | None) -> None:
        self.roots = [Path(root) for root in roots]
        self.bases = [(root if root.is_dir() else root.parent).resolve() for root in self.roots]
        self.cache = cache
        self.builder = CatalogBuilder()
        self.visited: set[Path] = set()

    def display(self, path: Path, base: Path) -> str:
        resolved = path.resolve()
        for candidate in (base, *self.bases):
            if resolved.is_relative_to(candidate):
                return resolved.relative_to(candidate).as_posix()
        return str(resolved)

    def parse(self, path: Path, display: str) -> _ParsedFile:
        if self.cache is None:
            return _read_file(path, display)
        try:
            key = (display, hashlib.sha1(path.read_bytes()).digest())
        except OSError:
            return _read_file(path, display)
        parsed = self.cache.get(key)
        if parsed is None:
            parsed = self.cache[key] = _read_file(path, display)
        return parsed

    def run(self) -> CatalogRows:
        for root, base in zip(self.roots, self.bases, strict=True):
            if not root.exists():
                raise FileNotFoundError(
                    f"catalog path {root} not found (pass --catalog FILE_OR_DIR, or set "
                    "sources.catalog.path)"
                )
            try:
                files = yaml_files(root) if root.is_dir() else [root]
            except OSError as error:  # a folder that cannot be listed
                self.builder.problem(
                    "error",
                    "unreadable-file",
                    f"cannot list {root}: {error.strerror or error}",
                    "check the folder's permissions",
                    file=str(root),
                )
                continue
            for path in files:
                self.visit(path, base, ())
        return self.builder.finish()

    def visit(self, path: Path, base: Path, chain: tuple[Path, ...]) -> None:
        resolved = path.resolve()
        if resolved in self.visited:
            return
        self.visited.add(resolved)
        parsed = self.parse(path, self.display(path, base))
        self.builder.rows.problems.extend(parsed.problems)
        for placed in parsed.entities:
            self.builder.add(placed)
            for target, where in placed.rows.location_targets:
                self.follow(path, base, (*chain, resolved), placed, target, where)

    def follow(
        self,
        path: Path,
        base: Path,
        chain: tuple[Path, ...],
        placed: Placed,
        target: Any,
        where: tuple[str | int, ...],
    ) -> None:
        at = {
            "file": placed.file,
            "document_index": placed.document_index,
            "line": placed.line_of(where),
            "entity_ref": placed.rows.ref,
        }
        problem = self.builder.problem
        if not isinstance(target, str) or not target.strip():
            problem(
                "warning",
                "location-target-invalid",
                f"Location target {target!r} is not a path",
                "write targets as paths relative to this file, e.g. ./components/x.yaml",
                **at,
            )
            return
        if (
            target.startswith(_URL_PREFIXES)
            or placed.rows.location_type == "url"
            and ("://" in target)
        ):
            problem(
                "note",
                "location-url",
                f"Location target {target} is a URL: not fetched (readiness reads local files)",
                "pass the checked-out files with --catalog, or read a running Backstage "
                "with the backstage source",
                **at,
            )
            return
        pattern = target.removeprefix("file:")
        full = pattern if os.path.isabs(pattern) else str(path.parent / pattern)
        if glob.has_magic(pattern):
            matches = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
        else:
            matches = [Path(full)] if Path(full).is_file() else []
        if not matches:
            folder = Path(full).is_dir()
            problem(
                "warning",
                "location-target-missing",
                f"Location target {target} "
                + ("is a folder; a Location names files" if folder else "does not exist"),
                "target a file or a glob such as ./dir/*.yaml"
                if folder
                else "fix the path (it is relative to the file that names it) or remove it",
                **at,
            )
            return
        for match in matches:
            resolved = match.resolve()
            if resolved in chain:
                problem(
                    "warning",
                    "location-cycle",
                    f"Location target {target} leads back to {self.display(match, base)}, "
                    "which is on its own path of Locations: not followed again",
                    "remove the target that closes the loop",
                    **at,
                )
                continue
            if len(chain) >= MAX_LOCATION_DEPTH:
                problem(
                    "warning",
                    "location-depth",
                    f"Locations nest more than {MAX_LOCATION_DEPTH} deep: {target} not followed",
                    "point one Location at the files directly",
                    **at,
                )
                continue
            self.visit(match, base, chain)


def read_catalog(
    paths: Path | str | Iterable[Path | str], cache: dict[Any, Any] | None = None
) -> CatalogRows:
    """Read a catalog from files and folders (Locations followed) into rows.

    Duplicate entity refs keep the first definition and report the others. ``cache``
    (kept by the caller for one load) maps (file, content digest) to what the file gave:
    reading many daily snapshots of a catalog parses each unchanged file once. The rows
    are shared between snapshots and must not be modified.
    """
    roots = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    return _Walker(roots, cache).run()
