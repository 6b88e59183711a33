"""How long each dashboard page takes to render completely in Chromium.

    python -m benchmarks.dashboard_render --home /tmp/d90
    python -m benchmarks.dashboard_render --home /tmp/d2000 --services 2000 --days 90
    python -m benchmarks.dashboard_render --home /tmp/d90 --screenshots docs/img

Builds the home with `readiness demo` when it holds no published warehouse (`--services`,
`--days`), generates its dbt docs when missing, serves the dashboard with
`readiness serve`, and renders every page in Debian's Chromium (Playwright, headless).
A render is complete when the script run has finished, no skeleton is left, every chart
has drawn and the page's key content is visible.

- "open": the page's URL in a new tab (a new Streamlit session: page load, websocket,
  script run, drawing), timed from the navigation. The browser keeps its HTTP cache
  between tabs, as a returning visitor's does. Run 1 opens each page for the first time
  since the server started, before its queries are cached ("cold"); later runs hit the
  cache, which is keyed on the published warehouse's version.
- "switch": in one tab, a click on the page in the sidebar (same session, no page
  load), timed from the click.

The table gives, per page, the cold open, the median and maximum open over all runs
(at least 3), and the median switch. Target: under 2 s per page at 2,000 services with
90 days of history.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from orchestration.serving import served_dashboard
from readiness.settings import Settings
from readiness.warehouse import connect_published

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
TARGET_S = 2.0
SCREENSHOT_MAX_HEIGHT = 1500

RENDERED = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid=stSkeleton]')) return false;
    const charts = document.querySelectorAll('.vega-embed');
    const drawn = document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks');
    return drawn.length >= charts.length;
}"""


@dataclass(frozen=True)
class PageCase:
    name: str
    path: str
    title: str  # the page's heading
    key_text: str  # visible once the page's main content is there
    charts: int = 0
    in_frame: bool = False  # key_text is inside the embedded iframe
    nav_label: str | None = None  # its link in the sidebar, when switching to it


def cases(settings: Settings) -> list[PageCase]:
    """Every page, with a team (the one with the most services) and a service to open."""
    connection = connect_published(settings)
    try:
        # The scorecard the pages show: one with initiatives (so that page has its
        # burn-up), else the first; every URL names it.
        (scorecard,) = connection.execute(
            "select scorecards.scorecard_id from marts.dim_scorecards as "
            "scorecards where scorecards.is_current order by exists (select 1 from "
            "marts.dim_initiatives as initiatives where initiatives.is_current and "
            "initiatives.scorecard_id = scorecards.scorecard_id) desc, scorecards.scorecard_id "
            "limit 1"
        ).fetchone()
        team = connection.execute(
            "select scope_ref from marts.fct_scores_daily where scope_type = 'team_tree' "
            "and evaluated_on = (select max(evaluated_on) from marts.fct_scores_daily) "
            "order by entity_count desc, scope_ref limit 1"
        ).fetchone()[0]
        service = connection.execute(
            "select entity_ref from marts.fct_entity_scores "
            "where evaluated_on = (select max(evaluated_on) from marts.fct_entity_scores) "
            "order by score_pct, entity_ref limit 1"
        ).fetchone()[0]
    finally:
        connection.close()
    pinned = f"scorecard={quote(scorecard)}"
    return [
        dataclasses.replace(case, path=f"{case.path}{'&' if '?' in case.path else '?'}{pinned}")
        for case in _cases(team, service)
    ]


def _cases(team: str, service: str) -> list[PageCase]:
    return [
        PageCase("overview", "", "Production readiness", "Top movers", 5, nav_label="Overview"),
        PageCase("heat map (teams)", "heatmap", "Heat map", "Drill into", 1, nav_label="Heat map"),
        PageCase("heat map (services)", "heatmap?rows=services", "Heat map", "lowest", 1),
        PageCase(
            "team", f"team?team={quote(team)}", "Team", "What to do next", 2, nav_label="Team"
        ),
        PageCase(
            "service",
            f"service?service={quote(service)}",
            "Service",
            "Each rule, day by day",
            2,
            nav_label="Service",
        ),
        PageCase(
            "scorecards", "scorecards", "Scorecards", "Definition history", nav_label="Scorecards"
        ),
        PageCase(
            "initiatives", "initiatives", "Initiatives", "Burn-up", 1, nav_label="Initiatives"
        ),
        PageCase("reports", "reports", "Reports", "Evidence folder (zip)", nav_label="Reports"),
        PageCase("sql", "sql", "SQL", "Saved example", nav_label="SQL"),
        PageCase(
            "data docs", "dbt-docs", "Data docs", "Welcome!", in_frame=True, nav_label="Data docs"
        ),
    ]


def wait_complete(page, case: PageCase) -> None:
    page.get_by_role("heading", name=case.title, exact=True).first.wait_for(timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000, polling=20)
    if case.charts:
        page.wait_for_function(
            "n => document.querySelectorAll("
            "'.vega-embed canvas, .vega-embed svg.marks').length >= n",
            arg=case.charts,
            timeout=60_000,
            polling=20,
        )
    scope = page.frame_locator("[data-testid=stIFrame]") if case.in_frame else page
    scope.get_by_text(case.key_text).first.wait_for(timeout=60_000)
    errors = page.get_by_test_id("stException").all_inner_texts()
    if errors:
        raise RuntimeError(f"{case.name}: Streamlit exception: {errors[0][:500]}")


