"""Server-side time of one app rerun after a settings change (DESIGN §7: < 150 ms).

Drives app.py with Streamlit's AppTest (no browser): start the generalised-dystonia case,
then time the rerun triggered by each amplitude change + Apply on the Programming page.
Prints medians; asserts nothing. Run: ``.venv/bin/python benchmarks/app_rerun.py``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def run(repeat: int = 15) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.selectbox(key="case_scenario").set_value("dystonia-generalized-gpi").run()
    at.button(key="start").click().run()
    at.button(key="contact_left_1").click().run()
    at.button(key="stim_on").click().run()
    apply_times, examine_times = [], []
    for k in range(repeat):
        at.number_input(key="amp_left").set_value(1.0 + 0.1 * k)
        t0 = time.perf_counter()
        at.button(key="apply_left").click().run()
        apply_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.button(key="examine").click().run()
        examine_times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(at.exception)
    print(
        f"{'app rerun after Apply (Programming page)':<58} "
        f"{statistics.median(apply_times) * 1e3:10.1f} ms   (budget < 150 ms)"
    )
    print(
        f"{'app rerun after Examine (Programming page)':<58} "
        f"{statistics.median(examine_times) * 1e3:10.1f} ms   (budget < 150 ms)"
    )


if __name__ == "__main__":
    run()
