"""Server-side time of revealing a layer on the Demonstration page in projector mode.

Drives app.py with Streamlit's AppTest (no browser) in a temporary store, signed in as an
educator: start a demonstration, turn projector mode on, then time each rerun of "Reveal
next layer" (layers 1-4) and of "Hide all", several rounds; the first round is cold (figure
meshes, true review and expert search computed), later rounds read the caches. The
browser's own painting of the 3D view comes on top (see tests/e2e/test_projector_browser.py,
which prints it). Prints medians; asserts nothing.
Run: ``PYTHONPATH=$PWD .venv/bin/python benchmarks/projector_reveal.py``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
PASSPHRASE = "benchmark passphrase"


def _click(at: AppTest, key: str) -> float:
    t0 = time.perf_counter()
    at.button(key=key).click().run()
    if at.exception:
        raise RuntimeError(at.exception)
    return time.perf_counter() - t0


def run(rounds: int = 4) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DBSSIM_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["DBSSIM_EDUCATOR_PASSPHRASE"] = PASSPHRASE
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.button(key="edu_open").click().run()
        at.text_input(key="edu_pass").input(PASSPHRASE)
        at.button(key="edu_submit").click().run()
        at.sidebar.radio(key="nav_edu").set_value("Demonstration").run()
        at.selectbox(key="demo_case").set_value("dystonia-generalized-gpi")
        at.button(key="demo_start").click().run()
        at.toggle(key="demo_projector").set_value(True).run()
        per_layer: list[list[float]] = [[] for _ in range(4)]
        for _ in range(rounds):
            for layer in range(4):
                per_layer[layer].append(_click(at, "demo_next"))
            _click(at, "demo_hide")
    for layer, times in enumerate(per_layer, start=1):
        print(
            f"{f'projector reveal of layer {layer}: cold / warm median':<58} "
            f"{times[0] * 1e3:8.0f} / {statistics.median(times[1:]) * 1e3:6.0f} ms"
            "   (budget < 2000 ms)"
        )


if __name__ == "__main__":
    run()
