"""`readiness demo`: a simulated company, loaded over real HTTP and evaluated end to end.

The simulator generates a deterministic company (same seed and size, same company),
writes its Backstage catalog and custom data into ``<home>/demo/`` (one folder per day of
history), and serves its GitHub, Okta, PagerDuty, Datadog, Prometheus, coverage and
Backstage catalog APIs on 127.0.0.1 (with ``catalog_api`` the catalog is read from that
API instead of the files). The sources are pointed at those servers exactly as they would be at the
real services (``SOURCES__<NAME>__...`` configuration), with ``/_as_of/{date}`` base URLs
so that one backfill run loads every day's state. Then one run ingests and evaluates the
whole history.

The standards are the shipped ones (or ``READINESS_SCORECARDS``), copied into
``<home>/demo/scorecards/`` with the initiatives re-dated: their history ends on the day
the demo runs, so every initiative date moves by the same number of days, the one that
puts the earliest start date on the first day of the history. Each initiative keeps its
length and its place relative to the others, and shows its whole history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.runner import RunSummary, run_days
from readiness.settings import Settings


@dataclass
class DemoResult:
    summary: RunSummary
    day: dt.date
    requests: dict[str, int]  # per simulated API, for the whole run


def simulator_config(servers, org: str) -> dict[str, str]:
    """dlt configuration (as environment variables) pointing every source at the simulator."""
    urls = {name: f"{url}/_as_of/{{date}}" for name, url in servers.base_urls.items()}
    creds = servers.credentials
    return {
        "SOURCES__GITHUB__BASE_URL": urls["github"],
        "SOURCES__GITHUB__ORG": org,
        "SOURCES__GITHUB__TOKEN": creds["github"]["token"],
        "SOURCES__GITHUB_TEAMS__BASE_URL": urls["github"],
        "SOURCES__GITHUB_TEAMS__ORG": org,
        "SOURCES__GITHUB_TEAMS__TOKEN": creds["github"]["token"],
        "SOURCES__OKTA__BASE_URL": urls["okta"],
        "SOURCES__OKTA__API_TOKEN": creds["okta"]["token"],
        "SOURCES__PAGERDUTY__BASE_URL": urls["pagerduty"],
        "SOURCES__PAGERDUTY__API_KEY": creds["pagerduty"]["api_key"],
        "SOURCES__DATADOG__BASE_URL": urls["datadog"],
        "SOURCES__DATADOG__API_KEY": creds["datadog"]["api_key"],
        "SOURCES__DATADOG__APP_KEY": creds["datadog"]["application_key"],
        "SOURCES__PROMETHEUS__BASE_URL": urls["prometheus"],
        "SOURCES__COVERAGE__BASE_URL": urls["artifacts"],
        "SOURCES__COVERAGE__TOKEN": creds["artifacts"]["bearer_token"],
    }


_DATE_LINE = re.compile(
    r"^(?P<key>start_date|due_date)(?P<sep>:[ \t]*)(?P<date>\d{4}-\d{2}-\d{2})\b", re.MULTILINE
)


def demo_standards(
    source: Path, target: Path, first: dt.date
) -> dict[str, tuple[dt.date, dt.date]]:
    """Copy the standards folder to ``target``, moving every initiative's dates by the days
    that put the earliest start date on ``first`` (comments and layout are kept).

    Returns each initiative's (start date, due date) in the copy."""
    from readiness.initiatives import INITIATIVES_FOLDER
    from readiness.yamlfile import yaml_files

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    files = (
        yaml_files(target / INITIATIVES_FOLDER) if (target / INITIATIVES_FOLDER).is_dir() else []
    )
    texts = {path: path.read_text() for path in files}
    starts = [
        dt.date.fromisoformat(match["date"])
        for text in texts.values()
        for match in _DATE_LINE.finditer(text)
        if match["key"] == "start_date"
    ]
    if not starts:
        return {}
    shift = first - min(starts)

    def moved(match: re.Match) -> str:
        day = dt.date.fromisoformat(match["date"]) + shift
        return f"{match['key']}{match['sep']}{day.isoformat()}"

    for path, text in texts.items():
        path.write_text(_DATE_LINE.sub(moved, text))
    from readiness.standards import load_standards

    return {
        initiative.id: (initiative.initiative.start_date, initiative.initiative.due_date)
        for initiative in load_standards(target).initiatives
    }


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_demo(
    settings: Settings,
    *,
    services: int = 150,
    seed: int = 7,
    days: int = 90,
    echo: Callable[[str], None] = print,
    quiet: bool = False,
    today: dt.date | None = None,
    catalog_api: bool = False,
) -> DemoResult:
    """``today`` (default: today, UTC) is the last day of the history; ``catalog_api``
    reads the catalog from the simulator's Backstage catalog API instead of files."""
    from simulator import SimulatorServers, generate_company, write_catalog, write_custom_data

    today = today or dt.datetime.now(dt.UTC).date()
    first = today - dt.timedelta(days=days - 1)
    began = time.monotonic()
    company = generate_company(seed=seed, services=services, today=today)
    demo_dir = settings.home / "demo"
    catalog_dir, custom_data_dir = demo_dir / "catalog", demo_dir / "custom_data"
    for folder in (catalog_dir, custom_data_dir):
        shutil.rmtree(folder, ignore_errors=True)
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        if not catalog_api:
            write_catalog(company, catalog_dir / day.isoformat(), as_of=day)
        write_custom_data(company, custom_data_dir / day.isoformat(), as_of=day)
    files = (
        "custom data (the catalog: its Backstage API)" if catalog_api else "catalog and custom data"
    )
    echo(
        f"simulated company {company.org!r} (seed {seed}): {len(company.services)} services, "
        f"{len(company.teams)} teams, {len(company.domains)} domains; {files} "
        f"for {days} days in {demo_dir} ({time.monotonic() - began:.1f}s)"
    )
    initiatives = demo_standards(settings.scorecards_dir, demo_dir / "scorecards", first)
    if initiatives:
        echo(
            "initiatives re-dated to the demo's history: "
            + ", ".join(
                f"{initiative} {start} to {due}"
                for initiative, (start, due) in sorted(initiatives.items())
            )
        )
    demo_settings = settings.with_(
        catalog_paths=() if catalog_api else (catalog_dir / "{date}",),
        custom_data_dir=custom_data_dir / "{date}",
        scorecards_dir=demo_dir / "scorecards",
    )
    with SimulatorServers(company) as servers:
        echo(
            "simulator serving "
            + ", ".join(f"{name} {url}" for name, url in sorted(servers.base_urls.items()))
        )
        config = simulator_config(servers, company.org)
        if catalog_api:
            config["SOURCES__BACKSTAGE__BASE_URL"] = (
                f"{servers.base_urls['backstage']}/_as_of/{{date}}"
            )
            config["SOURCES__BACKSTAGE__TOKEN"] = servers.credentials["backstage"]["token"]
        with environment(config):
            summary = run_days(demo_settings, first, today, trigger="demo", quiet=quiet)
        requests: dict[str, int] = {}
        for (source, _endpoint), count in servers.stats().items():
            requests[source] = requests.get(source, 0) + count
    return DemoResult(summary, today, requests)
