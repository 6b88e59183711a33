"""HTTP details of the Okta management API: auth, Link-header paging, errors, row mapping.

Okta pages by an opaque cursor in the ``Link: <…>; rel="next"`` header (real Okta sends
``self`` and ``next`` as two header lines; requests joins them and dlt's
``HeaderLinkPaginator`` follows ``next`` verbatim). Throttling is a 429 with
``X-Rate-Limit-Reset`` (epoch seconds), which ``ingestion.http.rest_client`` waits out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator

from ingestion.errors import SourceError
from ingestion.http import RetryPolicy, SecretHeaderAuth, describe_http_error, rest_client
from ingestion.okta.settings import (
    DEPROVISIONED_FILTER,
    GROUPS_PAGE_SIZE,
    GROUPS_PATH,
    MEMBERS_PAGE_SIZE,
    MEMBERS_PATH,
    SOURCE,
    USERS_PAGE_SIZE,
    USERS_PATH,
)


class OktaError(SourceError):
    """A request to Okta failed for good; the message names the source, status and path."""


def auth_for(api_token: str | None, access_token: str | None) -> SecretHeaderAuth:
    """SSWS when an API token is configured, else the OAuth bearer token."""
    if api_token:
        return SecretHeaderAuth("Authorization", f"SSWS {api_token}")
    if access_token:
        return SecretHeaderAuth("Authorization", f"Bearer {access_token}")
    raise OktaError(
        f"source {SOURCE}: no credentials; set sources.okta.api_token "
        "(an API token, sent as SSWS) or sources.okta.access_token (OAuth, scopes "
        "okta.users.read and okta.groups.read)"
    )


def okta_client(base_url: str, auth: SecretHeaderAuth, policy: RetryPolicy) -> RESTClient:
    """The shared rate-limit-aware client (it also re-asks for truncated JSON bodies)."""
    return rest_client(base_url, headers={"Accept": "application/json"}, auth=auth, policy=policy)


def _vendor_message(response: requests.Response | None) -> str:
    """Okta's ``errorCode: errorSummary`` from an error body, if it has one."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict) or "errorSummary" not in body:
        return ""
    return f": {body.get('errorCode', '')} {str(body['errorSummary'])[:200]}".rstrip()


def _hint(response: requests.Response | None) -> str:
    if response is not None and response.status_code in (401, 403):
        return (
            " (check sources.okta.api_token or access_token; the token needs read access to "
            "users and groups: okta.users.read, okta.groups.read)"
        )
    return ""


def pages(client: RESTClient, path: str, params: Mapping[str, Any]) -> Iterator[list[Any]]:
    """Every page of a Link-paged Okta list, with failures turned into ``OktaError``."""
    number = 0
    try:
        for page in client.paginate(
            path, params=dict(params), paginator=HeaderLinkPaginator(), data_selector="$"
        ):
            number += 1
            yield page
    except requests.HTTPError as error:
        message = describe_http_error(SOURCE, error)
        raise OktaError(message + _vendor_message(error.response) + _hint(error.response)) from None
    except requests.JSONDecodeError:
        raise OktaError(
            f"source {SOURCE}: malformed JSON in page {number + 1} of GET {path} "
            "(still truncated after retries)"
        ) from None
    except requests.RequestException as error:
        raise OktaError(describe_http_error(SOURCE, error)) from None


def _timestamp(value: str | None) -> dt.datetime | None:
    """Okta's ``2024-01-01T00:00:00.000Z`` as an aware UTC datetime."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def user_row(user: Mapping[str, Any]) -> dict[str, Any]:
    """The columns we keep of an Okta User object (API_SHAPES §3)."""
    profile = user.get("profile") or {}
    return {
        "user_id": user["id"],
        "login": profile.get("login"),
        "email": profile.get("email"),
        "status": user.get("status"),
        "created_at": _timestamp(user.get("created")),
        "activated_at": _timestamp(user.get("activated")),
        "status_changed_at": _timestamp(user.get("statusChanged")),
        "last_login_at": _timestamp(user.get("lastLogin")),
    }


def group_row(group: Mapping[str, Any]) -> dict[str, Any]:
    """The columns we keep of an Okta Group object; ``profile.name`` is the join key."""
    profile = group.get("profile") or {}
    return {
        "group_id": group["id"],
        "group_name": profile.get("name"),
        "group_type": group.get("type"),
        "description": profile.get("description"),
    }


def list_users(client: RESTClient) -> Iterator[dict[str, Any]]:
    """Every user, DEPROVISIONED included: the plain list, then a filtered pass for those
    the plain list leaves out. A user seen in both passes (deprovisioned in between) is
    kept once, as first seen."""
    seen: set[str] = set()
    for params in (
        {"limit": USERS_PAGE_SIZE},
        {"filter": DEPROVISIONED_FILTER, "limit": USERS_PAGE_SIZE},
    ):
        for page in pages(client, USERS_PATH, params):
            for user in page:
                if user["id"] not in seen:
                    seen.add(user["id"])
                    yield user_row(user)


def list_groups(client: RESTClient) -> list[dict[str, Any]]:
    """Every group (OKTA_GROUP, APP_GROUP, BUILT_IN); one page for most organisations."""
    return [
        group_row(group)
        for page in pages(client, GROUPS_PATH, {"limit": GROUPS_PAGE_SIZE})
        for group in page
    ]


def list_member_ids(client: RESTClient, group_id: str) -> Iterator[str]:
    """Ids of a group's members, whatever their status (statuses come from the users table)."""
    seen: set[str] = set()
    path = MEMBERS_PATH.format(group_id=group_id)
    for page in pages(client, path, {"limit": MEMBERS_PAGE_SIZE}):
        for user in page:
            if user["id"] not in seen:
                seen.add(user["id"])
                yield user["id"]
