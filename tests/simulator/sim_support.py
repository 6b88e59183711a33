"""Helpers shared by the simulator tests (a uniquely named module, unlike ``conftest``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from simulator import SimulatorServers

TODAY = dt.date(2026, 11, 26)
REAL = Path(__file__).resolve().parents[3] / "shared" / "api" / "real"


def auth_headers(servers: SimulatorServers, source: str) -> dict[str, str]:
    creds = servers.credentials[source]
    return {
        "github": lambda: {"Authorization": f"Bearer {creds['token']}"},
        "okta": lambda: {"Authorization": f"SSWS {creds['token']}"},
        "pagerduty": lambda: {"Authorization": f"Token token={creds['api_key']}"},
        "datadog": lambda: {
            "DD-API-KEY": creds["api_key"],
            "DD-APPLICATION-KEY": creds["application_key"],
        },
        "prometheus": lambda: {},
        "artifacts": lambda: {"Authorization": f"Bearer {creds['bearer_token']}"},
    }[source]()


def real(relative: str) -> object:
    """A recorded real response from ``shared/api/real`` (skips when the folder is absent)."""
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"recorded response {path} is not available on this machine")
    return json.loads(path.read_text(encoding="utf-8"))
