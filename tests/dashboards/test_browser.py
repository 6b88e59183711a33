"""The dashboard as a person sees it: served for real, rendered in Debian's Chromium."""

import pytest

from tests.dashboards.browser import chromium_page, screenshot, served_dashboard, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_overview_shows_the_organisation_score(scenario_published):
    with served_dashboard(scenario_published) as url, chromium_page() as page:
        page.goto(url)
        metric = page.get_by_test_id("stMetric").filter(has_text="Organisation score")
        metric.wait_for(timeout=30_000)
        assert "38.0%" in metric.inner_text()
        page.get_by_text("Score per team").wait_for()
        wait_for_charts(page, 3)
        assert page.get_by_test_id("stException").count() == 0
        path = screenshot(page, "overview-scenario")
        assert path.stat().st_size > 10_000
