"""Readiness at scale: the whole pipeline on simulated companies, and the peers.

    python -m benchmarks.run                         # sizes 200, 2000, 20000; 3 runs each
    python -m benchmarks.run --sizes 200,2000 --runs 3 --peer-entities 10000,100000
    make bench

For each size (services) and run, in a fresh home:

1. a simulated company (seed 7) in its own process (``benchmarks.simulator_process``):
   its catalog and custom data for every day, and its GitHub, Okta, PagerDuty, Datadog,
   Prometheus and artifact APIs on 127.0.0.1;
2. the backfill: one run over the 90 days before today (``readiness run`` as the CLI
   does it: the ``ingest`` job, every source over HTTP, then the ``evaluate`` job, two dbt
   invocations, tests, publish), with 40 rules (scorecards/ plus
   benchmarks/scorecards/, copied into the home);
3. the daily incremental run of today that follows it.

Measured: wall time of every step (from Dagster's event log), peak RSS of the pipeline's
process tree (this process and its children -- dbt --, sampled from /proc every 0.2 s;
the simulator's own process is reported apart), rows per warehouse table, the size of
the warehouse files, and the simulator's request counters per source, against the naive
count (one REST call per repository, or service, per fact and per day).

Then the scoring engine against json-rules-engine (``benchmarks/peer.py``) at 10,000 and
100,000 entities, and the dashboard pages in Chromium (``benchmarks/dashboard_render.py``)
on the published warehouse of a size (2,000 services by default).

Timings are medians of ``--runs`` runs. A size whose first run exceeds ``--budget``
seconds gets no further runs, which the table says (n=1). One table is printed, and
written with the machine's description to ``docs/benchmarks.md`` (``--out``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from readiness.settings import REPO_ROOT, Settings

BENCH_SCORECARDS = Path(__file__).resolve().parent / "scorecards"
SEED = 7
# The simulator's APIs and the facts read through them (readiness.facts' sources).
API_OF_SOURCE = {
    "github": "github",
    "github_teams": "github",
    "okta": "okta",
    "pagerduty": "pagerduty",
    "datadog": "datadog",
    "prometheus": "prometheus",
    "coverage": "artifacts",
}
FACT_SOURCE_API = {
    "github": "github",
    "identity": "okta",
    "pagerduty": "pagerduty",
    "datadog": "datadog",
    "prometheus": "prometheus",
    "coverage": "artifacts",
}
TARGETS = {
    "e2e_2000_s": 60.0,
    "e2e_20000_s": 360.0,
    "rss_bytes": 2 * 1024**3,
    "daily_20000_s": 60.0,
    "peer_ratio": 10.0,
    "page_2000_s": 2.0,
}


# -- the machine -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    import dbt.version
    import dlt
    import duckdb

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory / 1024**3, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dlt": dlt.__version__,
        "dbt": dbt.version.__version__,
    }


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# -- memory of a process tree -------------------------------------------------------------------

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss(pid: int) -> int:
    with contextlib.suppress(OSError, IndexError, ValueError):
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    return 0


def _subtree(root: int, tree: dict[int, list[int]]) -> list[int]:
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(tree.get(pid, []))
    return out


class TreeMemory:
    """Peak of the summed RSS of this process and its descendants, sampled from /proc;
    the subtrees of ``apart`` (the simulator) are summed separately."""

    def __init__(self, apart: list[int], interval: float = 0.2) -> None:
        self.apart = apart
        self.interval = interval
        self.peak = 0
        self.peak_apart = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="rss-sampler")

    def sample(self) -> None:
        tree = _children()
        apart = {pid for root in self.apart for pid in _subtree(root, tree)}
        ours = [pid for pid in _subtree(os.getpid(), tree) if pid not in apart]
        self.peak = max(self.peak, sum(_rss(pid) for pid in ours))
        self.peak_apart = max(self.peak_apart, sum(_rss(pid) for pid in apart))

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreeMemory:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# -- the simulator in its own process -------------------------------------------------------------


@contextlib.contextmanager
def simulator(services: int, days: int, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    ready = out / "simulator.json"
    ready.unlink(missing_ok=True)
    log = (out / "simulator.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.simulator_process", "--services", str(services)]
        + ["--seed", str(SEED), "--days", str(days), "--out", str(out)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while not ready.exists():
            if process.poll() is not None:
                raise RuntimeError(f"the simulator exited; see {log.name}")
            time.sleep(0.2)
        info = json.loads(ready.read_text())
        info["process"] = process
        yield info
    finally:
        with contextlib.suppress(OSError):
            process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        log.close()


def simulator_requests(info: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Requests so far per simulated API and endpoint (``GET /_sim/stats``)."""
    out = {}
    for source, url in info["base_urls"].items():
        with urllib.request.urlopen(f"{url}/_sim/stats", timeout=30) as response:
            out[source] = json.loads(response.read())["requests"]
    return out


