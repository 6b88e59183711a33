"""One Backstage entity (a parsed descriptor, from a file or the catalog API) into rows.

Validation follows Backstage's own rules (``@backstage/catalog-model``): an entity needs
``apiVersion`` (``group/version``; the core kinds accept ``backstage.io/v1alpha1`` and
``backstage.io/v1beta1``), ``kind`` and ``metadata.name`` (1–63 characters, letters and
digits separated by ``-``, ``_`` or ``.``); ``metadata.namespace`` is a DNS label. Such an
entity is skipped with an error. Anything else wrong inside a valid entity (a reference
that is not a string, a link without a URL, an annotation that is not text, a value YAML
could not read) is a warning: the entity loads, the bad item is left out or kept as text.

Kinds are not a closed list: Template, Location and custom kinds (``AiResource``, ...)
load like the core kinds, so a scorecard may target them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from readiness.refs import normalize_ref

CORE_KINDS = {"component", "group", "user", "system", "domain", "api", "resource", "location"}
CORE_API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
# Kinds whose apiVersion Backstage's own processors check, and what they accept.
API_VERSIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(CORE_KINDS, CORE_API_VERSIONS),
    "template": ("scaffolder.backstage.io/v1beta3", "backstage.io/v1beta2"),
}
_API_VERSION = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[a-z0-9]+$")
_KIND = re.compile(r"^[a-zA-Z][a-z0-9A-Z]*$")
_NAME = re.compile(r"^[a-z0-9A-Z]+([-_.][a-z0-9A-Z]+)*$")
_NAMESPACE = re.compile(r"^[a-z0-9]+(-+[a-z0-9]+)*$")
_MAX_LENGTH = 63
_TIER_NUMBER = re.compile(r"(\d+)")
# What YAML reads as a date: a date-looking value that is not a day stays text (2026-02-30).
_DATE_LIKE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
PLACEHOLDERS = ("$text", "$json", "$yaml")

# Relation fields of `spec` as in the warehouse: field -> (relation, default kind of a
# short reference). Backstage's defaults: owner Group, system System, members User, ...
_SPEC_RELATIONS: dict[str, tuple[str, str]] = {
    "dependsOn": ("depends_on", "component"),
    "providesApis": ("provides_api", "api"),
    "consumesApis": ("consumes_api", "api"),
    "memberOf": ("member_of", "group"),
    "subcomponentOf": ("subcomponent_of", "component"),
    "subdomainOf": ("subdomain_of", "domain"),
}

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """Something wrong with one entity: ``where`` is the path of the field in the document."""

    severity: str  # error (entity skipped), warning (loaded with the item left out), note
    problem: str  # a short code: invalid-name, invalid-reference, ...
    message: str
    hint: str
    where: Where = ()


@dataclass
class EntityRows:
    """What one valid entity gives: its row, relations, links and annotations."""

    ref: str
    kind: str
    entity: dict[str, Any]
    relations: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    # (field, the entity it names, where): every reference, for the dangling checks
    references: list[tuple[str, str, Where]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # Location entities: (target as written, where), in order
    location_targets: list[tuple[str, Where]] = field(default_factory=list)
    location_type: str | None = None


class EntityError(ValueError):
    """The document is not a valid entity; it is skipped."""

    def __init__(self, problem: str, message: str, hint: str, where: Where = ()):
        super().__init__(message)
        self.issue = Issue("error", problem, message, hint, where)


def tier_number(value: Any) -> int | None:
    """``tier-1``, ``1``, ``tier1``, ``T1`` -> 1; anything without a number -> None."""
    if value is None:
        return None
    match = _TIER_NUMBER.search(str(value))
    return int(match.group(1)) if match else None


def is_descriptor(data: Any) -> bool:
    """Whether a YAML document is meant as an entity: a mapping with apiVersion or kind."""
    return isinstance(data, Mapping) and ("apiVersion" in data or "kind" in data)


def placeholder(value: Any) -> str | None:
    """``{$text: ./api.yaml}`` -> ``$text: ./api.yaml``: Backstage's substitutions are kept
    as the reference written, never read."""
    if isinstance(value, Mapping) and len(value) == 1:
        (key, target), *_ = value.items()
        if key in PLACEHOLDERS:
            return f"{key}: {target}"
    return None


def _invalid_dates(value: Any, where: Where = ()) -> Iterator[tuple[Where, str, str]]:
    """Every text in ``value`` that YAML would read as a date but is not a day, with where
    it is and why (``2026-02-30``: day is out of range for month)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _invalid_dates(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _invalid_dates(item, (*where, index))
    elif isinstance(value, str) and (match := _DATE_LIKE.match(value)):
        try:
            dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            yield where, value, str(exc)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return placeholder(value) or str(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _identity(data: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """(kind, namespace, name, apiVersion) of a descriptor, or EntityError."""
    api_version = data.get("apiVersion")
    kind = data.get("kind")
    if api_version is None or api_version == "":
        raise EntityError(
            "missing-api-version",
            "apiVersion is missing",
            "start the document with `apiVersion: backstage.io/v1alpha1`",
            ("apiVersion",) if "apiVersion" in data else (),
        )
    if not isinstance(api_version, str) or not _API_VERSION.match(api_version):
        raise EntityError(
            "invalid-api-version",
            f"apiVersion {api_version!r} is not of the form group/version",
            "write `apiVersion: backstage.io/v1alpha1`",
            ("apiVersion",),
        )
    if kind is None or kind == "":
        raise EntityError(
            "missing-kind",
            "kind is missing",
            "add `kind:` (Component, API, Resource, System, Domain, Group, User, Location, ...)",
            ("kind",) if "kind" in data else (),
        )
    if not isinstance(kind, str) or not _KIND.match(kind) or len(kind) > _MAX_LENGTH:
        raise EntityError(
            "invalid-kind",
            f"kind {kind!r} is not a valid kind name",
            "a kind is a word of letters and digits starting with a letter, e.g. Component",
            ("kind",),
        )
    accepted = API_VERSIONS.get(kind.lower())
    if accepted and api_version not in accepted:
        raise EntityError(
            "invalid-api-version",
            f"apiVersion {api_version!r} is not one {kind} accepts",
            f"write `apiVersion: {accepted[0]}`",
            ("apiVersion",),
        )
    metadata = data.get("metadata")
    if not isinstance(metadata, Mapping):
        raise EntityError(
            "missing-name",
            "metadata.name is missing" if metadata is None else "metadata must be a mapping",
            "add `metadata:` with a `name:`",
            ("metadata",),
        )
    name = metadata.get("name")
    if name is None or name == "":
        raise EntityError(
            "missing-name", "metadata.name is missing", "add `metadata.name`", ("metadata",)
        )
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > _MAX_LENGTH:
        raise EntityError(
            "invalid-name",
            f"metadata.name {name!r} is not a valid Backstage name",
            "use 1-63 letters and digits separated by '-', '_' or '.', no spaces "
            "(e.g. payments-api); put the display name in metadata.title",
            ("metadata", "name"),
        )
    namespace = metadata.get("namespace", "default")
    if namespace is None or namespace == "":
        namespace = "default"
    if (
        not isinstance(namespace, str)
        or not _NAMESPACE.match(namespace)
        or len(namespace) > _MAX_LENGTH
    ):
        raise EntityError(
            "invalid-namespace",
            f"metadata.namespace {namespace!r} is not a valid namespace",
            "use lower-case letters, digits and '-' (e.g. default)",
            ("metadata", "namespace"),
        )
    return kind.lower(), namespace, name, api_version


def read_entity(data: Any, file: str | None, document_index: int | None) -> EntityRows:
    """The rows of one descriptor, or EntityError when it is not a valid entity."""
    if not isinstance(data, Mapping):
        raise EntityError(
            "not-a-mapping",
            f"a catalog document must be a mapping, not {type(data).__name__}",
            "write the entity as `apiVersion: ...`, `kind: ...`, `metadata: ...`",
        )
    kind, namespace, name, _ = _identity(data)
    ref = f"{kind}:{namespace}/{name}".lower()
    metadata = data["metadata"]
    issues: list[Issue] = []

    def warn(problem: str, message: str, hint: str, where: Where) -> None:
        issues.append(Issue("warning", problem, message, hint, where))

    for where, text, reason in _invalid_dates({"metadata": metadata, "spec": data.get("spec")}):
        warn(
            "invalid-value",
            f"{'.'.join(map(str, where))}: {text!r} is not a valid value ({reason}); kept as text",
            "quote the value if it is text, or correct it",
            where,
        )

    spec = data.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        warn("invalid-spec", "spec must be a mapping; ignored", "indent spec's fields", ("spec",))
        spec = {}

    def mapping(key: str) -> Mapping[str, Any]:
        value = metadata.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            warn(
                "invalid-metadata",
                f"metadata.{key} must be a mapping; ignored",
                f"write metadata.{key} as `key: value` lines",
                ("metadata", key),
            )
            return {}
        return value

    labels = mapping("labels")
    annotations = mapping("annotations")
    profile = spec.get("profile") if isinstance(spec.get("profile"), Mapping) else {}

    rows = EntityRows(ref=ref, kind=kind, entity={})
    relations = rows.relations

    def reference(value: Any, default_kind: str, where: Where) -> str | None:
        if not isinstance(value, str) or not value.strip():
            warn(
                "invalid-reference",
                f"{'.'.join(map(str, where))}: {value!r} is not an entity reference; ignored",
                "write a reference as kind:namespace/name or a short name",
                where,
            )
            return None
        try:
            return normalize_ref(value, default_kind=default_kind, default_namespace=namespace)
        except ValueError as exc:
            warn("invalid-reference", f"{'.'.join(map(str, where))}: {exc}", "fix it", where)
            return None

    def relate(relation: str, named: str | None, where: Where, *, reverse: bool = False) -> None:
        """A relation from this entity to the one ``named`` in its field at ``where``
        (``reverse``: from the named one to this one, e.g. Group.spec.members)."""
        if named is None:
            return
        source, target = (named, ref) if reverse else (ref, named)
        relations.append({"source_ref": source, "relation": relation, "target_ref": target})
        rows.references.append((".".join(str(part) for part in where[:2]), named, where))

    def single(key: str, default_kind: str) -> str | None:
        if spec.get(key) in (None, ""):
            return None
        return reference(spec[key], default_kind, ("spec", key))

    owner_ref = single("owner", "group")
    relate("owned_by", owner_ref, ("spec", "owner"))
    system_ref = single("system", "system")
    relate("part_of", system_ref, ("spec", "system"))
    domain_ref = single("domain", "domain") if kind == "system" else None
    relate("part_of", domain_ref, ("spec", "domain"))
    parent_ref = single("parent", "group") if kind == "group" else None
    relate("child_of", parent_ref, ("spec", "parent"))
    if kind == "group":
        for index, child in enumerate(_as_list(spec.get("children"))):
            where = ("spec", "children", index)
            relate("child_of", reference(child, "group", where), where, reverse=True)
        for index, member in enumerate(_as_list(spec.get("members"))):
            where = ("spec", "members", index)
            relate("member_of", reference(member, "user", where), where, reverse=True)
    for field_name, (relation, default_kind) in _SPEC_RELATIONS.items():
        for index, target in enumerate(_as_list(spec.get(field_name))):
            where = ("spec", field_name, index)
            relate(relation, reference(target, default_kind, where), where)
    # `dependencyOf` on a Resource or Component: the named entity depends on this one.
    for index, target in enumerate(_as_list(spec.get("dependencyOf"))):
        where = ("spec", "dependencyOf", index)
        relate("depends_on", reference(target, "component", where), where, reverse=True)

    for index, link in enumerate(_as_list(metadata.get("links"))):
        where = ("metadata", "links", index)
        if not isinstance(link, Mapping) or not link.get("url"):
            warn("invalid-link", "a metadata.links item has no url; ignored", "add `url:`", where)
            continue
        # `type` says what a link is; many real catalogs only set `icon` (e.g. "dashboard",
        # "chat"), so the icon stands in for a missing type.
        link_type = link.get("type") or link.get("icon")
        rows.links.append(
            {
                "entity_ref": ref,
                "link_type": str(link_type).lower() if link_type else None,
                "url": str(link["url"]),
                "title": _text(link.get("title")),
            }
        )

    for key, value in annotations.items():
        if value is not None and not isinstance(value, str) and placeholder(value) is None:
            warn(
                "invalid-value",
                f"annotation {key}: {value!r} is not a string; kept as text",
                "quote annotation values",
                ("metadata", "annotations", key),
            )
        rows.annotations.append({"entity_ref": ref, "key": str(key), "value": _text(value)})
    for tag in _as_list(metadata.get("tags")):
        rows.annotations.append({"entity_ref": ref, "key": "backstage.io/tag", "value": _text(tag)})

    if kind == "location":
        rows.location_type = _text(spec.get("type"))
        if spec.get("target") not in (None, ""):
            rows.location_targets.append((spec["target"], ("spec", "target")))
        for index, target in enumerate(_as_list(spec.get("targets"))):
            rows.location_targets.append((target, ("spec", "targets", index)))

    tier = labels.get("tier", annotations.get("tier", spec.get("tier")))
    rows.entity = {
        "entity_ref": ref,
        "kind": kind,
        "namespace": namespace,
        "name": name.lower(),
        # as people wrote them: the title, else the name with its case
        "title": _text(metadata.get("title")) or name,
        "display_name": _text(profile.get("displayName")),
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
        "file": file,
        "document_index": document_index,
    }
    rows.issues = issues
    return rows
