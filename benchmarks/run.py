"""Benchmarks against the budgets of DESIGN §7. Prints medians; asserts nothing.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py``).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dbssim.activation import build_grey_region_field  # noqa: E402
from dbssim.field import compute_unit_solution  # noqa: E402
from dbssim.leads import get_lead  # noqa: E402
from dbssim.vta import compute_vta  # noqa: E402

RESULTS: list[tuple[str, float, str]] = []


def bench(name: str, fn: Callable[[], object], repeat: int, budget: str) -> None:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    median_ms = statistics.median(times) * 1e3
    RESULTS.append((name, median_ms, budget))
    print(f"{name:<58} {median_ms:10.3f} ms   (budget {budget})", flush=True)


def core() -> None:
    lead = get_lead("medtronic-3389")
    rng = np.random.default_rng(0)
    pts = rng.uniform([-10, -10, -5], [10, 10, 20], size=(20_000, 3))
    bench("precompute: 3389, 20 000 points, unit solution", lambda: compute_unit_solution(
        lead, pts), 5, "< 1 s with a scenario")  # fmt: skip
    region = build_grey_region_field(lead, pts, None, 0.1)
    currents = np.array([0.0, -3.0, 0.0, 0.0])
    bench("one evaluation: field + activation, 20 000 points", lambda: region.activated_fraction(
        currents, 60, 0.2, 100), 50, "< 1 ms for a whole scenario")  # fmt: skip
    bench("VTA with mesh: 3389 contact 1, 3 mA, 60 µs", lambda: compute_vta(
        lead, currents, 60), 5, "none set")  # fmt: skip


def main() -> None:
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    core()
    for extra in EXTRA_SECTIONS:
        extra()


EXTRA_SECTIONS: list[Callable[[], None]] = []

if __name__ == "__main__":
    main()
