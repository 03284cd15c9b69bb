"""A stand-in for the app server: several trainees' sessions saving actions non-stop.

Run by ``test_store_crash.py`` as ``python server_like.py N_SESSIONS`` with
``DBSSIM_DATABASE_URL`` set. It prints ``SESSION <id>`` for each session, then
``ACK <id> <index>`` after every saved action (only once ``StoredSession.apply`` has
returned, i.e. committed). It stops by itself after MAX_SECONDS if nobody kills it.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from dbssim.store.service import Store

SCENARIO = "pd-stn"
MAX_SECONDS = 60.0  # a bounded loop: the test kills it long before


def action_for(k: int, index: int) -> dict[str, Any]:
    """Action number ``index`` of session ``k`` (deterministic, so the test can check it)."""
    cycle = index % 4
    if cycle == 0:
        return {
            "action": "set",
            "side": "left",
            "contacts": f"{index // 4 % 4}-",
            "amplitude_ma": 0.5 + 0.5 * (index // 16 % 4),
            "pulse_width_us": 60,
            "frequency_hz": 130,
        }
    if cycle == 1:
        return {"action": "stim_on"} if index == 1 else {"action": "examine"}
    if cycle == 2:
        return {"action": "ask"}
    return {"action": "wait", "minutes": round(1 + k / 10 + index / 1000, 3)}


def main() -> None:
    n_sessions = int(sys.argv[1])
    store = Store.open()
    sessions = [
        store.start_session(SCENARIO, seed=k, trainee=f"crash-{k}") for k in range(n_sessions)
    ]
    for s in sessions:
        print(f"SESSION {s.id}", flush=True)
    deadline = time.monotonic() + MAX_SECONDS
    index = 0
    while time.monotonic() < deadline:
        for k, s in enumerate(sessions):
            entry = s.apply(action_for(k, index))
            print(f"ACK {s.id} {entry['index']}", flush=True)
        index += 1


if __name__ == "__main__":
    main()
