"""Store under a classroom load: 30 simulated trainees, ~50 actions each, at once.

Prints actions per second and the median and 95th-percentile latency of a saved
action (``StoredSession.apply``: the step in memory plus its own committed
transaction), then the same for the database share alone (``append_action``), for
SQLite and, when ``DBSSIM_TEST_POSTGRES_URL`` is set, PostgreSQL. On two cores the
thirty threads mostly wait for each other's simulation steps (Python's GIL): the
"save only" line shows what the database itself costs.
Asserts nothing. Run alone with ``.venv/bin/python benchmarks/store.py``;
``tests/store/test_store_concurrency.py`` drives the same workload and checks it.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dbssim.patient.scenario_library import list_scenario_ids
from dbssim.session.engine import Session
from dbssim.store.service import Store

N_TRAINEES = 30  # issue 5: a class of thirty on one server
N_ACTIONS = 50  # issue 5: about fifty actions each


def trainee_actions(session: Session, k: int, n_actions: int) -> list[dict[str, Any]]:
    """A plausible review for trainee ``k``; its waits are unique to ``k`` (to spot mix-ups)."""
    key = "amplitude_v" if session.scenario.amplitude_mode == "voltage" else "amplitude_ma"
    sides = list(session.patient.sides)
    out: list[dict[str, Any]] = [{"action": "stim_on"}]
    step = 0
    while len(out) < n_actions:
        side = sides[step % len(sides)]
        labels = session.patient.sides[side].lead.labels
        label = labels[(step // len(sides)) % len(labels)]
        amplitude = 0.5 * (1 + step % 4)
        out += [
            {
                "action": "set",
                "side": side,
                "contacts": f"{label}-",
                key: amplitude,
                "pulse_width_us": 60,
                "frequency_hz": 130,
            },
            {"action": "examine"},
            {"action": "ask"},
            {"action": "wait", "minutes": round(1 + k / 100 + step / 10_000, 4)},
        ]
        if step % 4 == 3:
            out.append(
                {
                    "action": "record_threshold",
                    "side": side,
                    "contact": label,
                    "kind": "efficacy",
                    key: amplitude,
                    "note": f"trainee {k} step {step}",
                }
            )
        step += 1
    return out[:n_actions]


@dataclass
class TraineeRun:
    k: int
    session_id: str = ""
    actions: list[dict[str, Any]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class LoadResult:
    runs: list[TraineeRun]
    wall_s: float

    @property
    def n_actions(self) -> int:
        return sum(len(r.latencies_s) for r in self.runs)

    @property
    def actions_per_s(self) -> float:
        return self.n_actions / self.wall_s

    def latency_ms(self, q: float) -> float:
        lat = sorted(x for r in self.runs for x in r.latencies_s)
        return 1e3 * statistics.quantiles(lat, n=100, method="inclusive")[round(q) - 1]

    def summary(self, backend: str) -> str:
        return (
            f"store [{backend}]: {len(self.runs)} trainees x {self.n_actions // len(self.runs)} "
            f"actions: {self.actions_per_s:.0f} actions/s, saved action p50 "
            f"{self.latency_ms(50):.1f} ms, p95 {self.latency_ms(95):.1f} ms"
        )


def _run_together(
    runs: list[TraineeRun], work: Callable[[TraineeRun], None], barrier: threading.Barrier
) -> LoadResult:
    """One thread per run, released together by ``barrier``; wall time from the release."""
    threads = [threading.Thread(target=work, args=(r,)) for r in runs]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return LoadResult(runs, time.perf_counter() - t0)


def run_trainees(
    store: Store, n_trainees: int = N_TRAINEES, n_actions: int = N_ACTIONS
) -> LoadResult:
    """Run the trainees in threads against one store; each applies its actions one by one."""
    ids = list_scenario_ids()
    runs = [TraineeRun(k) for k in range(n_trainees)]
    stored = [
        store.start_session(ids[k % len(ids)], seed=k, trainee=f"trainee-{k:02d}")
        for k in range(n_trainees)
    ]
    barrier = threading.Barrier(n_trainees + 1)

    def work(run: TraineeRun) -> None:
        s = stored[run.k]
        run.session_id = s.id
        run.actions = trainee_actions(s.session, run.k, n_actions)
        barrier.wait()
        try:
            for action in run.actions:
                t0 = time.perf_counter()
                s.apply(action)
                run.latencies_s.append(time.perf_counter() - t0)
        except BaseException as exc:  # reported by the caller
            run.error = exc
        run.log = s.session.log

    return _run_together(runs, work, barrier)


def run_writers(
    store: Store, n_trainees: int = N_TRAINEES, n_actions: int = N_ACTIONS
) -> LoadResult:
    """The database share alone: the same actions saved by ``append_action``, no simulation."""
    ids = list_scenario_ids()
    runs = [TraineeRun(k) for k in range(n_trainees)]
    for run in runs:
        session = Session.start(ids[run.k % len(ids)], seed=run.k)
        run.actions = trainee_actions(session, run.k, n_actions)
        run.session_id = store.create_session(session.scenario, run.k, f"writer-{run.k:02d}").id
    barrier = threading.Barrier(n_trainees + 1)

    def work(run: TraineeRun) -> None:
        barrier.wait()
        try:
            for index, action in enumerate(run.actions):
                t0 = time.perf_counter()
                store.append_action(run.session_id, index, action)
                run.latencies_s.append(time.perf_counter() - t0)
        except BaseException as exc:  # reported by the caller
            run.error = exc

    return _run_together(runs, work, barrier)


def _measure(store: Store) -> None:
    print(run_trainees(store).summary(store.backend), flush=True)
    print(run_writers(store).summary(f"{store.backend}, save only"), flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite3'}") as store:
            _measure(store)
    url = os.environ.get("DBSSIM_TEST_POSTGRES_URL")
    if not url:
        print("store [postgresql]: skipped (DBSSIM_TEST_POSTGRES_URL is not set)")
        return
    with Store.open(url) as store:  # note: adds sessions to that database
        _measure(store)


if __name__ == "__main__":
    main()
