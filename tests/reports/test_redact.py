"""Secrets never reach a report: the last scrub every exported text goes through."""

from __future__ import annotations

import pytest

from readiness.reports.redact import REDACTED, redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("source github: HTTP 401 on https://x:hunter2@ghe.example.com/api", "hunter2"),
        ("GET https://api.example.com/v1/slo?api_key=abc123&x=1 failed", "abc123"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9"),
        ("okta: SSWS 00aBcDeFgHiJkLmNoPqRsTuV rejected", "00aBcDeFgHiJkLmNoPqRsTuV"),
        ("token=ghp_0123456789abcdefghijABCDEFGHIJ", "ghp_0123456789"),
        ("saw ghp_0123456789abcdefghijABCDEFGHIJ in a log", "ghp_0123456789"),
        ("password: 's3cr3t!'", "s3cr3t"),
        ("DD_APP_KEY=0f1e2d3c4b5a", "0f1e2d3c4b5a"),
        ("aws AKIAABCDEFGHIJKLMNOP", "AKIAABCDEFGHIJKLMNOP"),
        ("slack xoxb-1234567890-abcdefghij", "xoxb-1234567890"),
    ],
)
def test_credentials_are_redacted(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned
    assert REDACTED in cleaned or "@" not in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "branch_protected: source github never loaded",
        "exempt until 2027-01-01 (approved by cto@example.com): The ledger is a leaf service.",
        "has_runbook_link=false, open_critical_high_vulnerability_count=0",
        "Add a link with `type: runbook` to metadata.links (https://backstage.io/docs)",
        "Basic monitoring must exist: see the token bucket notes.",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == text