def _minus(after: dict[str, dict[str, int]], before: dict[str, dict[str, int]]):
    return {
        source: {
            endpoint: count - before.get(source, {}).get(endpoint, 0)
            for endpoint, count in endpoints.items()
            if count - before.get(source, {}).get(endpoint, 0)
        }
        for source, endpoints in after.items()
    }


# -- what a run measured ---------------------------------------------------------------------------


def step_seconds(settings: Settings, run_ids: list[str]) -> dict[str, float]:
    """Wall time of every step of the runs, from Dagster's event log, in run order; the
    freshness checks (one small step per source) summed as one."""
    from orchestration.runner import dagster_instance

    instance = dagster_instance(settings)
    out: dict[str, float] = {}
    for run_id in run_ids:
        started: dict[str, float] = {}
        for record in instance.all_logs(run_id):
            event = record.dagster_event
            if event is None or not record.step_key:
                continue
            kind = event.event_type_value
            if kind == "STEP_START":
                started[record.step_key] = record.timestamp
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and record.step_key in started:
                seconds = record.timestamp - started[record.step_key]
                key = "freshness checks" if record.step_key.endswith("_is_fresh") else None
                key = key or record.step_key
                out[key] = out.get(key, 0.0) + seconds
    return out


def table_rows(settings: Settings) -> dict[str, int]:
    import duckdb

    connection = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() order by 1, 2"
        ).fetchall()
        return {
            f"{schema}.{table}": connection.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
            for schema, table in tables
        }
    finally:
        connection.close()


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class PipelineRun:
    services: int
    run: int
    success: bool
    backfill_seconds: float
    backfill_steps: dict[str, float]
    daily_seconds: float
    daily_steps: dict[str, float]
    peak_rss: int
    simulator_peak_rss: int
    rows: dict[str, int]
    warehouse_bytes: int
    published_bytes: int
    dlt_bytes: int
    backfill_requests: dict[str, dict[str, int]]
    daily_requests: dict[str, dict[str, int]]
    repositories: int
    files_seconds: float
    load: str
    failures: list[str] = field(default_factory=list)


def bench_settings(home: Path, sim_out: Path) -> Settings:
    """A fresh home with the 40 rules (the template and the benchmark's scorecard)."""
    scorecards = home / "scorecards"
    shutil.copytree(REPO_ROOT / "scorecards", scorecards)
    for path in sorted(BENCH_SCORECARDS.glob("*.yml")):
        shutil.copy2(path, scorecards / path.name)
    return Settings(
        home=home,
        scorecards_dir=scorecards,
        catalog_dir=sim_out / "catalog" / "{date}",
        custom_data_dir=sim_out / "custom_data" / "{date}",
    )


