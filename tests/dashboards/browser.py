"""Driving Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
from pathlib import Path

from readiness.settings import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"


@contextlib.contextmanager
def chromium_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            yield page
        finally:
            browser.close()


def screenshot(page, name: str, *, folder: Path = ARTIFACTS, full: bool = True) -> Path:
    """Save a PNG of the page; `full` grows the viewport to the whole scrolled content
    (Streamlit scrolls inside its main container, which a full-page capture misses)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    viewport = page.viewport_size
    if full:
        height = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=stMain]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }"
        )
        page.set_viewport_size({"width": viewport["width"], "height": min(int(height), 12_000)})
        page.wait_for_timeout(300)
    try:
        page.screenshot(path=str(path))
    finally:
        if full:
            page.set_viewport_size(viewport)
    return path


def wait_rendered(page, timeout: float = 30_000) -> None:
    """Wait until the script run finished and every chart on the page has drawn."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
            if (document.querySelector('[data-testid=stSkeleton]')) return false;
            const charts = document.querySelectorAll('.vega-embed');
            const drawn = document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks');
            return drawn.length >= charts.length;
        }""",
        timeout=timeout,
    )


def exceptions(page) -> list[str]:
    """The text of every Streamlit exception box on the page."""
    return page.get_by_test_id("stException").all_inner_texts()


def wait_for_charts(page, count: int, timeout: float = 30_000) -> None:
    """Wait until ``count`` Vega charts have drawn (a canvas inside each chart)."""
    page.wait_for_function(
        "n => document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks').length >= n",
        arg=count,
        timeout=timeout,
    )
