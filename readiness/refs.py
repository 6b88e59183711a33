"""Backstage entity references, in their canonical lower-case form ``kind:namespace/name``."""

from __future__ import annotations

DEFAULT_NAMESPACE = "default"


def normalize_ref(
    ref: str, default_kind: str | None = None, default_namespace: str = DEFAULT_NAMESPACE
) -> str:
    """Expand a short or full Backstage reference to ``kind:namespace/name``, lower case.

    ``team-a`` (with default kind ``group``) -> ``group:default/team-a``;
    ``Group:Ops/Team-A`` -> ``group:ops/team-a``. Raises ValueError when no kind is given
    and none can be defaulted.
    """
    text = ref.strip()
    kind: str | None
    if ":" in text:
        kind, rest = text.split(":", 1)
    else:
        kind, rest = default_kind, text
    if not kind:
        raise ValueError(f"entity reference '{ref}' has no kind (write kind:namespace/name)")
    if "/" in rest:
        namespace, name = rest.split("/", 1)
    else:
        namespace, name = default_namespace, rest
    if not name or not namespace:
        raise ValueError(f"entity reference '{ref}' is incomplete")
    return f"{kind}:{namespace}/{name}".lower()


def entity_ref(kind: str, name: str, namespace: str | None = None) -> str:
    return f"{kind}:{namespace or DEFAULT_NAMESPACE}/{name}".lower()
