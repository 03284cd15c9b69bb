"""Shared pieces of the browser tests: a Streamlit server process and a page driver.

Chromium is Debian's (``/usr/bin/chromium``, never ``playwright install``); without it a
browser test is skipped locally and fails under ``CI=true``. Every server gets its own
temporary SQLite store, so browser tests never write into the repository's ``data/``.
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
VIEWPORT = {"width": 1440, "height": 1000}
TIMEOUT_MS = 30_000


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``streamlit run app.py`` on a free port of 127.0.0.1, restartable on the same port."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.env = {
            **os.environ,
            "DBSSIM_DATABASE_URL": f"sqlite:///{workdir / 'dbssim.sqlite3'}",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--client.toolbarMode", "minimal",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_healthy()
        except Exception:
            print(self.log_path.read_text(errors="replace"))
            self.stop()
            raise

    def _wait_healthy(self, timeout_s: float = 60) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode() == "ok":
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"streamlit did not become healthy at {self.url} within {timeout_s} s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        self.process = None


def _same_value(shown: str, typed: str) -> bool:
    """A number field shows 2 as "2.00"; text fields must match exactly."""
    try:
        return float(shown) == float(typed)
    except ValueError:
        return shown == typed


class Driver:
    """Small helpers around a Playwright page showing the Streamlit app."""

    def __init__(
        self, page: Any, shots: Path | None = None, viewport: dict[str, int] | None = None
    ):
        self.page = page
        self.shots = shots
        self.viewport = viewport or VIEWPORT

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
        for _ in range(2):
            field.fill(value)
            field.press(commit)
            self.settle()
            if _same_value(field.input_value(), value):
                return
            # Typed while the previous widget's rerun was still drawing (a loaded machine):
            # that rerun's render replaced the text. A person would see it and type again.
        raise AssertionError(f"{key}: typed {value!r}, the field shows {field.input_value()!r}")

    def go(self, page_name: str) -> None:
        sidebar = self.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text(page_name, exact=True).click()
        self.settle()
        self.page.get_by_role("heading", name=page_name, exact=True).wait_for(timeout=TIMEOUT_MS)

    def snap(self, name: str, extra_s: float = 0.5, publish: bool = True) -> Path:
        """Screenshot the whole page: the viewport grows to the app's height first.

        The picture goes to ``artifacts/``, and with ``publish`` also to the screenshot
        folder given to the driver (the README's, when refreshing them).
        """
        self.page.mouse.move(1, 1)  # no tooltip in the picture
        time.sleep(extra_s)
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll("
            '\'[data-testid="stMain"], [data-testid="stMainBlockContainer"]\')]'
            ".map(e => e.scrollHeight), 900)"
        )
        width = self.viewport["width"]
        self.page.set_viewport_size({"width": width, "height": min(height + 40, 6000)})
        time.sleep(0.8)
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        if publish and self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.shots / f"{name}.png")
        self.page.set_viewport_size(self.viewport)
        time.sleep(0.3)
        return path


def screenshot_dir() -> Path | None:
    """``DBSSIM_SCREENSHOT_DIR`` (see ``scripts/screenshots.py``): README screenshots go there."""
    shots_env = os.environ.get("DBSSIM_SCREENSHOT_DIR")
    return (ROOT / shots_env) if shots_env else None


def serve(tmp_path: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A fixture body: a Streamlit server for one test (Chromium required), stopped after."""
    require_chromium()
    running = Server(tmp_path, env=env or {})
    running.start()
    try:
        yield running
    finally:
        running.stop()
