"""dlt source: PagerDuty services, escalation policies, schedules, on-calls and incidents.

Tables (dataset ``raw_pagerduty``): state as daily snapshots — ``snapshots``, ``services``,
``escalation_policies``, ``escalation_targets``, ``schedules``, ``oncalls`` — and the event
table ``incidents``, read incrementally by creation time and merged on the incident id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

import dlt
from dlt.extract.resource import DltResource
from dlt.sources.helpers.rest_client import RESTClient

from ingestion.http import RetryPolicy
from ingestion.pagerduty import helpers
from ingestion.pagerduty.settings import (
    INCIDENT_COLUMNS,
    ONCALL_COLUMNS,
    POLICY_COLUMNS,
    SCHEDULE_COLUMNS,
    SERVICE_COLUMNS,
    TARGET_COLUMNS,
)
from ingestion.snapshots import hints, snapshot_days, snapshot_resource, snapshot_table


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@dlt.source(name="pagerduty", max_table_nesting=0)
def pagerduty_source(
    base_url: str = dlt.config.value,
    api_key: str = dlt.secrets.value,
    snapshot_on: dt.date | None = None,
    history: Sequence[tuple[dt.date, str]] = (),
    incidents_since_days: int = 90,
    incidents_refresh_days: int = 3,
    max_attempts: int = 6,
    backoff_factor: float = 0.5,
    max_delay: float = 60.0,
) -> Sequence[DltResource]:
    """On-call state of one PagerDuty account, and its incidents.

    ``base_url`` is ``sources.pagerduty.base_url`` (https://api.pagerduty.com, or
    https://api.eu.pagerduty.com); ``api_key`` is ``sources.pagerduty.api_key`` (a
    read-only REST API key). ``snapshot_on`` is the day the snapshot describes (default
    today, UTC); ``history`` adds (day, base URL) readings of the state tables stamped with
    their day. Incidents are read once, from ``base_url``: the first load reads the
    ``incidents_since_days`` days ending on ``snapshot_on``; later loads start
    ``incidents_refresh_days`` before the newest incident already loaded, so incidents
    acknowledged or resolved since are read again and merged. Nothing is requested until
    dlt extracts, so building the source with placeholders is free of side effects.
    """
    snapshots = snapshot_days(snapshot_on, base_url, history)
    day = snapshots[0][0]
    policy = RetryPolicy(max_attempts, backoff_factor, max_delay)
    until = day_start(day + dt.timedelta(days=1))
    first_since = until - dt.timedelta(days=incidents_since_days)

    @cache
    def client(url: str) -> RESTClient:
        return helpers.pagerduty_client(url, api_key, policy)

    @cache
    def policies(url: str) -> list[dict[str, Any]]:
        # read once per reading: policies, their targets and the on-call split need them
        return helpers.list_policies(client(url))

    def oncalls(url: str) -> Iterator[dict[str, Any]]:
        def policy_ids() -> list[str]:  # only needed if the on-calls must be split
            return [p["id"] for p in policies(url)]

        return helpers.list_oncalls(client(url), policy_ids)

    def incidents(
        created_at=dlt.sources.incremental(  # noqa: B008 - dlt binds the cursor per run
            "created_at",
            initial_value=first_since,
            lag=incidents_refresh_days * 86_400,
        ),
    ) -> Iterator[dict[str, Any]]:
        # the newest incident loaded so far, minus the refresh lag (dlt applies it)
        since = created_at.start_value or first_since
        yield from helpers.list_incidents(client(base_url), since, until)

    return (
        snapshot_resource(snapshots, lambda day, url: {"base_url": url}),
        snapshot_table(
            "services",
            snapshots,
            lambda day, url: helpers.list_services(client(url)),
            SERVICE_COLUMNS,
        ),
        snapshot_table(
            "escalation_policies",
            snapshots,
            lambda day, url: map(helpers.policy_row, policies(url)),
            POLICY_COLUMNS,
        ),
        snapshot_table(
            "escalation_targets",
            snapshots,
            lambda day, url: (t for p in policies(url) for t in helpers.target_rows(p)),
            TARGET_COLUMNS,
        ),
        snapshot_table(
            "schedules",
            snapshots,
            lambda day, url: helpers.list_schedules(client(url)),
            SCHEDULE_COLUMNS,
        ),
        snapshot_table("oncalls", snapshots, lambda day, url: oncalls(url), ONCALL_COLUMNS),
        dlt.resource(
            incidents,
            name="incidents",
            write_disposition="merge",
            primary_key="incident_id",
            columns=hints(INCIDENT_COLUMNS),
        ),
    )
