"""Refresh the README screenshots in docs/screenshots/ by running the browser test.

Usage: ``.venv/bin/python scripts/screenshots.py`` (needs /usr/bin/chromium).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    env = os.environ | {"DBSSIM_SCREENSHOT_DIR": "docs/screenshots"}
    command = [sys.executable, "-m", "pytest", "-q", "-m", "browser", "tests/e2e"]
    return subprocess.run(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, check=False
    ).returncode


if __name__ == "__main__":
    raise SystemExit(main())
