"""The simulated company in its own process, for the benchmarks.

    python -m benchmarks.simulator_process --services 2000 --days 91 --out DIR

Generates the company (seed, size, today), writes its catalog and custom data for every
day of the window into ``DIR/catalog/<day>`` and ``DIR/custom_data/<day>``, starts the
simulated APIs and writes ``DIR/simulator.json`` (base URLs, credentials, org, timings)
once they serve. Runs until stdin closes or SIGTERM.

The APIs stand in for remote services: in their own process they neither share the
pipeline's interpreter lock nor count in its memory, as real GitHub or PagerDuty would
not. The benchmark reads their request counters over HTTP (``GET /_sim/stats``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, required=True, help="days of files, ending today")
    parser.add_argument("--today", type=dt.date.fromisoformat)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    from simulator import SimulatorServers, generate_company, write_catalog, write_custom_data

    today = args.today or dt.datetime.now(dt.UTC).date()
    began = time.monotonic()
    company = generate_company(seed=args.seed, services=args.services, today=today)
    generated = time.monotonic() - began
    first = today - dt.timedelta(days=args.days - 1)
    for offset in range(args.days):
        day = first + dt.timedelta(days=offset)
        write_catalog(company, args.out / "catalog" / day.isoformat(), as_of=day)
        write_custom_data(company, args.out / "custom_data" / day.isoformat(), as_of=day)
    written = time.monotonic() - began - generated

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    with SimulatorServers(company) as servers:
        info = {
            "pid": os.getpid(),
            "org": company.org,
            "today": today.isoformat(),
            "services": len(company.services),
            "teams": len(company.teams),
            "base_urls": servers.base_urls,
            "credentials": servers.credentials,
            "generate_seconds": round(generated, 2),
            "files_seconds": round(written, 2),
        }
        ready = args.out / "simulator.json"
        ready.with_suffix(".tmp").write_text(json.dumps(info))
        ready.with_suffix(".tmp").replace(ready)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
