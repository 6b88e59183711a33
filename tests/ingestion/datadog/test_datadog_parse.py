"""The Datadog helpers against recorded real responses (tests/fixtures/real/datadog)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from requests import Response

from ingestion.datadog import settings
from ingestion.datadog.helpers import (
    base_url_for,
    daily_events,
    history_window,
    monitor_row,
    slo_row,
    split_tag,
    tag_rows,
)
from ingestion.http import reset_delay
from tests.ingestion.datadog.source_support import REAL


def exchanges(name: str) -> list[dict]:
    return json.loads((REAL / "datadog" / name).read_text(encoding="utf-8"))


def test_monitor_list_pages_are_bare_arrays_of_monitors():
    pages = exchanges("test_get_all_monitors_returns_ok_response_with_pagination.json")
    assert [p["url"].split("?")[1] for p in pages] == ["page_size=2&page=0", "page_size=2&page=1"]
    first = pages[0]["response_body"]
    assert isinstance(first, list) and len(first) == 2
    # the second page is short: that is where paging stops
    assert len(pages[1]["response_body"]) < 2

    row = monitor_row(first[0])
    assert row == {
        "monitor_id": 34822915,
        "name": "SLO Monitor: aws_alb_latency_p95 for splunk",
        "monitor_type": "query alert",
        "overall_state": "No Data",
        "overall_state_modified": dt.datetime(2021, 5, 3, 13, 6, 23),
        "created_at": dt.datetime(2021, 5, 3, 13, 3, 44, 905085),
        "priority": None,
        "tags": [
            "environment:test",
            "generator:slops",
            "release:e6a2686",
            "sli:latency",
            "slotype:alb",
            "systemid:splunk",
            "team:developer_insights",
        ],
    }
    tags = tag_rows(row["tags"])
    assert {
        "tag": "team:developer_insights",
        "tag_key": "team",
        "tag_value": "developer_insights",
    } in tags
    assert len(tags) == 7


def test_single_monitor_with_null_state_change():
    monitor = exchanges("test_get_a_monitors_details_returns_ok_response.json")[1]["response_body"]
    row = monitor_row(monitor)
    assert row["monitor_id"] == 155844758
    assert row["monitor_type"] == "log alert"
    assert row["overall_state_modified"] is None
    assert row["priority"] == 3
    assert row["created_at"] == dt.datetime(2024, 10, 10, 16, 39, 0, 138359)


def test_slo_list_rows_targets_and_bare_tags():
    pages = exchanges("test_get_all_slos_returns_ok_response_with_pagination.json")
    body = pages[0]["response_body"]
    # the recorded metadata does not match the rows: never page by counting
    assert body["metadata"]["page"]["total_filtered_count"] == 2
    assert len(pages[1]["response_body"]["data"]) == 1

    first, second = (slo_row(s) for s in body["data"])
    assert first == {
        "slo_id": "70e82706f4ae56ff8bdd7f02e767f97c",
        "name": "test SLO 1668426861",
        "slo_type": "metric",
        "target_pct": 90.0,
        "warning_pct": None,
        "timeframe": "7d",
        "timeframe_days": 7,
        "created_at": dt.datetime(2022, 11, 14, 11, 54, 22),
        "modified_at": dt.datetime(2022, 11, 14, 11, 54, 22),
        "tags": ["type:test"],
    }
    # several thresholds: the SLO's own timeframe (7d) gives target and warning
    assert (second["target_pct"], second["warning_pct"], second["timeframe_days"]) == (
        99.5,
        99.8,
        7,
    )
    assert tag_rows(second["tags"]) == [
        {"tag": "foo:bar", "tag_key": "foo", "tag_value": "bar"},
        {"tag": "baz", "tag_key": "baz", "tag_value": None},
    ]
    monitor_slo = slo_row(pages[1]["response_body"]["data"][0])
    assert monitor_slo["slo_type"] == "monitor" and monitor_slo["tags"] == []


def test_slo_target_from_thresholds_when_target_threshold_is_missing():
    slo = {
        "id": "x",
        "type": "metric",
        "timeframe": "30d",
        "thresholds": [
            {"timeframe": "7d", "target": 99.5},
            {"timeframe": "30d", "target": 98.0, "warning": 99.0},
        ],
    }
    row = slo_row(slo)
    assert (row["target_pct"], row["warning_pct"], row["timeframe_days"]) == (98.0, 99.0, 30)


def test_history_without_data_gives_zero_days_not_an_error():
    history = exchanges("test_get_an_slos_history_returns_ok_response.json")[1]["response_body"]
    assert history["data"]["overall"]["sli_value"] is None
    rows = daily_events("627a3ccd24af50beb8eacbd36c5962f9", history)
    # 13 buckets (interval 7200 s) from 2024-01-02T22:50Z to 2024-01-03T22:00Z
    assert [r["day"] for r in rows] == [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert all(r["good_events"] == 0.0 and r["total_events"] == 0.0 for r in rows)
    # the first bucket starts before from_ts' day: dropped when the window starts on 01-03
    assert [r["day"] for r in daily_events("x", history, dt.date(2024, 1, 3))] == [
        dt.date(2024, 1, 3)
    ]


def test_history_series_summed_per_utc_day():
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp() * 1000
    body = {
        "data": {
            "overall": {"sli_value": 99.5},
            "series": {
                "times": [day, day + 43_200_000, day + 86_400_000, day + 90_000_000],
                "numerator": {"values": [99.0, 100.0, 50.0, None]},
                "denominator": {"values": [100.0, 100.0, 50.0, None]},
                "interval": 43_200,
            },
        }
    }
    assert daily_events("s1", body) == [
        {"slo_id": "s1", "day": dt.date(2026, 1, 1), "good_events": 199.0, "total_events": 200.0},
        {"slo_id": "s1", "day": dt.date(2026, 1, 2), "good_events": 50.0, "total_events": 50.0},
    ]
    # a monitor-based SLO has no series: no rows, no error
    assert daily_events("m1", {"data": {"overall": {"sli_value": 100.0}, "monitors": []}}) == []


def test_history_window_covers_history_days_plus_timeframe():
    day = dt.date(2026, 11, 26)
    start, end = history_window(day, 30, 90, now=2_000_000_000)
    assert dt.datetime.fromtimestamp(start, dt.UTC) == dt.datetime(2026, 7, 30, tzinfo=dt.UTC)
    assert end - start + 1 == (90 + 30) * 86_400
    # today: the window stops now, not at midnight
    now = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC).timestamp()
    assert history_window(day, 7, 90, now=now)[1] == int(now)


def test_recorded_429s_give_the_wait_datadog_asks_for():
    for exchange in exchanges("test_retry_rate_limit.json")[:3]:
        response = Response()
        response.status_code = exchange["status"]
        response.headers.update(exchange["response_headers"])
        assert reset_delay(response) == float(exchange["response_headers"]["x-ratelimit-reset"])


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("service:checkout", ("service", "checkout")),
        ("baz", ("baz", None)),
        ("a:b:c", ("a", "b:c")),
    ],
)
def test_split_tag(tag, expected):
    assert split_tag(tag) == expected


def test_site_aware_base_url():
    assert base_url_for(settings.DEFAULT_BASE_URL, None) == "https://api.datadoghq.com"
    assert base_url_for(settings.DEFAULT_BASE_URL, "datadoghq.eu") == "https://api.datadoghq.eu"
    assert base_url_for(settings.DEFAULT_BASE_URL, "app.us5.datadoghq.com") == (
        "https://api.us5.datadoghq.com"
    )
    # an explicit base URL wins over the site
    assert base_url_for("http://127.0.0.1:9", "datadoghq.eu") == "http://127.0.0.1:9"