def pipeline_run(services: int, run: int, days: int, work: Path, echo) -> PipelineRun:
    from orchestration.demo import environment, simulator_config
    from orchestration.runner import run_days

    home = work / f"services-{services}" / f"run-{run}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    sim_out = home / "simulator"
    began = time.monotonic()
    with simulator(services, days + 1, sim_out) as info:
        echo(
            f"  run {run}: simulated company of {info['services']} services ready in "
            f"{time.monotonic() - began:.0f}s (files {info['files_seconds']:.0f}s); load "
            f"{load_average()}"
        )
        settings = bench_settings(home, sim_out)
        today = dt.date.fromisoformat(info["today"])
        first, yesterday = today - dt.timedelta(days=days), today - dt.timedelta(days=1)
        servers = SimpleNamespace(base_urls=info["base_urls"], credentials=info["credentials"])
        with (
            environment(simulator_config(servers, info["org"])),
            TreeMemory(apart=[info["pid"]]) as memory,
        ):
            before = simulator_requests(info)
            backfill = run_days(settings, first, yesterday, trigger="benchmark", quiet=True)
            after_backfill = simulator_requests(info)
            echo(
                f"    backfill {first}..{yesterday}: {backfill.seconds:.1f}s "
                f"({'ok' if backfill.success else 'FAILED'})"
            )
            daily = run_days(settings, today, today, trigger="benchmark", quiet=True)
            after_daily = simulator_requests(info)
            echo(f"    daily {today}: {daily.seconds:.1f}s ({'ok' if daily.success else 'FAILED'})")
        load = load_average()
    return PipelineRun(
        services=services,
        run=run,
        success=backfill.success and daily.success,
        backfill_seconds=backfill.seconds,
        backfill_steps=step_seconds(settings, backfill.run_ids),
        daily_seconds=daily.seconds,
        daily_steps=step_seconds(settings, daily.run_ids),
        peak_rss=memory.peak,
        simulator_peak_rss=memory.peak_apart,
        rows=table_rows(settings),
        warehouse_bytes=settings.warehouse_path.stat().st_size,
        published_bytes=(
            settings.published_path.stat().st_size if settings.published_path.exists() else 0
        ),
        dlt_bytes=dir_bytes(settings.dlt_dir),
        backfill_requests=_minus(after_backfill, before),
        daily_requests=_minus(after_daily, after_backfill),
        repositories=info["services"],
        files_seconds=info["files_seconds"],
        load=load,
        failures=[*backfill.failures, *backfill.source_failures, *daily.failures]
        + daily.source_failures,
    )


# -- summaries -------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def naive_requests(services: int, days: int) -> dict[str, int]:
    """One REST call per repository (or service) per fact and per day, per API."""
    from readiness.facts import load_facts

    per_api: dict[str, int] = {}
    for fact in load_facts().values():
        api = FACT_SOURCE_API.get(fact.source)
        if api is not None:
            per_api[api] = per_api.get(api, 0) + services * days
    return per_api


