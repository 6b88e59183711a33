"""Reading Backstage descriptor YAML into flat rows (entities, relations, links, ...).

Pure functions, no dlt: the source in ``__init__.py`` wraps them. Every malformed document
becomes an error row naming its file, document number and line, and is skipped; the rest
of the catalog loads.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readiness.errors import Problems
from readiness.refs import normalize_ref
from readiness.yamlfile import Document, iter_documents, yaml_files

KINDS = {"component", "group", "user", "system", "domain", "api", "resource"}
IGNORED_KINDS = {"location", "template"}  # valid Backstage kinds that carry no readiness facts
_TIER_NUMBER = re.compile(r"(\d+)")

# Relation names as in the warehouse, and the default kind of their targets (Backstage's
# own defaults for short references in each field).
_SPEC_RELATIONS: dict[str, tuple[str, str]] = {
    "dependsOn": ("depends_on", "component"),
    "providesApis": ("provides_api", "api"),
    "consumesApis": ("consumes_api", "api"),
    "memberOf": ("member_of", "group"),
}


@dataclass
class CatalogRows:
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def tier_number(value: Any) -> int | None:
    """``tier-1``, ``1``, ``tier1``, ``T1`` -> 1; anything without a number -> None."""
    if value is None:
        return None
    match = _TIER_NUMBER.search(str(value))
    return int(match.group(1)) if match else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class _DocumentError(ValueError):
    def __init__(self, message: str, location: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.location = location


def _ref(value: Any, default_kind: str, namespace: str, where: tuple[str | int, ...]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _DocumentError(f"expected an entity reference, got {value!r}", where)
    try:
        return normalize_ref(value, default_kind=default_kind, default_namespace=namespace)
    except ValueError as exc:
        raise _DocumentError(str(exc), where) from exc


def _read_entity(doc: Document, relative_file: str, rows: CatalogRows) -> str | None:
    """Append the rows of one document; return its ref, or None for an ignored kind."""
    data = doc.data
    if not isinstance(data, dict):
        raise _DocumentError("a catalog document must be a mapping")
    api_version = data.get("apiVersion")
    if not isinstance(api_version, str) or "/" not in api_version:
        raise _DocumentError(
            "missing or invalid apiVersion (expected e.g. backstage.io/v1alpha1)", ("apiVersion",)
        )
    kind = str(data.get("kind") or "").lower()
    if kind in IGNORED_KINDS:
        return None
    if kind not in KINDS:
        raise _DocumentError(
            f"unsupported kind {data.get('kind')!r} (expected one of {', '.join(sorted(KINDS))})",
            ("kind",),
        )
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or not metadata.get("name"):
        raise _DocumentError("metadata.name is required", ("metadata",))
    spec = data.get("spec") or {}
    if not isinstance(spec, dict):
        raise _DocumentError("spec must be a mapping", ("spec",))
    namespace = str(metadata.get("namespace") or "default").lower()
    name = str(metadata["name"])
    ref = f"{kind}:{namespace}/{name}".lower()

    labels = metadata.get("labels") or {}
    annotations = metadata.get("annotations") or {}
    if not isinstance(labels, dict) or not isinstance(annotations, dict):
        raise _DocumentError("metadata.labels and metadata.annotations must be mappings")
    tier = labels.get("tier", annotations.get("tier", spec.get("tier")))
    owner = spec.get("owner")
    system = spec.get("system")
    domain = spec.get("domain") if kind == "system" else None
    parent = spec.get("parent") if kind == "group" else None
    profile = spec.get("profile") if isinstance(spec.get("profile"), dict) else {}

    relations: list[dict[str, Any]] = []

    def relate(relation: str, target: str, source: str = ref) -> None:
        relations.append({"source_ref": source, "relation": relation, "target_ref": target})

    owner_ref = _ref(owner, "group", namespace, ("spec", "owner")) if owner else None
    if owner_ref:
        relate("owned_by", owner_ref)
    system_ref = _ref(system, "system", namespace, ("spec", "system")) if system else None
    if system_ref:
        relate("part_of", system_ref)
    domain_ref = _ref(domain, "domain", namespace, ("spec", "domain")) if domain else None
    if domain_ref:
        relate("part_of", domain_ref)
    parent_ref = _ref(parent, "group", namespace, ("spec", "parent")) if parent else None
    if parent_ref:
        relate("child_of", parent_ref)
    for index, child in enumerate(_as_list(spec.get("children")) if kind == "group" else []):
        relate("child_of", ref, source=_ref(child, "group", namespace, ("spec", "children", index)))
    for index, member in enumerate(_as_list(spec.get("members")) if kind == "group" else []):
        relate("member_of", ref, source=_ref(member, "user", namespace, ("spec", "members", index)))
    for field_name, (relation, default_kind) in _SPEC_RELATIONS.items():
        for index, target in enumerate(_as_list(spec.get(field_name))):
            relate(relation, _ref(target, default_kind, namespace, ("spec", field_name, index)))

    links: list[dict[str, Any]] = []
    for index, link in enumerate(_as_list(metadata.get("links"))):
        if not isinstance(link, dict) or not link.get("url"):
            raise _DocumentError(
                "every metadata.links item needs a url", ("metadata", "links", index)
            )
        # `type` says what a link is; many real catalogs only set `icon` (e.g. "dashboard",
        # "chat"), so the icon stands in for a missing type.
        link_type = link.get("type") or link.get("icon")
        links.append(
            {
                "entity_ref": ref,
                "link_type": str(link_type).lower() if link_type else None,
                "url": str(link["url"]),
                "title": _text(link.get("title")),
            }
        )

    rows.entities.append(
        {
            "entity_ref": ref,
            "kind": kind,
            "namespace": namespace,
            "name": name.lower(),
            "title": _text(metadata.get("title")),
            "description": _text(metadata.get("description")),
            "spec_type": _text(spec.get("type")),
            "lifecycle": _text(spec.get("lifecycle")),
            "owner_ref": owner_ref,
            "system_ref": system_ref,
            "domain_ref": domain_ref,
            "parent_ref": parent_ref,
            "tier": _text(tier),
            "tier_number": tier_number(tier),
            "email": _text(profile.get("email")),
            "file": relative_file,
            "document_index": doc.index + 1,
        }
    )
    rows.relations.extend(relations)
    rows.links.extend(links)
    rows.annotations.extend(
        {"entity_ref": ref, "key": str(key), "value": _text(value)}
        for key, value in annotations.items()
    )
    for tag in _as_list(metadata.get("tags")):
        rows.annotations.append({"entity_ref": ref, "key": "backstage.io/tag", "value": str(tag)})
    return ref


# What one file gives, whatever else the catalog holds: per document, an entity (its ref,
# where it is defined, its rows) or an error row; then the file's YAML problems.
_FileItem = tuple[str, Any, Any, Any]


def _read_file(path: Path, relative: str) -> list[_FileItem]:
    items: list[_FileItem] = []
    problems = Problems()
    for doc in iter_documents(path, problems):
        try:
            staged = CatalogRows()
            ref = _read_entity(doc, relative, staged)
        except _DocumentError as exc:
            items.append(
                (
                    "error",
                    {
                        "file": relative,
                        "document_index": doc.index + 1,
                        "line": doc.line(*exc.location),
                        "message": str(exc),
                    },
                    None,
                    None,
                )
            )
            continue
        if ref is not None:
            items.append(("entity", ref, (doc.index, doc.line()), staged))
    for problem in problems:
        document = problem.where.split()[-1] if problem.where else None
        items.append(
            (
                "error",
                {
                    "file": relative,
                    "document_index": int(document) if document and document.isdigit() else None,
                    "line": problem.line,
                    "message": problem.message,
                },
                None,
                None,
            )
        )
    return items


def read_catalog(folder: Path, cache: dict[tuple[str, bytes], Any] | None = None) -> CatalogRows:
    """Read every ``*.yaml``/``*.yml`` file below ``folder`` into rows.

    Duplicate entity refs keep the first definition and report the others. ``cache``
    (kept by the caller for one load) maps (relative path, content digest) to what the
    file gave: reading many daily snapshots of a catalog parses each unchanged file once.
    The rows are shared between snapshots and must not be modified.
    """
    rows = CatalogRows()
    seen: dict[str, str] = {}
    for path in yaml_files(folder):
        relative = str(path.relative_to(folder))
        if cache is None:
            items = _read_file(path, relative)
        else:
            try:
                key = (relative, hashlib.sha1(path.read_bytes()).digest())
            except OSError:
                key = None
            items = cache.get(key) if key is not None else None
            if items is None:
                items = _read_file(path, relative)
                if key is not None:
                    cache[key] = items
        for kind, value, where, staged in items:
            if kind == "error":
                rows.errors.append(value)
                continue
            ref, (index, line) = value, where
            if ref in seen:
                rows.errors.append(
                    {
                        "file": relative,
                        "document_index": index + 1,
                        "line": line,
                        "message": f"duplicate entity {ref} (first defined in {seen[ref]}); skipped",
                    }
                )
                continue
            seen[ref] = f"{relative} document {index + 1}"
            rows.entities.extend(staged.entities)
            rows.relations.extend(staged.relations)
            rows.links.extend(staged.links)
            rows.annotations.extend(staged.annotations)
    return rows
