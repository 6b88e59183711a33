"""The PagerDuty helpers on the vendor's response examples (tests/fixtures/real/pagerduty),
and the offset-ceiling logic on its own."""

from __future__ import annotations

import datetime as dt

from ingestion.http import SecretHeaderAuth
from ingestion.pagerduty import helpers
from tests.ingestion.pagerduty.pagerduty_support import real, response_of

UTC = dt.UTC


def test_services_example() -> None:
    body = real("list_services.example.json")
    (row,) = [helpers.service_row(s) for s in body["services"]]
    assert row == {
        "service_id": "PIJ90N7",
        "name": "My Application Service",
        "status": "active",
        "escalation_policy_id": "PT20YPA",
        "team_id": "PQ9K7I8",
        "created_at": dt.datetime(2015, 11, 6, 16, 12, 51, tzinfo=UTC),  # -05:00 in the body
    }


def test_escalation_policies_example_rules_and_targets() -> None:
    (policy,) = real("list_escalation_policies.example.json")["escalation_policies"]
    assert helpers.policy_row(policy) == {
        "escalation_policy_id": "PANZZEQ",
        "name": "Engineering Escalation Policy",
        "num_loops": 0,
        "escalation_rule_count": 1,
    }
    assert list(helpers.target_rows(policy)) == [
        {
            "escalation_policy_id": "PANZZEQ",
            "escalation_rule_id": "PANZZEQ",
            "escalation_level": 1,
            "escalation_delay_in_minutes": 30,
            "target_type": "user_reference",
            "target_id": "PEYSGVF",
        },
        {
            "escalation_policy_id": "PANZZEQ",
            "escalation_rule_id": "PANZZEQ",
            "escalation_level": 1,
            "escalation_delay_in_minutes": 30,
            "target_type": "schedule_reference",
            "target_id": "PI7DH85",
        },
    ]


def test_schedules_example() -> None:
    (schedule,) = real("list_schedules.example.json")["schedules"]
    assert helpers.schedule_row(schedule) == {
        "schedule_id": "PI7DH85",
        "name": "Daily Engineering Rotation",
        "time_zone": "America/New_York",
    }


def test_oncalls_example_times_become_utc() -> None:
    (oncall,) = real("list_oncalls.example.json")["oncalls"]
    assert helpers.oncall_row(oncall) == {
        "escalation_policy_id": "PT20YPA",
        "escalation_level": 2,
        "schedule_id": "PI7DH85",
        "user_id": "PT23IWX",
        "starts_at": dt.datetime(2015, 3, 6, 20, 28, 51, tzinfo=UTC),
        "ends_at": dt.datetime(2015, 3, 7, 20, 28, 51, tzinfo=UTC),
    }
    permanent = {**oncall, "schedule": None, "start": None, "end": None}
    row = helpers.oncall_row(permanent)
    assert row["schedule_id"] is None and row["starts_at"] is None


def test_incidents_example_and_its_next_offset() -> None:
    body = real("list_incidents.example.json")
    (row,) = [helpers.incident_row(i) for i in body["incidents"]]
    assert row == {
        "incident_id": "PT4KHLK",
        "incident_number": 1234,
        "service_id": "PIJ90N7",
        "escalation_policy_id": "PT20YPA",
        "status": "resolved",
        "urgency": "high",
        "created_at": dt.datetime(2015, 10, 6, 21, 30, 42, tzinfo=UTC),
        "resolved_at": dt.datetime(2015, 10, 6, 21, 38, 23, tzinfo=UTC),
        "last_status_change_at": dt.datetime(2015, 10, 6, 21, 38, 23, tzinfo=UTC),
    }
    # `more: true` with the echoed `limit: 1`: the next page starts at offset 1
    paginator = helpers.OffsetCeilingPaginator()
    paginator.update_state(response_of(body))
    assert paginator.has_next_page and paginator.offset == 1


def test_last_page_stops() -> None:
    paginator = helpers.OffsetCeilingPaginator()
    paginator.update_state(response_of(real("list_services.example.json")))
    assert not paginator.has_next_page


def test_the_paginator_stops_at_the_offset_ceiling_and_says_so() -> None:
    paginator = helpers.OffsetCeilingPaginator()
    body = {"schedules": [], "limit": 100, "offset": 9_800, "more": True}
    paginator.update_state(response_of(body))  # 9,900 + 100 is still allowed
    assert paginator.offset == 9_900 and paginator.has_next_page
    paginator.update_state(response_of({**body, "offset": 9_900}))
    assert not paginator.has_next_page and paginator.stopped_at_ceiling


def test_error_bodies_give_pagerduty_message() -> None:
    body = {"error": {"message": "Arguments Caused Error", "code": 2002, "errors": ["x"]}}
    assert helpers._vendor_message(response_of(body, 400)) == ": Arguments Caused Error (x)"


def test_time_split_covers_the_window_in_equal_parts() -> None:
    params = {"since": "2026-01-01T00:00:00Z", "until": "2026-01-11T00:00:00Z", "x": 1}
    parts = helpers.split_by_time(params, 12_000)
    assert len(parts) == 3  # 12,000 items / 5,000 per part
    assert parts[0]["since"] == params["since"] and parts[-1]["until"] == params["until"]
    assert all(a["until"] == b["since"] for a, b in zip(parts, parts[1:], strict=False))
    assert all(p["x"] == 1 for p in parts)
    one_second = {"since": "2026-01-01T00:00:00Z", "until": "2026-01-01T00:00:01Z"}
    assert helpers.split_by_time(one_second, 20_000) is None


def test_id_split_chunks_the_filter() -> None:
    split = helpers.split_by_ids("team_ids[]", lambda: [f"T{i}" for i in range(7)])
    parts = split({}, 16_000)
    assert [len(p["team_ids[]"]) for p in parts] == [2, 2, 2, 1]
    assert split({"team_ids[]": ["T1"]}, 16_000) is None


def test_incident_windows_respect_the_six_month_range() -> None:
    since = dt.datetime(2026, 1, 1, tzinfo=UTC)
    windows = list(helpers.incident_windows(since, since + dt.timedelta(days=400)))
    assert len(windows) == 3
    assert all(end - start <= dt.timedelta(days=179) for start, end in windows)
    assert windows[-1][1] == since + dt.timedelta(days=400)


def test_the_api_key_never_shows_in_repr() -> None:
    assert "secret" not in repr(SecretHeaderAuth("Authorization", "Token token=secret"))