def fmt_s(value: float) -> str:
    if value != value:  # nan
        return "-"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_bytes(value: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(value)


def growth(sizes: list[int], totals: dict[int, float]) -> list[str]:
    """Time ratio between consecutive sizes, and the exponent k of time ~ size^k
    (k <= 1: doubling the size at most doubles the time)."""
    lines = []
    measured = [s for s in sizes if s in totals and totals[s] == totals[s]]
    for small, large in zip(measured, measured[1:], strict=False):
        ratio = totals[large] / totals[small]
        k = math.log(ratio) / math.log(large / small)
        lines.append(
            f"{small} -> {large} services ({large / small:g}x): time x{ratio:.2f}, "
            f"exponent {k:.2f}, doubling the size multiplies time by {2**k:.2f}"
        )
    return lines


def report(
    args: argparse.Namespace,
    info: dict[str, Any],
    runs: dict[int, list[PipelineRun]],
    peers: list[Any],
    pages: dict[str, Any] | None,
    notes: list[str],
) -> str:
    out: list[str] = []
    w = out.append
    sizes = sorted(runs)
    w(f"## Pipeline (backfill of {args.days} days, then the daily run)\n")
    w("Medians over the runs (n = runs measured). Seconds unless stated.\n")
    header = ["", *[f"{s:,} services (n={len(runs[s])})" for s in sizes]]
    rows: list[list[str]] = []

    def row(label: str, fn) -> None:
        rows.append([label, *[fn(runs[s]) for s in sizes]])

    def med(getter):
        return lambda rs: fmt_s(median([getter(r) for r in rs]))

    row("**backfill, end to end**", med(lambda r: r.backfill_seconds))
    steps: list[str] = []
    for s in sizes:
        for r in runs[s]:
            steps += [k for k in r.backfill_steps if k not in steps]
    for step in steps:
        row(f"  {step}", med(lambda r, step=step: r.backfill_steps.get(step, float("nan"))))
    row(
        "  other (definitions, run start, standards)",
        med(lambda r: r.backfill_seconds - sum(r.backfill_steps.values())),
    )
    row("**daily incremental run**", med(lambda r: r.daily_seconds))
    daily_steps: list[str] = []
    for s in sizes:
        for r in runs[s]:
            daily_steps += [k for k in r.daily_steps if k not in daily_steps]
    for step in daily_steps:
        row(f"  {step} (daily)", med(lambda r, step=step: r.daily_steps.get(step, float("nan"))))
    row("peak RSS, pipeline tree", lambda rs: fmt_bytes(max(r.peak_rss for r in rs)))
    row("peak RSS, simulator (apart)", lambda rs: fmt_bytes(max(r.simulator_peak_rss for r in rs)))
    row("warehouse file", lambda rs: fmt_bytes(rs[-1].warehouse_bytes))
    row("published file", lambda rs: fmt_bytes(rs[-1].published_bytes))
    row("dlt state and load packages", lambda rs: fmt_bytes(rs[-1].dlt_bytes))
    row("rows, all tables", lambda rs: f"{sum(rs[-1].rows.values()):,}")
    row("load average after the run", lambda rs: rs[-1].load)
    w(markdown_table(header, rows))
    w("")
    totals = {s: median([r.backfill_seconds for r in runs[s]]) for s in sizes}
    dailies = {s: median([r.daily_seconds for r in runs[s]]) for s in sizes}
    w("Growth (backfill): " + ("; ".join(growth(sizes, totals)) or "one size only") + ".\n")
    w("Growth (daily run): " + ("; ".join(growth(sizes, dailies)) or "one size only") + ".\n")

    w("## API efficiency\n")
    w(
        "Requests the simulator served, per API, against the naive count: one REST call "
        "per repository (GitHub, coverage) or service (PagerDuty, Datadog, Prometheus, "
        "identity) per fact, per day.\n"
    )
    header = ["API", *[f"{s:,}: backfill / daily / per service daily / naive daily" for s in sizes]]
    rows = []
    apis = sorted({a for s in sizes for r in runs[s] for a in r.backfill_requests})
    for api in apis:
        cells = [api]
        for s in sizes:
            r = runs[s][-1]
            back = sum(r.backfill_requests.get(api, {}).values())
            daily = sum(r.daily_requests.get(api, {}).values())
            naive = naive_requests(s, 1).get(api, 0)
            cells.append(f"{back:,} / {daily:,} / {daily / s:.3f} / {naive:,}")
        rows.append(cells)
    cells = ["**all**"]
    for s in sizes:
        r = runs[s][-1]
        back = sum(sum(v.values()) for v in r.backfill_requests.values())
        daily = sum(sum(v.values()) for v in r.daily_requests.values())
        naive = sum(naive_requests(s, 1).values())
        cells.append(f"{back:,} / {daily:,} / {daily / s:.3f} / {naive:,}")
    rows.append(cells)
    w(markdown_table(header, rows))
    w("")
    for s in sizes:
        r = runs[s][-1]
        detail = ", ".join(
            f"{api} {endpoint} {count:,}"
            for api, endpoints in sorted(r.backfill_requests.items())
            for endpoint, count in sorted(endpoints.items(), key=lambda kv: -kv[1])[:3]
        )
        w(f"- {s:,} services, backfill, busiest endpoints: {detail}.")
    w("")

    w("## Rows per table (last run of each size)\n")
    tables = sorted({t for s in sizes for t in runs[s][-1].rows})
    header = ["table", *[f"{s:,}" for s in sizes]]
    rows = [[t, *[f"{runs[s][-1].rows.get(t, 0):,}" for s in sizes]] for t in tables]
    w("<details><summary>every table</summary>\n")
    w(markdown_table(header, rows))
    w("\n</details>\n")

    if peers:
        w("## Scoring engine vs json-rules-engine\n")
        header = [
            "entities",
            "rules",
            "(entity, rule) pairs",
            "outcomes identical",
            "readiness dbt invocation",
            "of which models",
            "json-rules-engine",
            "ratio (peer / readiness)",
        ]
        rows = []
        for p in peers:
            ours, peer = median(p.readiness_seconds), median(p.peer_seconds)
            rows.append(
                [
                    f"{p.entities:,}",
                    str(p.rules),
                    f"{p.comparison.pairs:,}",
                    ("yes" if p.comparison.identical else "NO")
                    + (", scores and levels too" if p.comparison.scores_identical else ""),
                    fmt_s(ours),
                    fmt_s(median(p.readiness_model_seconds)),
                    f"{fmt_s(peer)} (process {fmt_s(median(p.peer_process_seconds))})",
                    f"{peer / ours:.1f}x",
                ]
            )
        w(markdown_table(header, rows))
        w("")
        for p in peers:
            mix = ", ".join(f"{k} {v:,}" for k, v in sorted(p.comparison.outcome_mix.items()))
            w(f"- {p.entities:,} entities: outcomes {mix}.")
            for line in p.comparison.differences[:5]:
                w(f"  - difference: {line}")
        w("")

    if pages is not None:
        w("## Dashboard pages (Chromium, seconds to a complete render)\n")
        w(pages["caption"] + "\n")
        header = ["page", "open cold", "open median", "open max", "switch median"]
        rows = [
            [name, fmt_s(v["cold"]), fmt_s(v["median"]), fmt_s(v["max"]), fmt_s(v["switch"])]
            for name, v in pages["pages"].items()
        ]
        w(markdown_table(header, rows))
        w("")

    w("## Targets\n")
    w(markdown_table(["target", "measured", "met"], targets(runs, peers, pages)))
    w("")

    if notes:
        w("## Notes from this run\n")
        w("\n".join(f"- {n}" for n in notes))
        w("")
    return "\n".join(out)


def targets(runs: dict[int, list[PipelineRun]], peers: list[Any], pages: dict | None):
    """The issue's targets against what this run measured ("not measured" when absent)."""
    out: list[list[str]] = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("yes" if ok else "**no**")

    def backfill(size: int) -> float | None:
        return median([r.backfill_seconds for r in runs[size]]) if size in runs else None

    for size, key in ((2000, "e2e_2000_s"), (20000, "e2e_20000_s")):
        value = backfill(size)
        out.append(
            [
                f"{size:,} services end to end (90-day backfill) <= {TARGETS[key]:.0f} s",
                "-" if value is None else f"{value:.0f} s",
                verdict(None if value is None else value <= TARGETS[key]),
            ]
        )
    peak = max((r.peak_rss for rs in runs.values() for r in rs), default=None)
    out.append(
        [
            "peak RSS <= 2 GiB",
            "-" if peak is None else f"{fmt_bytes(peak)} (largest size measured)",
            verdict(None if peak is None else peak <= TARGETS["rss_bytes"]),
        ]
    )
    daily = median([r.daily_seconds for r in runs[20000]]) if 20000 in runs else None
    out.append(
        [
            "daily incremental run at 20,000 services <= 60 s",
            "-" if daily is None else f"{daily:.0f} s",
            verdict(None if daily is None else daily <= TARGETS["daily_20000_s"]),
        ]
    )
    largest = max(peers, key=lambda p: p.entities) if peers else None
    ratio = median(largest.peer_seconds) / median(largest.readiness_seconds) if largest else None
    out.append(
        [
            "scoring >= 10x faster than json-rules-engine at 100,000 entities",
            "-" if ratio is None else f"{ratio:.1f}x at {largest.entities:,} entities",
            verdict(None if ratio is None else ratio >= TARGETS["peer_ratio"]),
        ]
    )
    sizes = sorted(runs)
    worst = None
    for small, large in zip(sizes, sizes[1:], strict=False):
        a, b = backfill(small), backfill(large)
        k = math.log(b / a) / math.log(large / small)
        worst = k if worst is None else max(worst, k)
    out.append(
        [
            "doubling the size at most doubles the time (exponent <= 1)",
            "-" if worst is None else f"exponent {worst:.2f} (backfill)",
            verdict(None if worst is None else worst <= 1.0),
        ]
    )
    slowest = max((v["median"] for v in pages["pages"].values()), default=None) if pages else None
    out.append(
        [
            "each dashboard page <= 2 s at 2,000 services",
            "-" if slowest is None else f"slowest page {slowest:.2f} s (median open)",
            verdict(None if slowest is None else slowest <= TARGETS["page_2000_s"]),
        ]
    )
    return out


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


# -- dashboards ------------------------------------------------------------------------------


def dashboard_pages(home: Path, runs: int) -> dict[str, Any]:
    """Render every page with benchmarks.dashboard_render's functions."""
    from playwright.sync_api import sync_playwright

    from benchmarks import dashboard_render as dr
    from orchestration.dbt_docs import ensure_dbt_docs

    settings = Settings(home=home, scorecards_dir=home / "scorecards")
    ensure_dbt_docs(settings, echo=lambda *_: None)
    cases = dr.cases(settings)
    timings: dict[str, list[float]] = {case.name: [] for case in cases}
    switch_error: Exception | None = None
    # The dashboard is served as benchmarks.dashboard_render serves it.
    if hasattr(dr, "served_dashboard"):
        server = dr.served_dashboard(settings, log_name="bench-serve.log")
    else:
        server = dr.serve(settings)
    with server as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=dr.CHROMIUM, args=dr.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            for _ in range(max(3, runs)):
                for case in cases:
                    timings[case.name].append(dr.open_once(context, url, case, None))
            try:
                switches = dr.switch_times(context, url, cases, max(3, runs))
            except Exception as error:  # keep the opens; say the switches failed
                switches, switch_error = {}, error
        finally:
            browser.close()
    return {
        "caption": (
            f"Published warehouse of {home.parent.name.removeprefix('services-')} services "
            f"({fmt_bytes(settings.published_path.stat().st_size)}), {max(3, runs)} renders "
            f"per page, run 1 cold; load average {load_average()}."
            + (
                f" Switching pages from the sidebar failed: {switch_error!r}."
                if switch_error
                else ""
            )
        ),
        "pages": {
            name: {
                "cold": values[0],
                "median": median(values),
                "max": max(values),
                "switch": median(switches[name]) if switches.get(name) else float("nan"),
            }
            for name, values in timings.items()
        },
    }


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000,20000", help="services, comma separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians)")
    parser.add_argument("--days", type=int, default=90, help="days of history (backfill)")
    parser.add_argument(
        "--budget",
        type=float,
        default=1800,
        help="seconds: a size whose first run takes longer gets no further runs",
    )
    parser.add_argument("--peer-entities", default="10000,100000", help="'' to skip")
    parser.add_argument("--peer-runs", type=int, default=3)
    parser.add_argument(
        "--dashboard-size", type=int, default=2000, help="size whose pages to render; 0 skips"
    )
    parser.add_argument("--work", type=Path, default=REPO_ROOT / ".readiness-bench")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite --out")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    peer_sizes = [int(s) for s in args.peer_entities.split(",") if s.strip()]
    echo = lambda text: print(text, flush=True)  # noqa: E731
    info = machine()
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    echo(f"machine: {info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB")
    echo(f"load average before: {load_average()}")
    began = time.monotonic()
    notes: list[str] = []
    runs: dict[int, list[PipelineRun]] = {}
    for size in sizes:
        echo(f"{size} services, {args.days} days:")
        runs[size] = []
        for index in range(1, args.runs + 1):
            result = pipeline_run(size, index, args.days, args.work, echo)
            runs[size].append(result)
            if args.json:
                args.json.with_suffix(".runs.json").write_text(
                    json.dumps({s: [asdict(r) for r in rs] for s, rs in runs.items()}, default=str)
                )
            if not result.success:
                notes.append(f"{size} services, run {index} failed: {result.failures[:3]}")
            if result.backfill_seconds + result.daily_seconds > args.budget:
                if index < args.runs:
                    notes.append(
                        f"{size} services: run {index} took "
                        f"{result.backfill_seconds + result.daily_seconds:.0f}s, over the "
                        f"{args.budget:.0f}s budget; no further runs (n={index})"
                    )
                break

    def save() -> None:  # after every measurement: a late failure loses nothing
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": info,
                        "runs": {s: [asdict(r) for r in rs] for s, rs in runs.items()},
                        "peers": [asdict(p) for p in peers],
                        "pages": pages,
                    },
                    default=str,
                    indent=1,
                )
            )

    peers: list[Any] = []
    pages = None
    save()
    if peer_sizes and runs:
        from benchmarks import peer

        peer.npm_ci()
        base_size = min(runs)
        base = runs[base_size][-1]
        home = args.work / f"services-{base_size}" / f"run-{base.run}"
        base_settings = Settings(home=home, scorecards_dir=home / "scorecards")
        scoring = peer.prepare_scoring_home(base_settings, args.work / "scoring")
        source_day = dt.datetime.now(dt.UTC).date()
        for index, entities in enumerate(peer_sizes):
            echo(f"scoring engine vs json-rules-engine, {entities} entities:")
            day = dt.date(2099, 1, 1) + dt.timedelta(days=index)
            try:
                peers.append(
                    peer.compare_at(
                        scoring, entities, args.peer_runs, source_day=source_day, day=day, echo=echo
                    )
                )
            except Exception as error:  # report it, keep the other figures
                notes.append(f"scoring comparison at {entities} entities failed: {error!r}")
                echo(f"  FAILED: {error!r}")
            save()
        notes.append(
            f"Scoring: the facts are synthesized from the {base_size}-service company's real "
            "facts (replicated and perturbed in the warehouse, benchmarks/peer.py), since the "
            "simulator is not needed to measure scoring."
        )

    if args.dashboard_size and args.dashboard_size in runs:
        last = runs[args.dashboard_size][-1]
        echo(f"dashboard pages at {args.dashboard_size} services:")
        try:
            pages = dashboard_pages(
                args.work / f"services-{args.dashboard_size}" / f"run-{last.run}", 3
            )
        except Exception as error:  # report it, keep the other figures
            notes.append(f"dashboard rendering failed: {error!r}")
            echo(f"  FAILED: {error!r}")
        save()

    text = report(args, info, runs, peers, pages, notes)
    echo("\n" + text)
    echo(f"total {time.monotonic() - began:.0f}s; load average after: {load_average()}")
    save()
    if args.out and not args.no_doc:
        write_doc(args.out, info, command, text)
    return 0 if all(r.success for rs in runs.values() for r in rs) else 1


def write_doc(path: Path, info: dict[str, Any], command: str, figures: str) -> None:
    """Replace the generated part of docs/benchmarks.md (between the markers)."""
    begin, end = "<!-- figures: begin -->", "<!-- figures: end -->"
    generated = (
        f"{begin}\n\nMeasured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `{command}` on "
        f"{info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB of memory; Python "
        f"{info['python']}, DuckDB {info['duckdb']}, dlt {info['dlt']}, dbt {info['dbt']}.\n\n"
        f"{figures}\n{end}"
    )
    if path.exists() and begin in path.read_text():
        text = path.read_text()
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1] if end in rest else ""
        path.write_text(head + generated + tail)
    else:
        path.write_text(f"# Benchmarks\n\n{generated}\n")


if __name__ == "__main__":
    raise SystemExit(main())
