"""Times the app in a real browser (issue 13): prints medians and maxima, asserts nothing.

Starts ``streamlit run app.py`` on 127.0.0.1 (a free port, a throw-away SQLite store),
drives Debian's Chromium (``/usr/bin/chromium``; never ``playwright install``) through a
few sessions of the generalised-dystonia case and times, per session:

- first load: opening the app until the Case page is drawn and the script is idle;
- session start: Start until the Programming page is drawn;
- page switch: a sidebar click until the new page is drawn (Programming ↔ review/follow-up);
- apply, examine: one click each until the rerun ends;
- finish → debrief: Finish until the Debrief page is drawn;
- reopen: a new browser tab opening the finished session's link until the Debrief is drawn.

"Drawn" means the page's heading is visible and Streamlit's script-run state
(``data-test-script-state`` on the app root, watched by a MutationObserver in the page)
has left ``running`` and stayed idle for 0.3 s; the time is that of the last run's end.
Plotly's WebGL painting after the script ends is not included.

Run: ``.venv/bin/python benchmarks/browser.py [--sessions 3]``. Needs ``apt-get install -y
chromium``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Server

GOALS_S = {
    "first load": 1.5,
    "session start": 1.0,
    "page switch": 0.5,
    "apply": None,
    "examine": None,
    "finish → debrief": 1.5,
    "reopen by link": 1.5,
}
_WATCH = """() => {
  const root = document.querySelector('[data-testid="stApp"]');
  window.__dbssimRuns = [];
  new MutationObserver(() => {
    window.__dbssimRuns.push([root.getAttribute('data-test-script-state'), performance.now()]);
  }).observe(root, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
_IDLE_SINCE = """(quiet) => {
  const root = document.querySelector('[data-testid="stApp"]');
  if (!root || root.getAttribute('data-test-script-state') === 'running') return null;
  const runs = window.__dbssimRuns || [];
  const last = runs.length ? runs[runs.length - 1][1] : 0;
  return performance.now() - last >= quiet ? last : null;
}"""


class Timer:
    """Times one interaction in the page's own clock, from before the action to idle."""

    def __init__(self, page: Any):
        self.page = page
        page.evaluate(_WATCH)

    def time(self, action: Any, heading: str | None = None, quiet_ms: int = 300) -> float:
        self.page.evaluate("() => { window.__dbssimRuns = []; }")
        t0 = self.page.evaluate("() => performance.now()")
        action()
        # A rerun that has not started yet looks idle: wait for one state change first
        # (an action that reruns nothing is idle at once).
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function(
                "() => (window.__dbssimRuns || []).length > 0", timeout=5_000
            )
        if heading is not None:
            self.page.get_by_role("heading", name=heading, exact=True).wait_for()
        end = self.page.wait_for_function(_IDLE_SINCE, arg=quiet_ms).json_value()
        return (float(end) - float(t0)) / 1e3


def load_app(page: Any, url: str, ready_selector: str, heading: str | None) -> float:
    """Open a URL in a fresh tab; seconds until the page is drawn and the script is idle."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready_selector)
    if heading is not None:
        page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-testid=\"stApp\"]');"
        " return r && r.getAttribute('data-test-script-state') === 'notRunning'; }"
    )
    return time.perf_counter() - t0


def one_session(browser: Any, url: str, results: dict[str, list[float]]) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(90_000)
    results["first load"].append(load_app(page, url, ".st-key-start button", None))
    timer = Timer(page)  # the Case page opens on the generalised-dystonia case

    def click(key: str, selector: str = "button") -> Any:
        return lambda: page.locator(f".st-key-{key} {selector}").first.click()

    def go(name: str) -> Any:
        sidebar = page.locator('[data-testid="stSidebar"]')
        return lambda: sidebar.get_by_text(name, exact=True).click()

    results["session start"].append(timer.time(click("start"), "Programming"))
    timer.time(click("contact_left_1"))
    timer.time(click("stim_on"))
    for amplitude in ("1.5", "2.5", "3.5"):
        field = page.locator(".st-key-amp_left input").first
        field.fill(amplitude)
        timer.time(lambda f=field: f.press("Enter"))
        results["apply"].append(timer.time(click("apply_left")))
        results["examine"].append(timer.time(click("examine")))
    for name in ("Monopolar review", "Programming", "Follow-up", "Programming"):
        results["page switch"].append(timer.time(go(name), name))
    timer.time(click("finish_confirm", "label"))
    results["finish → debrief"].append(timer.time(click("finish"), "Debrief"))
    link = page.url
    context.close()
    reopened = browser.new_context(viewport=VIEWPORT)
    page = reopened.new_page()
    page.set_default_timeout(90_000)
    results["reopen by link"].append(load_app(page, link, '[data-testid="stApp"]', "Debrief"))
    reopened.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3, help="sessions to time (default 3)")
    n_sessions = parser.parse_args().sessions
    if not CHROMIUM.exists():
        print(f"browser benchmark skipped: {CHROMIUM} is missing (apt-get install -y chromium)")
        return
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {name: [] for name in GOALS_S}
    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder))
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                try:
                    for _ in range(n_sessions):
                        one_session(browser, server.url, results)
                finally:
                    browser.close()
        finally:
            server.stop()
    print(f"browser: Chromium, {n_sessions} sessions of the generalised-dystonia case")
    for name, values in results.items():
        goal = GOALS_S[name]
        print(
            f"{'browser: ' + name:<40} median {statistics.median(values):6.2f} s   "
            f"max {max(values):6.2f} s   (n={len(values)}"
            + (f", goal ≤ {goal:g} s)" if goal else ")"),
            flush=True,
        )


if __name__ == "__main__":
    main()
