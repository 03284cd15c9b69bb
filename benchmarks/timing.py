"""The one timing helper of the benchmark scripts: median of repeated calls, printed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def bench(name: str, fn: Callable[[], object], repeat: int, budget: str) -> float:
    """Run ``fn`` once to warm up, then ``repeat`` times; print and return the median in ms."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    median_ms = statistics.median(times) * 1e3
    print(f"{name:<58} {median_ms:10.3f} ms   (budget {budget})", flush=True)
    return median_ms
