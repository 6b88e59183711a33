"""The Prometheus helpers against the recorded ``query_range`` envelope and error shapes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ingestion.prometheus.helpers import (
    PrometheusError,
    daily_samples,
    envelope_data,
    range_window,
    series_key,
)
from tests.ingestion.datadog.source_support import REAL


def recorded() -> dict:
    return json.loads(
        (REAL / "prometheus" / "grafana-range_missing.result.json").read_text(encoding="utf-8")
    )


def test_recorded_matrix_envelope_is_read():
    data = envelope_data(recorded(), "query 'q'")
    assert data["resultType"] == "matrix"
    # the recorded series has no `service` label: it cannot be joined, so it is skipped
    assert list(daily_samples("up", data)) == []
    # read with `job` as the service label: three samples on one day, the latest wins
    rows = list(daily_samples("goroutines", data, service_label="job"))
    assert rows == [
        {
            "query_name": "goroutines",
            "series": 'job="prometheus"',
            "service": "prometheus",
            "day": dt.date(2022, 1, 11),
            "value": 43.0,
            "sampled_at": dt.datetime(2022, 1, 11, 8, 25, 37),
        }
    ]


def test_error_envelope_names_the_query():
    body = {"status": "error", "errorType": "bad_data", "error": 'invalid parameter "query"'}
    with pytest.raises(PrometheusError, match=r"query 'objective' \(x\) failed: bad_data"):
        envelope_data(body, "source prometheus: query 'objective' (x)")
    with pytest.raises(PrometheusError, match="not a Prometheus API envelope"):
        envelope_data([1, 2], "source prometheus: query 'objective' (x)")


def test_non_finite_samples_are_no_data_and_days_are_utc():
    data = {
        "resultType": "matrix",
        "result": [
            {
                "metric": {"__name__": "slo:objective:ratio", "service": "a", "team": "t"},
                "values": [
                    [1_767_225_599, "0.999"],  # 2025-12-31T23:59:59Z
                    [1_767_311_999, "NaN"],
                    [1_767_398_399, "+Inf"],
                    [1_767_484_799, "0.998"],
                ],
            }
        ],
    }
    rows = list(daily_samples("objective", data))
    assert [(r["day"], r["value"]) for r in rows] == [
        (dt.date(2025, 12, 31), 0.999),
        (dt.date(2026, 1, 3), 0.998),
    ]
    assert rows[0]["series"] == 'service="a",team="t"'


def test_vector_and_scalar_results():
    vector = {
        "resultType": "vector",
        "result": [{"metric": {"service": "b"}, "value": [1_767_225_599.5, "1"]}],
    }
    assert [r["value"] for r in daily_samples("v", vector)] == [1.0]
    scalar = {"resultType": "scalar", "result": [1_767_225_599, "1"]}
    assert list(daily_samples("s", scalar)) == []  # no labels, so no service


def test_range_window_points_end_each_day():
    day = dt.date(2026, 11, 26)
    start, end = range_window(day, 90, now=2_000_000_000)
    assert dt.datetime.fromtimestamp(end, dt.UTC) == dt.datetime(
        2026, 11, 26, 23, 59, 59, tzinfo=dt.UTC
    )
    assert (end - start) // 86_400 + 1 == 90
    now = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC).timestamp()
    assert range_window(day, 90, now=now)[1] == int(now)


def test_series_key_ignores_the_metric_name():
    assert series_key({"__name__": "m", "team": "x", "service": "a"}) == 'service="a",team="x"'
