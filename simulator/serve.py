"""Run the simulated company's servers in the foreground (``readiness simulator``)."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from simulator.catalog import write_catalog, write_coverage, write_custom_data
from simulator.company import generate_company
from simulator.servers import SOURCES, SimulatorServers


def describe(servers: SimulatorServers) -> str:
    """A readable block of base URLs and credentials, for people and for copy-paste."""
    urls = servers.base_urls
    creds = servers.credentials
    company = servers.company
    lines = [
        f"Simulated company {company.org!r}: {company.size} services, seed {company.seed}, today {company.today}",
        "",
        "Base URLs (append /_as_of/YYYY-MM-DD to see a past day):",
    ]
    lines += [f"  {source:<11} {urls[source]}" for source in SOURCES]
    lines += [
        "",
        "Credentials:",
        f"  github      Authorization: Bearer {creds['github']['token']}",
        f"  okta        Authorization: SSWS {creds['okta']['token']}",
        f"  pagerduty   Authorization: Token token={creds['pagerduty']['api_key']}",
        f"  datadog     DD-API-KEY: {creds['datadog']['api_key']}",
        f"              DD-APPLICATION-KEY: {creds['datadog']['application_key']}",
        "  prometheus  "
        + (
            f"Authorization: Bearer {creds['prometheus']['bearer_token']}"
            if creds["prometheus"].get("bearer_token")
            else "(no auth)"
        ),
        f"  artifacts   Authorization: Bearer {creds['artifacts']['bearer_token']}",
        f"  backstage   Authorization: Bearer {creds['backstage']['token']}",
        "",
        "Admin on every port: GET /_sim/stats, GET|POST|DELETE /_sim/faults, POST /_sim/reset",
    ]
    return "\n".join(lines)


def serve_forever(
    seed: int = 7,
    services: int = 150,
    host: str = "127.0.0.1",
    today: dt.date | None = None,
    ports: dict[str, int] | None = None,
    out_dir: Path | None = None,
    stream: TextIO | None = None,
) -> None:
    """Generate the company, start every API server and block until Ctrl-C or SIGTERM.

    ``ports`` maps source names (github, okta, pagerduty, datadog, prometheus, artifacts,
    backstage)
    to fixed ports; missing ones get ephemeral ports. With ``out_dir`` the catalog
    (``out_dir/catalog``), custom data (``out_dir/custom-data``) and coverage reports
    (``out_dir/coverage``) are written first, as of ``today``. The base URLs and
    credentials are printed to ``stream`` (stdout by default); the servers stop cleanly
    and the function returns when the process is interrupted or terminated.
    """
    stream = stream or sys.stdout
    started = time.perf_counter()
    company = generate_company(seed=seed, services=services, today=today)
    if out_dir is not None:
        out_dir = Path(out_dir)
        write_catalog(company, out_dir / "catalog")
        write_custom_data(company, out_dir / "custom-data")
        write_coverage(company, out_dir / "coverage")
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with SimulatorServers(company, host=host, ports=ports) as servers:
            print(describe(servers), file=stream)
            if out_dir is not None:
                print(
                    f"\nFiles: {out_dir}/catalog, {out_dir}/custom-data, {out_dir}/coverage",
                    file=stream,
                )
            print(
                f"\nReady in {time.perf_counter() - started:.1f}s. Press Ctrl-C to stop.",
                file=stream,
                flush=True,
            )
            while not stop.wait(0.5):
                pass
            print("Stopping the simulator.", file=stream, flush=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
