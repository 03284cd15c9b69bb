"""The main path once in a real browser: Streamlit server + Chromium through Playwright.

case → start → contact 1 cathode → raise amplitude → apply → stimulation on → examine →
record a threshold → follow-up visit → finish → debrief with the 3D anatomy painted.

Screenshots go to ``artifacts/``; with ``DBSSIM_SCREENSHOT_DIR`` set (see
``scripts/screenshots.py``) one screenshot per page is also written there for the README.
Without Chromium the test is skipped locally and fails under ``CI=true``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from dbssim.store.service import Store
from tests.e2e.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    VIEWPORT,
    Driver,
    Server,
    screenshot_dir,
    serve,
)

SCENARIO_TITLE = "Generalised dystonia, bilateral GPi, 4 weeks after surgery"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Streamlit server (with its own temporary store) on a free port, for the module."""
    yield from serve(tmp_path_factory.mktemp("streamlit"))


def recorded_thresholds(server: Server) -> list[float]:
    """Amplitudes of every threshold the server's store holds (what was really recorded)."""
    out = []
    with Store.open(server.env["DBSSIM_DATABASE_URL"]) as store:
        for record in store.list_sessions():
            _, actions = store.load_session(record.id)
            out += [a["amplitude_ma"] for a in actions if a["action"] == "record_threshold"]
    return out


def test_main_path_in_chromium(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    app_url = server.url
    shots = screenshot_dir()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(TIMEOUT_MS)
            drive = Driver(page, shots)
            page.goto(app_url)
            page.wait_for_selector(".st-key-start button")
            drive.settle()

            # Case: choose the scenario from the list, read the sheet, start.
            page.locator(".st-key-case_scenario input").first.click()
            page.get_by_role("option", name=SCENARIO_TITLE).click()
            drive.settle()
            expect(page.get_by_role("heading", name=SCENARIO_TITLE)).to_be_visible()
            drive.snap("01-case")
            drive.click("start")
            expect(page.get_by_role("heading", name="Programming", exact=True)).to_be_visible()

            # Programming: contact 1 cathode, raise amplitude, apply, stimulation on, examine.
            # The mouse rests on contact 0 first: nothing it shows may cover contact 1 above.
            page.locator(".st-key-contact_left_0 button").first.hover()
            time.sleep(1.0)
            drive.click("contact_left_1")
            expect(page.locator(".st-key-contact_left_1 button").first).to_have_text("1 −")
            drive.fill("amp_left", "2.5")
            drive.click("apply_left")
            expect(page.get_by_text("Applied: 1- · 2.5 mA · 60 µs · 130 Hz")).to_be_visible()
            drive.click("stim_on")
            drive.click("examine")
            expect(page.get_by_text("Last exam", exact=False)).to_be_visible()
            # Raise in 1 mA steps until the patient reports a side effect.
            for amplitude in ("3.5", "4.5"):
                drive.fill("amp_left", amplitude)
                drive.click("apply_left")
                drive.click("examine")
            drive.click("ask")
            expect(page.locator("blockquote").first).to_be_visible()
            drive.snap("02-programming")

            # Monopolar review: record the efficacy and side-effect thresholds of contact 1.
            drive.go("Monopolar review")
            drive.fill("thr_amp_left", "2.5", commit="Tab")
            drive.click("thr_submit_left")
            table = page.locator(".st-key-review_table_left")
            expect(table).to_be_visible()
            page.locator(".st-key-thr_kind_left").get_by_text("Side effect", exact=False).click()
            drive.fill("thr_amp_left", "4.5", commit="Tab")
            drive.click("thr_submit_left")
            # Out of the device's range: refused beside the form, never the old value recorded.
            drive.fill("thr_amp_left", "40", commit="Tab")
            drive.click("thr_submit_left")
            expect(page.get_by_text("amplitude_ma:", exact=False).first).to_be_visible()
            assert recorded_thresholds(server) == [2.5, 4.5], "only what was typed and valid"
            drive.fill("thr_amp_left", "", commit="Tab")
            drive.snap("03-monopolar-review")

            # Back below the side-effect threshold for chronic stimulation.
            drive.go("Programming")
            drive.fill("amp_left", "3.5")
            drive.click("apply_left")

            # Follow-up: a month later, examine again.
            drive.go("Follow-up")
            drive.click("visit_30")
            drive.click("examine")
            expect(page.get_by_text("day 30", exact=False).first).to_be_visible()
            drive.snap("04-follow-up")

            # Finish, then the debrief with the 3D anatomy painted.
            drive.click("finish_confirm", "label")
            drive.click("finish")
            expect(page.get_by_role("heading", name="Debrief", exact=True)).to_be_visible()
            drive.click("debrief_3d", "label")
            figure = page.locator(".st-key-anatomy_fig .js-plotly-plot").first
            expect(figure).to_be_visible(timeout=60_000)
            expect(figure.locator("canvas").first).to_be_visible()
            time.sleep(1.5)  # WebGL needs a moment to paint
            figure.screenshot(path=str(ARTIFACTS / "debrief-3d.png"))
            drive.snap("05-debrief", extra_s=1.5)
        finally:
            browser.close()
    assert (ARTIFACTS / "05-debrief.png").stat().st_size > 10_000