def open_once(context, url: str, case: PageCase, screenshot: Path | None) -> float:
    """Open the page's URL in a new tab (a new session); seconds to a complete render."""
    page = context.new_page()
    try:
        began = time.perf_counter()
        page.goto(f"{url}/{case.path}")
        try:
            wait_complete(page, case)
        except Exception as exc:
            raise RuntimeError(f"page {case.name!r} ({case.path}) did not render: {exc}") from exc
        seconds = time.perf_counter() - began
        if screenshot is not None:
            # Show more than one screen of the page, up to SCREENSHOT_MAX_HEIGHT pixels.
            height = page.evaluate(
                "() => document.querySelector('[data-testid=stMain]').scrollHeight"
            )
            page.set_viewport_size({"width": 1400, "height": min(height, SCREENSHOT_MAX_HEIGHT)})
            page.wait_for_timeout(800)
            page.screenshot(path=str(screenshot))
            page.set_viewport_size({"width": 1400, "height": 1000})
        return seconds
    finally:
        page.close()


def switch_times(context, url: str, page_cases: list[PageCase], runs: int) -> dict[str, list]:
    """Click each page in the sidebar of one tab, in turn; seconds to a complete render."""
    page = context.new_page()
    times: dict[str, list[float]] = {case.name: [] for case in page_cases if case.nav_label}
    try:
        page.goto(f"{url}/{page_cases[0].path}")
        wait_complete(page, page_cases[0])
        nav = page.get_by_test_id("stSidebarNav")
        for _ in range(runs):
            for case in page_cases:
                if not case.nav_label:
                    continue
                if case is page_cases[0]:  # already there: go elsewhere first
                    nav.get_by_role("link", name="SQL", exact=True).click()
                    page.get_by_role("heading", name="SQL", exact=True).wait_for()
                began = time.perf_counter()
                nav.get_by_role("link", name=case.nav_label, exact=True).click()
                try:
                    wait_complete(page, case)
                except Exception as exc:
                    raise RuntimeError(f"switching to {case.name!r} did not render: {exc}") from exc
                times[case.name].append(time.perf_counter() - began)
    finally:
        page.close()
    return times


def prepare(settings: Settings, services: int, days: int) -> None:
    from orchestration.dbt_docs import ensure_dbt_docs

    if not settings.published_path.exists():
        from orchestration.demo import run_demo

        print(f"building a demo home: {services} services, {days} days -> {settings.home}")
        result = run_demo(settings, services=services, days=days, echo=print, quiet=True)
        if not result.summary.success:
            raise SystemExit(f"the demo run failed: {result.summary.failures}")
    ensure_dbt_docs(settings, echo=print)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--services", type=int, default=150, help="when building the home")
    parser.add_argument("--days", type=int, default=90, help="when building the home")
    parser.add_argument("--runs", type=int, default=3, help="renders per page (at least 3)")
    parser.add_argument("--screenshots", type=Path, help="save each page's last render here")
    args = parser.parse_args(argv)
    runs = max(3, args.runs)
    settings = Settings(home=args.home)
    prepare(settings, args.services, args.days)
    connection = connect_published(settings)
    entities, days = connection.execute(
        "select count(distinct entity_ref), count(distinct evaluated_on) "
        "from marts.fct_entity_scores"
    ).fetchone()
    connection.close()
    size_mb = settings.published_path.stat().st_size / 1e6
    page_cases = cases(settings)

    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {case.name: [] for case in page_cases}
    with (
        served_dashboard(settings, log_name="bench-serve.log") as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            for run in range(runs):
                for case in page_cases:
                    shot = None
                    if args.screenshots is not None and run == runs - 1:
                        args.screenshots.mkdir(parents=True, exist_ok=True)
                        slug = case.name.replace(" (", "-").replace(")", "").replace(" ", "-")
                        shot = args.screenshots / f"{slug}.png"
                    timings[case.name].append(open_once(context, url, case, shot))
            switches = switch_times(context, url, page_cases, runs)
        finally:
            browser.close()

    print(
        f"\n{entities} entities x {days} days, published warehouse {size_mb:.0f} MB, "
        f"{runs} renders per page (run 1 cold)\n"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    header = (
        f"{'page':<22}{'open cold':>10}{'open median':>13}{'open max':>10}{'switch median':>15}"
    )
    print(header + f"   (seconds; target {TARGET_S:g})")
    slow = 0
    for name, values in timings.items():
        median = statistics.median(values)
        switch = switches.get(name)
        switch_text = f"{statistics.median(switch):>15.2f}" if switch else f"{'-':>15}"
        over = median > TARGET_S
        slow += over
        print(
            f"{name:<22}{values[0]:>10.2f}{median:>13.2f}{max(values):>10.2f}{switch_text}"
            + ("   over" if over else "")
        )
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
