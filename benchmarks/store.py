"""Store under a classroom load: 30 simulated trainees, ~50 actions each, at once.

Prints actions per second and the median and 95th-percentile latency of a saved
action (``StoredSession.apply``: the step in memory plus its own committed
transaction), then the same for the database share alone (``append_action``), for
SQLite and, when ``DBSSIM_TEST_POSTGRES_URL`` is set, PostgreSQL. On two cores the
thirty threads mostly wait for each other's simulation steps (Python's GIL): the
"save only" line shows what the database itself costs.
Asserts nothing. Run alone with ``.venv/bin/python benchmarks/store.py``;
``tests/store/test_store_concurrency.py`` drives the same workload and checks it.

``benchmarks/store.py --servers 2 --trainees 60`` (issue 13, a department) needs
``DBSSIM_TEST_POSTGRES_URL`` (``source .ci/postgres.sh && pg_test_start``): it starts two
app-server processes on that one database, each with half of the trainees in threads, all
released at one instant, then reads every session back and counts the actions that were
lost (sent, not stored) or mixed (stored in another trainee's session or out of order).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
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
    store: Store,
    n_trainees: int = N_TRAINEES,
    n_actions: int = N_ACTIONS,
    trainees: list[int] | None = None,
    start_at: float | None = None,
) -> LoadResult:
    """Run the trainees in threads against one store; each applies its actions one by one.

    ``trainees`` picks which trainee numbers this process runs (default all); with
    ``start_at`` (a ``time.time()``) the threads are released at that instant, so that
    several processes start together.
    """
    ids = list_scenario_ids()
    ks = list(range(n_trainees)) if trainees is None else trainees
    runs = [TraineeRun(k) for k in ks]
    stored = {
        k: store.start_session(ids[k % len(ids)], seed=k, trainee=f"trainee-{k:02d}") for k in ks
    }
    barrier = threading.Barrier(len(runs) + 1, action=_sleep_until(start_at))

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


def _sleep_until(start_at: float | None) -> Callable[[], None] | None:
    if start_at is None:
        return None
    return lambda: time.sleep(max(0.0, start_at - time.time()))


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


def _worker(n_trainees: int, n_actions: int, part: int, parts: int, start_at: float) -> None:
    """One app-server process: its share of the trainees; prints its runs as JSON."""
    url = os.environ["DBSSIM_TEST_POSTGRES_URL"]  # from the environment: it holds a password
    mine = [k for k in range(n_trainees) if k % parts == part]
    with Store.open(url) as store:
        result = run_trainees(store, n_trainees, n_actions, mine, start_at)
    print(
        json.dumps(
            {
                "wall_s": result.wall_s,
                "released_at": start_at,
                "runs": [
                    {
                        "k": r.k,
                        "session_id": r.session_id,
                        "actions": r.actions,
                        "latencies_s": r.latencies_s,
                        "error": None if r.error is None else repr(r.error),
                    }
                    for r in result.runs
                ],
            }
        )
    )


def several_servers(n_servers: int, n_trainees: int, n_actions: int) -> None:
    """``n_servers`` processes on one PostgreSQL; throughput, latency, lost and mixed actions."""
    url = os.environ.get("DBSSIM_TEST_POSTGRES_URL")
    if not url:
        print("store [postgresql, several servers]: skipped (DBSSIM_TEST_POSTGRES_URL not set)")
        return
    start_at = time.time() + 20.0 + 0.5 * n_trainees  # time for every process to prepare
    script = str(Path(__file__).resolve())
    procs = [
        subprocess.Popen(
            [sys.executable, script, "--worker", f"{part}/{n_servers}", "--trainees",
             str(n_trainees), "--actions", str(n_actions), "--start-at", repr(start_at)],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for part in range(n_servers)
    ]  # fmt: skip
    outputs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    runs = [run for out in outputs for run in out["runs"]]
    latencies = sorted(x for run in runs for x in run["latencies_s"])
    wall_s = max(out["wall_s"] for out in outputs)
    errors = [run["error"] for run in runs if run["error"]]
    sent = sum(len(run["latencies_s"]) for run in runs)
    lost = mixed = 0
    with Store.open(url) as store:
        for run in runs:
            _, saved = store.load_session(run["session_id"])
            applied = run["actions"][: len(run["latencies_s"])]
            lost += max(0, len(applied) - len(saved))
            mixed += sum(1 for a, b in zip(applied, saved, strict=False) if a != b)
            mixed += max(0, len(saved) - len(applied))
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"store [postgresql, {n_servers} server processes]: {len(runs)} trainees x "
        f"{sent // max(1, len(runs))} actions: {sent / wall_s:.0f} actions/s, saved action "
        f"p50 {1e3 * q[49]:.1f} ms, p95 {1e3 * q[94]:.1f} ms; {lost} actions lost, "
        f"{mixed} mixed, {len(errors)} errors",
        flush=True,
    )
    for error in errors[:3]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description="store benchmarks (prints, asserts nothing)")
    parser.add_argument("--servers", type=int, default=0, help="app-server processes (≥ 2)")
    parser.add_argument("--trainees", type=int, default=N_TRAINEES)
    parser.add_argument("--actions", type=int, default=N_ACTIONS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # "PART/PARTS", internal
    parser.add_argument("--start-at", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        part, parts = (int(x) for x in args.worker.split("/"))
        _worker(args.trainees, args.actions, part, parts, args.start_at)
        return
    if args.servers >= 2:
        several_servers(args.servers, args.trainees, args.actions)
        return
    single_server()


def single_server() -> None:
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
