"""`readiness demo`: a simulated company, run end to end.

The simulator generates a deterministic company (same seed and size, same company) and
writes its Backstage catalog and custom data into ``<home>/demo/``; the demo then runs
the daily job on them exactly as `readiness run` would on real files.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable

from orchestration.runner import RunSummary, run_days
from readiness.settings import Settings


def run_demo(
    settings: Settings,
    *,
    services: int = 150,
    seed: int = 7,
    echo: Callable[[str], None] = print,
) -> tuple[RunSummary, dt.date]:
    from simulator.catalog import write_catalog, write_custom_data
    from simulator.company import generate_company

    today = dt.datetime.now(dt.UTC).date()
    began = time.monotonic()
    company = generate_company(seed=seed, services=services, today=today)
    demo_dir = settings.home / "demo"
    catalog_dir, custom_data_dir = demo_dir / "catalog", demo_dir / "custom_data"
    for folder in (catalog_dir, custom_data_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    catalog_files = write_catalog(company, catalog_dir, as_of=today)
    write_custom_data(company, custom_data_dir, as_of=today)
    echo(
        f"simulated company (seed {seed}): {len(company.services)} services, "
        f"{len(company.teams)} teams, {len(company.domains)} domains; "
        f"{len(catalog_files)} catalog files in {catalog_dir} ({time.monotonic() - began:.1f}s)"
    )
    demo_settings = settings.with_(catalog_dir=catalog_dir, custom_data_dir=custom_data_dir)
    return run_days(demo_settings, today, trigger="demo"), today
