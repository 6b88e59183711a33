"""HTTP details of Backstage's catalog API: auth, cursor paging, errors.

``GET /api/catalog/entities/by-query?limit=N`` answers
``{"items": [...], "totalItems": N, "pageInfo": {"nextCursor": "...", "prevCursor": "..."}}``;
the next page is ``?cursor=<nextCursor>&limit=N`` (the cursor carries the filter and
order of the first request, so nothing else is sent), and the last page has no
``nextCursor``. The items are the catalog's final entities: the descriptors as written
(``apiVersion``, ``kind``, ``metadata``, ``spec``) plus ``metadata.uid``/``etag`` and the
``relations`` Backstage computed. Auth is ``Authorization: Bearer <token>`` (a static
external-access token, or a service or user token); Backstage's errors are
``{"error": {"name", "message"}, "response": {"statusCode"}}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient

from ingestion.backstage.settings import MAX_PAGES, PAGE_SIZE, QUERY_PATH, SOURCE
from ingestion.errors import SourceError
from ingestion.http import RetryPolicy, SecretHeaderAuth, request_errors, rest_client


class BackstageError(SourceError):
    """A request to the catalog API failed for good; the message names status and path."""


def backstage_client(
    base_url: str, token: str | None, policy: RetryPolicy, timeout: float
) -> RESTClient:
    auth = SecretHeaderAuth("Authorization", f"Bearer {token}") if token else None
    return rest_client(
        base_url,
        headers={"Accept": "application/json"},
        auth=auth,
        policy=policy,
        timeout=timeout,
    )


def _explain(response: requests.Response | None) -> str:
    """Backstage's ``error.name: error.message`` from an error body, and what to check."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    said = (
        f": {error.get('name', 'Error')}: {str(error.get('message', ''))[:200]}"
        if isinstance(error, dict)
        else ""
    )
    return said + _hint(response)


def _hint(response: requests.Response) -> str:
    if response.status_code in (401, 403):
        return (
            " (check sources.backstage.token: a token Backstage accepts, e.g. a static "
            "token of backend.auth.externalAccess, allowed to read catalog entities)"
        )
    if response.status_code == 404:
        return " (check sources.backstage.base_url: the backend's URL, without /api/catalog)"
    return ""


def _get(client: RESTClient, params: dict[str, Any], page: int) -> dict[str, Any]:
    with request_errors(SOURCE, BackstageError, f"page {page} of GET {QUERY_PATH}", _explain):
        response = client.get(QUERY_PATH, params=params)
        response.raise_for_status()
        body = response.json()
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise BackstageError(
            f"source {SOURCE}: page {page} of GET {QUERY_PATH} is not a by-query answer "
            "(no `items` list): is sources.backstage.base_url a Backstage backend?"
        )
    return body


def query_entities(
    client: RESTClient, filters: list[str] | None = None, page_size: int = PAGE_SIZE
) -> Iterator[dict[str, Any]]:
    """Every entity the catalog serves (optionally ``filter=`` expressions, e.g.
    ``kind=component,spec.lifecycle=production``), page by page."""
    params: dict[str, Any] = {"limit": page_size}
    if filters:
        params["filter"] = list(filters)
    seen: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        body = _get(client, params, page)
        for item in body["items"]:
            if isinstance(item, dict):
                yield item
        info = body.get("pageInfo") if isinstance(body.get("pageInfo"), dict) else {}
        cursor = info.get("nextCursor")
        if not cursor or not body["items"]:
            return
        if cursor in seen:
            raise BackstageError(
                f"source {SOURCE}: GET {QUERY_PATH} returned the same nextCursor twice "
                f"(page {page}); the catalog cannot be read to its end"
            )
        seen.add(cursor)
        params = {"cursor": cursor, "limit": page_size}
    raise BackstageError(
        f"source {SOURCE}: more than {MAX_PAGES} pages of {page_size} entities; "
        "narrow the catalog with sources.backstage.filters"
    )
