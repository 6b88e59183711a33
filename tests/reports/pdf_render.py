"""Rendering page 1 of a PDF to PNG without poppler: Debian's Chromium opens the file in
its built-in PDF viewer (PDFium) through Playwright, and the page is screenshotted.

`pdftoppm` is not on our machines; Chromium is (the browser tests need it), and PDFium
is the renderer Chrome uses for every PDF it shows, so this is a real rendering of the
file, not of a copy of its content.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from PIL import Image

from tests.dashboards.browser import CHROMIUM, CHROMIUM_ARGS

WIDTH, HEIGHT = 1100, 800


def ink_fraction(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Share of pixels in ``box`` that are clearly not white (text, lines, fills)."""
    region = image.convert("L").crop(box)
    dark = sum(count for value, count in enumerate(region.histogram()) if value < 200)
    return dark / (region.width * region.height)


def render_first_page(pdf: Path, png: Path, timeout: float = 30) -> Image.Image:
    """Page 1 of ``pdf`` as PNG at ``png``; waits until the viewer has drawn the page."""
    from playwright.sync_api import sync_playwright

    url = f"{pdf.resolve().as_uri()}#page=1&toolbar=0&navpanes=0&view=Fit"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(url)
            deadline = time.monotonic() + timeout
            while True:
                # The viewer draws asynchronously in its own frame: poll its pixels until
                # the page shows (a light page with dark marks), not a fixed sleep.
                shot = Image.open(io.BytesIO(page.screenshot()))
                centre = (WIDTH // 4, HEIGHT // 8, 3 * WIDTH // 4, 7 * HEIGHT // 8)
                light = 1 - ink_fraction(shot, centre)
                if light > 0.5 and ink_fraction(shot, centre) > 0.01:
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"Chromium did not render {pdf} within {timeout}s")
                page.wait_for_timeout(200)
        finally:
            browser.close()
    shot.save(png)
    return shot
