"""A server killed with SIGKILL mid-session loses no acknowledged action (issue 5)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from dbssim.session.engine import Session
from dbssim.store.service import Store
from tests.store.server_like import SCENARIO, action_for

SCRIPT = Path(__file__).with_name("server_like.py")
ROOT = Path(__file__).resolve().parents[2]
N_SESSIONS = 5
ACKS_BEFORE_KILL = 120  # about 24 actions per session
START_TIMEOUT_S = 90.0


@pytest.mark.slow
def test_server_killed_mid_session_resumes_every_session(store_url: str) -> None:
    env = {**os.environ, "DBSSIM_DATABASE_URL": store_url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(N_SESSIONS)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    acked: dict[str, list[int]] = defaultdict(list)
    order: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        assert proc.stdout is not None
        n_acks = 0
        while n_acks < ACKS_BEFORE_KILL and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            kind, session_id, *rest = line.split()
            if kind == "SESSION":
                order.append(session_id)
            else:
                acked[session_id].append(int(rest[0]))
                n_acks += 1
        if n_acks < ACKS_BEFORE_KILL:
            proc.kill()
            _, err = proc.communicate(timeout=30)
            pytest.fail(f"the server saved only {n_acks} actions, then stopped:\n{err[-2000:]}")
        proc.send_signal(signal.SIGKILL)  # mid-session, most likely mid-transaction
        rest_out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"server exit code {proc.returncode}"
    for line in rest_out.splitlines():  # acknowledgements already in the pipe
        kind, session_id, *rest = line.split()
        if kind == "ACK":
            acked[session_id].append(int(rest[0]))

    with Store.open(store_url) as store:
        assert {r.id for r in store.list_sessions()} == set(order), "sessions lost or added"
        for k, session_id in enumerate(order):
            record, actions = store.load_session(session_id)
            n_acked = max(acked[session_id], default=-1) + 1
            assert len(actions) >= n_acked, (
                f"session {k}: {n_acked} actions acknowledged, only {len(actions)} stored"
            )
            assert len(actions) <= n_acked + 1, f"session {k}: more stored than ever applied"
            expected = [action_for(k, i) for i in range(len(actions))]
            assert actions == expected, f"session {k}: stored actions differ from those applied"
            assert record.trainee == f"crash-{k}", f"session {k} is {record.trainee}"
            resumed = store.open_session(session_id)
            replayed = Session.replay(SCENARIO, k, expected)
            assert resumed.session.log == replayed.log, f"session {k}: resumed log differs"
            entry = resumed.apply(action_for(k, len(actions)))  # and the trainee carries on
            assert entry["index"] == len(actions)
