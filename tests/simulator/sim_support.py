"""Helpers shared by the simulator tests (a uniquely named module, unlike ``conftest``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from simulator import SimulatorServers

TODAY = dt.date(2026, 11, 26)
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


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
        "backstage": lambda: {"Authorization": f"Bearer {creds['token']}"},
    }[source]()


def real(relative: str) -> object:
    """A recorded real response from ``tests/fixtures/real`` (provenance in its README)."""
    return json.loads((REAL / relative).read_text(encoding="utf-8"))
