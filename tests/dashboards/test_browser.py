"""The dashboard as a person sees it: served for real, every page rendered in Debian's
Chromium, with a screenshot of each in test-artifacts/."""

from __future__ import annotations

import zipfile
from urllib.parse import quote

import pytest

from orchestration.serving import served_dashboard
from readiness.reports import verify_folder
from tests.dashboards.browser import (
    chromium_page,
    exceptions,
    screenshot,
    wait_for_charts,
    wait_rendered,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_page(page, url: str, name: str, charts: int = 0) -> None:
    page.goto(url)
    wait_rendered(page)
    if charts:
        wait_for_charts(page, charts)
    assert exceptions(page) == [], name
    assert screenshot(page, f"dashboard-{name}").stat().st_size > 10_000


def test_every_page_renders_with_its_key_content(demo_home, tmp_path):
    from readiness.warehouse import connect_published

    connection = connect_published(demo_home)
    try:
        team, team_title = connection.execute(
            "select team_ref, title from marts.dim_teams where parent_ref is not null "
            "order by team_ref limit 1"
        ).fetchone()
        service, service_title = connection.execute(
            "select entity_ref, title from marts.dim_entities where kind = 'component' "
            "and is_current order by entity_ref limit 1"
        ).fetchone()
    finally:
        connection.close()

    with served_dashboard(demo_home) as url, chromium_page() as page:
        open_page(page, url, "overview", charts=5)
        metric = page.get_by_test_id("stMetric").filter(has_text="Organisation score")
        assert "%" in metric.inner_text()
        assert page.get_by_role("heading", name="Top movers").is_visible()

        open_page(page, f"{url}/heatmap", "heatmap", charts=1)
        assert page.get_by_text("Drill into").is_visible()

        # Deep links: the team and service pages open on what the URL names.
        open_page(page, f"{url}/team?team={quote(team)}", "team", charts=2)
        assert page.get_by_role("heading", name=team_title).is_visible()
        assert page.get_by_text("What to do next").is_visible()

        open_page(page, f"{url}/service?service={quote(service)}", "service", charts=2)
        assert page.get_by_role("heading", name=service_title).is_visible()
        assert page.get_by_text("Each rule, day by day").is_visible()

        # The sidebar navigation keeps the global filters and the page state.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Heat map", exact=True).click()
        wait_rendered(page)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Service", exact=True).click()
        # The click starts a new script run a moment later: wait for the page it renders,
        # not only for the run in progress to end.
        page.wait_for_url("**/service**")
        page.get_by_role("heading", name=service_title).wait_for(timeout=30_000)
        wait_rendered(page)
        assert page.get_by_role("heading", name=service_title).is_visible()

        open_page(page, f"{url}/scorecards", "scorecards")
        assert page.get_by_text("Definition history").is_visible()

        open_page(page, f"{url}/initiatives", "initiatives", charts=1)
        assert page.get_by_role("heading", name="Lagging teams").is_visible()

        # The evidence folder downloads as a zip that `readiness report verify` accepts.
        open_page(page, f"{url}/reports", "reports")
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Evidence folder (zip)").click()
        bundle = tmp_path / "evidence.zip"
        download.value.save_as(bundle)
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(tmp_path / "evidence")
        verification = verify_folder(tmp_path / "evidence")
        assert verification.ok, verification.problems
        assert (tmp_path / "evidence" / "report.pdf").stat().st_size > 1_000

        open_page(page, f"{url}/sql", "sql")
        page.get_by_role("button", name="Run").click()
        page.get_by_role("button", name="Download CSV").wait_for(timeout=30_000)
        assert exceptions(page) == []
        screenshot(page, "dashboard-sql-result")

        open_page(page, f"{url}/dbt-docs", "dbt-docs")
        docs = page.frame_locator("[data-testid=stIFrame]")
        docs.get_by_text("Welcome!").wait_for(timeout=30_000)
