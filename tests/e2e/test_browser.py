"""The main path once in a real browser: Streamlit server + Chromium through Playwright.

case → start → contact 1 cathode → raise amplitude → apply → stimulation on → examine →
record a threshold → follow-up visit → finish → debrief with the 3D anatomy painted.

Screenshots go to ``artifacts/``; with ``DBSSIM_SCREENSHOT_DIR`` set (see
``scripts/screenshots.py``) one screenshot per page is also written there for the README.
Without Chromium the test is skipped locally and fails under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
ARTIFACTS = ROOT / "artifacts"
SCENARIO_TITLE = "Generalised dystonia, bilateral GPi, 4 weeks after surgery"
VIEWPORT = {"width": 1440, "height": 1000}
TIMEOUT_MS = 30_000

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout_s} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server on a free port, stopped after the module."""
    _require_chromium()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    except Exception:
        print(log_path.read_text(errors="replace"))
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


class Driver:
    """Small helpers around a Playwright page showing the Streamlit app."""

    def __init__(self, page: Any, shots: Path | None):
        self.page = page
        self.shots = shots

    def settle(self, extra_s: float = 0.3) -> None:
        """Wait until Streamlit has finished rerunning the script."""
        time.sleep(0.25)
        self.page.wait_for_selector(
            '[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS
        )
        time.sleep(extra_s)

    def click(self, key: str, selector: str = "button") -> None:
        self.page.locator(f".st-key-{key} {selector}").first.click()
        self.settle()

    def fill(self, key: str, value: str, commit: str = "Enter") -> None:
        """Type a value; Enter commits a widget, Tab leaves a form field for its submit."""
        field = self.page.locator(f".st-key-{key} input").first
        field.fill(value)
        field.press(commit)
        self.settle()

    def go(self, page_name: str) -> None:
        sidebar = self.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text(page_name, exact=True).click()
        self.settle()
        self.page.get_by_role("heading", name=page_name, exact=True).wait_for(timeout=TIMEOUT_MS)

    def snap(self, name: str, extra_s: float = 0.5) -> Path:
        """Screenshot the whole page: the viewport grows to the app's height first."""
        self.page.mouse.move(1, 1)  # no tooltip in the picture
        time.sleep(extra_s)
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll("
            '\'[data-testid="stMain"], [data-testid="stMainBlockContainer"]\')]'
            ".map(e => e.scrollHeight), 900)"
        )
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 40, 6000)})
        time.sleep(0.8)
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.shots / f"{name}.png")
        self.page.set_viewport_size(VIEWPORT)
        time.sleep(0.3)
        return path


def test_main_path_in_chromium(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots_env = os.environ.get("DBSSIM_SCREENSHOT_DIR")
    shots = (ROOT / shots_env) if shots_env else None
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
            figure = page.locator(".st-key-anatomy_fig .js-plotly-plot").first
            expect(figure).to_be_visible(timeout=60_000)
            expect(figure.locator("canvas").first).to_be_visible()
            time.sleep(1.5)  # WebGL needs a moment to paint
            figure.screenshot(path=str(ARTIFACTS / "debrief-3d.png"))
            drive.snap("05-debrief", extra_s=1.5)
        finally:
            browser.close()
    assert (ARTIFACTS / "05-debrief.png").stat().st_size > 10_000
