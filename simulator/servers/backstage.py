"""Backstage's catalog API: ``GET /api/catalog/entities/by-query``.

What a client sees of a running Backstage (``@backstage/plugin-catalog-backend``):

- ``limit`` (default 200), ``filter`` (``key=value`` conditions joined by ``,`` are ANDed;
  several ``filter`` parameters are ORed; keys are dotted paths, values case-insensitive),
  ``cursor``; a request with a cursor takes its filter and position from the cursor,
  which is opaque base64 JSON, and ignores the other parameters but ``limit``;
- ``{"items": [...], "totalItems": N, "pageInfo": {"nextCursor"?, "prevCursor"?}}``,
  items ordered by their uid (Backstage's order without ``orderField``); the last page
  has no ``nextCursor``;
- items are final entities: the descriptor as written, with ``metadata.namespace``,
  ``uid``, ``etag``, the ``backstage.io/managed-by-location`` and
  ``managed-by-origin-location`` annotations, and the ``relations`` Backstage computes
  (``ownedBy``/``ownerOf``, ``partOf``/``hasPart``, ``dependsOn``/``dependencyOf``,
  ``memberOf``/``hasMember``, ``childOf``/``parentOf``, ``providesApi``/``apiProvidedBy``,
  ``consumesApi``/``apiConsumedBy``);
- ``Authorization: Bearer <token>``; errors as
  ``{"error": {"name", "message"}, "request": {...}, "response": {"statusCode"}}``.

The entities are the simulated company's catalog as of the request's day, or, for tests,
any list of descriptors given to ``serve_entities`` (Backstage has then "ingested" them:
invalid ones are expected to be left out by the caller, as Backstage would refuse them).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from simulator.catalog import catalog_documents
from simulator.servers.framework import ApiServer, BadRequest, Request, Response, json_response

DEFAULT_LIMIT = 200
ORIGIN = "file:/srv/catalog/"
_UID_NAMESPACE = uuid.UUID("6f2b3c1e-9d0a-4c55-8a7e-3b9f0d1e2a4c")

# Backstage's relation pairs, and the spec fields that give them (default kind of a short
# reference in each field).
_RELATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # (spec field, relation on the entity, reverse relation, default kind, kinds it applies to)
    ("owner", "ownedBy", "ownerOf", "group", "*"),
    ("system", "partOf", "hasPart", "system", "*"),
    ("domain", "partOf", "hasPart", "domain", "system"),
    ("subcomponentOf", "partOf", "hasPart", "component", "component"),
    ("subdomainOf", "partOf", "hasPart", "domain", "domain"),
    ("dependsOn", "dependsOn", "dependencyOf", "component", "*"),
    ("dependencyOf", "dependencyOf", "dependsOn", "component", "*"),
    ("providesApis", "providesApi", "apiProvidedBy", "api", "component"),
    ("consumesApis", "consumesApi", "apiConsumedBy", "api", "component"),
    ("memberOf", "memberOf", "hasMember", "group", "user"),
    ("members", "hasMember", "memberOf", "user", "group"),
    ("parent", "childOf", "parentOf", "group", "group"),
    ("children", "parentOf", "childOf", "group", "group"),
)


def _error(status: int, name: str, message: str, req: Request) -> Response:
    return json_response(
        status,
        {
            "error": {"name": name, "message": message},
            "request": {"method": req.method, "url": req.path},
            "response": {"statusCode": status},
        },
    )


def _ref(value: str, default_kind: str, namespace: str) -> str:
    text = value.strip()
    kind, rest = text.split(":", 1) if ":" in text else (default_kind, text)
    space, name = rest.split("/", 1) if "/" in rest else (namespace, rest)
    return f"{kind}:{space}/{name}".lower()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def stitch(documents: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Final entities as Backstage's stitching makes them from (file, descriptor) pairs."""
    entities: list[dict[str, Any]] = []
    relations: dict[str, list[dict[str, str]]] = {}

    def add(source: str, kind: str, target: str) -> None:
        relations.setdefault(source, [])
        pair = {"type": kind, "targetRef": target}
        if pair not in relations[source]:
            relations[source].append(pair)

    for file, descriptor in documents:
        entity = copy.deepcopy(descriptor)
        metadata = entity.setdefault("metadata", {})
        namespace = str(metadata.get("namespace") or "default")
        metadata["namespace"] = namespace
        kind = str(entity["kind"]).lower()
        ref = f"{kind}:{namespace}/{metadata['name']}".lower()
        metadata["uid"] = str(uuid.uuid5(_UID_NAMESPACE, ref))
        metadata["etag"] = hashlib.sha1(orjson.dumps(descriptor)).hexdigest()[:16]
        annotations = metadata.setdefault("annotations", {})
        annotations.setdefault("backstage.io/managed-by-location", f"{ORIGIN}{file}")
        annotations.setdefault("backstage.io/managed-by-origin-location", f"{ORIGIN}{file}")
        spec = entity.get("spec") or {}
        for field, relation, reverse, default_kind, applies in _RELATIONS:
            if applies not in ("*", kind):
                continue
            for value in _as_list(spec.get(field)):
                if isinstance(value, str) and value.strip():
                    target = _ref(value, default_kind, namespace)
                    add(ref, relation, target)
                    add(target, reverse, ref)
        entities.append(entity)
    for entity in entities:
        metadata = entity["metadata"]
        ref = f"{str(entity['kind']).lower()}:{metadata['namespace']}/{metadata['name']}".lower()
        entity["relations"] = relations.get(ref, [])
    return sorted(entities, key=lambda e: e["metadata"]["uid"])


