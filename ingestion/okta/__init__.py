"""dlt source: Okta users, groups and group members, as daily snapshots.

Tables (dataset ``raw_okta``): ``snapshots``, ``users``, ``groups``, ``group_members``.
Every row carries ``snapshot_on``; each (day, base URL) reading is one snapshot. The owner
rule joins a catalog Group to its Okta group by ``profile.name`` and needs at least one
ACTIVE member, so members are stored as ids and joined to ``users`` for their status.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import dlt
from dlt.extract.resource import DltResource
from dlt.sources.helpers.rest_client import RESTClient

from ingestion.http import RetryPolicy
from ingestion.okta import helpers
from ingestion.okta.settings import (
    GROUP_COLUMNS,
    MEMBER_COLUMNS,
    USER_COLUMNS,
)
from ingestion.snapshots import snapshot_days, snapshot_resource, snapshot_table

# Group member lists read at a time.
MEMBER_WORKERS = 4


@dlt.source(name="okta", max_table_nesting=0)
def okta_source(
    base_url: str = dlt.config.value,
    api_token: str | None = dlt.secrets.value,
    access_token: str | None = dlt.secrets.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    max_attempts: int = 6,
    backoff_factor: float = 0.5,
    max_delay: float = 60.0,
) -> Sequence[DltResource]:
    """Users (DEPROVISIONED included), groups and group members of one Okta org.

    ``base_url`` is the org URL (``sources.okta.base_url``, e.g. https://acme.okta.com);
    ``api_token`` (``sources.okta.api_token``, sent as ``SSWS``) or an OAuth
    ``access_token`` (``sources.okta.access_token``, sent as ``Bearer``) authenticates.
    ``snapshot_on`` is the day the snapshot describes (default today, UTC); ``history``
    adds (day, base URL) readings stamped with their day. Nothing is requested until dlt
    extracts, so building the source with placeholders is free of side effects.
    """
    snapshots = snapshot_days(snapshot_on, base_url, history)
    policy = RetryPolicy(max_attempts, backoff_factor, max_delay)

    local = threading.local()  # clients (sessions) per thread: members are read in parallel

    def client(url: str) -> RESTClient:
        clients = local.__dict__.setdefault("clients", {})
        if url not in clients:
            clients[url] = helpers.okta_client(
                url, helpers.auth_for(api_token, access_token), policy
            )
        return clients[url]

    @cache
    def groups(url: str) -> list[dict[str, Any]]:
        # read once per snapshot: both `groups` and `group_members` need the list
        return helpers.list_groups(client(url))

    def members(url: str) -> Iterator[dict[str, Any]]:
        # One list per group: a few groups at a time, well under Okta's concurrency limit.
        ids = [group["group_id"] for group in groups(url)]

        def read(group_id: str) -> list[str]:
            return list(helpers.list_member_ids(client(url), group_id))

        with ThreadPoolExecutor(max_workers=MEMBER_WORKERS) as pool:
            member_lists = list(pool.map(read, ids))
        for group_id, user_ids in zip(ids, member_lists, strict=True):
            for user_id in user_ids:
                yield {"group_id": group_id, "user_id": user_id}

    return (
        snapshot_resource(snapshots, lambda day, url: {"base_url": url}),
        snapshot_table(
            "users", snapshots, lambda day, url: helpers.list_users(client(url)), USER_COLUMNS
        ),
        snapshot_table("groups", snapshots, lambda day, url: groups(url), GROUP_COLUMNS),
        snapshot_table("group_members", snapshots, lambda day, url: members(url), MEMBER_COLUMNS),
    )
