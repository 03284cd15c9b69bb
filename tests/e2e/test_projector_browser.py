"""Projector mode of the Demonstration page in a real browser at 1280x720 (issue 12).

The educator signs in, starts a demonstration and turns projector mode on: no sidebar (so
no resume code), large type, and the revealed 3D view spans the width, above the fold.
The picture goes to ``artifacts/projector-1280x720.png``. Without Chromium: skipped
locally, fails under CI=true.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    Driver,
    Server,
    serve,
)

PASSPHRASE = "e2e projector passphrase"
PROJECTOR = {"width": 1280, "height": 720}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from serve(tmp_path, {"DBSSIM_EDUCATOR_PASSPHRASE": PASSPHRASE})


def start_demonstration(page: Any, url: str) -> Driver:
    """Sign in as the educator and start a demonstration of the default case."""
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector('[data-testid="stSidebar"]')
    edu = Driver(page)
    edu.settle()
    edu.click("edu_open")
    edu.fill("edu_pass", PASSPHRASE, commit="Tab")
    edu.click("edu_submit")
    edu.go("Demonstration")
    edu.click("demo_start")
    return edu


def scene_box(page: Any) -> dict[str, float]:
    """Where Plotly draws the 3D scene itself (its WebGL view), not the whole chart: a
    legend beside the scene leaves the chart full width and the scene narrow."""
    box: dict[str, float] = page.evaluate(
        """() => {
            const plot = document.querySelector('.st-key-demo_anatomy .js-plotly-plot');
            const r = plot._fullLayout.scene._scene.container.getBoundingClientRect();
            return {x: r.left, y: r.top, width: r.width, height: r.height};
        }"""
    )
    return box


def test_projector_mode_at_1280x720(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=PROJECTOR)
            page = context.new_page()
            edu = start_demonstration(page, server.url)
            expect(page.locator(".st-key-demo_next button")).to_be_visible()
            demo_code = page.evaluate("() => location.search")
            assert "session=" not in demo_code, (
                f"the demonstration's code is in the URL: {demo_code}"
            )
            edu.click("demo_projector", "label")
            expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
            page.locator(".st-key-demo_anatomy canvas").first.wait_for(state="attached")
            edu.settle(extra_s=1.0)  # the empty placeholder scene, before any reveal

            started = time.perf_counter()
            page.locator(".st-key-demo_next button").first.click()
            chart = page.locator(".st-key-demo_anatomy")
            expect(page.get_by_text("Left lead where it really sits")).to_be_visible(
                timeout=TIMEOUT_MS
            )
            reveal_s = time.perf_counter() - started
            edu.settle(extra_s=1.5)  # Plotly 3D paints about a second later

            started = time.perf_counter()
            page.locator(".st-key-demo_next button").first.click()
            edu.settle(extra_s=0)
            next_s = time.perf_counter() - started
            print(f"projector: reveal of layer 2 (3D view updated in place) took {next_s:.2f} s")
            edu.settle(extra_s=1.0)

            box = chart.bounding_box()
            assert box is not None
            print(f"projector: first reveal took {reveal_s:.2f} s; 3D view {box}")
            assert box["width"] >= 0.9 * PROJECTOR["width"], f"3D view not full width: {box}"
            scene = scene_box(page)
            assert scene["width"] >= 0.9 * PROJECTOR["width"], f"3D scene not full width: {scene}"
            assert box["y"] < PROJECTOR["height"] / 3, f"3D view starts too low: {box}"
            assert box["y"] + box["height"] <= PROJECTOR["height"] + 40, f"3D view cut: {box}"
            size = page.evaluate(
                "() => parseFloat(getComputedStyle("
                "document.querySelector('[data-testid=\"stMain\"] p')).fontSize)"
            )
            assert size >= 20, f"body text {size}px is too small for a projector"
            body = page.locator('[data-testid="stMain"]').inner_text()
            assert "resume code" not in body.lower()
            ARTIFACTS.mkdir(exist_ok=True)
            page.mouse.move(1, 1)
            page.screenshot(path=str(ARTIFACTS / "projector-1280x720.png"))
        finally:
            browser.close()
    assert (ARTIFACTS / "projector-1280x720.png").stat().st_size > 10_000


def test_projector_mode_at_150_percent_zoom(server: Server) -> None:
    """Browser zoom 150 % on the 1280x720 projector: the page is 853x480 CSS pixels drawn
    at 1.5 device pixels each. The 3D view still spans the width, no button's label is cut
    and nothing scrolls sideways."""
    from playwright.sync_api import expect, sync_playwright

    zoomed = {"width": round(PROJECTOR["width"] / 1.5), "height": round(PROJECTOR["height"] / 1.5)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=zoomed, device_scale_factor=1.5)
            page = context.new_page()
            edu = start_demonstration(page, server.url)
            edu.click("demo_projector", "label")
            expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
            page.locator(".st-key-demo_next button").first.click()
            expect(page.get_by_text("Left lead where it really sits")).to_be_visible(
                timeout=TIMEOUT_MS
            )
            edu.settle(extra_s=1.5)
            scene = scene_box(page)
            assert scene["width"] >= 0.9 * zoomed["width"], f"3D scene not full width: {scene}"
            cut = page.evaluate(
                """() => [...document.querySelectorAll(
                        '[data-testid="stMain"] button, [data-testid="stMain"] button *, '
                        + '[data-testid="stMain"] label, [data-testid="stMain"] label *')]
                    .filter(e => e.offsetParent !== null && (e.innerText || '').trim() !== '')
                    .filter(e => e.scrollWidth > e.clientWidth + 1)
                    .map(e => e.innerText)"""
            )
            assert cut == [], f"button labels cut at 150 % zoom: {cut}"
            sideways = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 1, f"the page scrolls sideways by {sideways} px at 150 % zoom"
            page.mouse.move(1, 1)
            page.screenshot(path=str(ARTIFACTS / "projector-150-percent.png"))
        finally:
            browser.close()