def _lookup(entity: Mapping[str, Any], path: str) -> list[str]:
    value: Any = entity
    for part in path.split("."):
        if isinstance(value, Mapping):
            matches = [v for k, v in value.items() if str(k).lower() == part.lower()]
            value = matches[0] if matches else None
        else:
            return []
    return [str(v).lower() for v in _as_list(value) if v is not None]


def _matches(entity: Mapping[str, Any], filters: list[str]) -> bool:
    """Backstage's filter: conditions in one parameter ANDed, parameters ORed."""
    if not filters:
        return True
    for expression in filters:
        ok = True
        for condition in expression.split(","):
            key, _, value = condition.partition("=")
            values = _lookup(entity, key.strip())
            if value == "" and "=" not in condition:
                ok = ok and bool(values)  # `filter=spec.owner`: the key exists
            else:
                ok = ok and value.strip().lower() in values
        if ok:
            return True
    return False


class BackstageApi(ApiServer):
    source = "backstage"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._served: Callable[[int], list[dict[str, Any]]] | None = None
        self._by_day: dict[int, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def register_routes(self) -> None:
        self.route("GET", "/api/catalog/entities/by-query", self.by_query)

    def serve_entities(self, documents: list[tuple[str, dict[str, Any]]]) -> None:
        """Serve these (file, descriptor) pairs, whatever the day, instead of the company's."""
        entities = stitch(documents)
        with self._lock:
            self._served = lambda day: entities
            self._by_day.clear()

    def entities(self, day: int) -> list[dict[str, Any]]:
        with self._lock:
            if day not in self._by_day:
                if self._served is not None:
                    self._by_day[day] = self._served(day)
                else:
                    files = catalog_documents(self.company, dt.date.fromordinal(day))
                    self._by_day[day] = stitch(
                        [
                            (path, document)
                            for path, documents in files.items()
                            if not isinstance(documents, str)
                            for document in documents
                        ]
                    )
            return self._by_day[day]

    # -- auth and errors as Backstage answers them -------------------------------------

    def authenticate(self, req: Request) -> Response | None:
        token = self.credentials.get("token")
        header = req.headers.get("Authorization", "")
        if not token or header == f"Bearer {token}":
            return None
        if not header:
            return _error(401, "AuthenticationError", "Missing credentials", req)
        return _error(401, "AuthenticationError", "Illegal token", req)

    def expired_token(self, req: Request) -> Response:
        return _error(401, "AuthenticationError", "Token has expired", req)

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        response = _error(429, "TooManyRequests", "Too many requests, try again later", req)
        response.headers.append(("Retry-After", str(int(params["reset_seconds"]))))
        return response

    def server_error(self, req: Request, status: int) -> Response:
        return _error(status, "Error", "Internal Server Error", req)

    def invalid_cursor(self, req: Request) -> Response:
        return _error(400, "InputError", "Malformed cursor, could not be parsed", req)

    def not_found(self, req: Request) -> Response:
        return _error(404, "NotFoundError", f"No route for GET {req.path}", req)

    def is_follow_up_page(self, req: Request) -> bool:
        return req.arg("cursor") is not None

    # -- the endpoint --------------------------------------------------------------------

    def by_query(self, req: Request) -> Response:
        try:
            limit = req.int_arg("limit", DEFAULT_LIMIT)
        except ValueError:
            raise BadRequest(
                _error(400, "InputError", "Invalid limit, not an integer", req)
            ) from None
        if limit < 0:
            raise BadRequest(_error(400, "InputError", "Invalid limit, must be >= 0", req))
        cursor_text = req.arg("cursor")
        if cursor_text:
            try:
                cursor = orjson.loads(base64.b64decode(cursor_text, validate=True))
                filters = list(cursor["filter"])
                after = cursor["orderFieldValues"][0]
                total = int(cursor["totalItems"])
            except (ValueError, KeyError, TypeError, IndexError, orjson.JSONDecodeError):
                return self.invalid_cursor(req)
        else:
            filters, after, total = req.args("filter"), None, None
        matching = [e for e in self.entities(req.day) if _matches(e, filters)]
        if total is None:
            total = len(matching)
        if after is not None:
            matching = [e for e in matching if e["metadata"]["uid"] > after]
        page = matching[:limit]

        def cursor(entity: Mapping[str, Any], previous: bool) -> str:
            state = {
                "orderFields": [],
                "orderFieldValues": [entity["metadata"]["uid"]],
                "filter": filters,
                "isPrevious": previous,
                "totalItems": total,
            }
            return base64.b64encode(orjson.dumps(state)).decode()

        info: dict[str, str] = {}
        if len(matching) > limit and page:
            info["nextCursor"] = cursor(page[-1], False)
        if after is not None and page:
            info["prevCursor"] = cursor(page[0], True)
        return json_response(200, {"items": page, "totalItems": total, "pageInfo": info})
