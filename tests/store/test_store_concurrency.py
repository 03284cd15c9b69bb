"""Thirty trainees at once against one store lose no action and mix no sessions (issue 5).

The figures (actions per second, latency of a saved action) are printed, not asserted:
run with ``-s`` to see them, or ``.venv/bin/python benchmarks/store.py``.
"""

from __future__ import annotations

import pytest

from benchmarks.store import N_ACTIONS, N_TRAINEES, run_trainees
from dbssim.store.service import Store


@pytest.mark.slow
def test_thirty_concurrent_trainees_lose_nothing_and_mix_nothing(store: Store) -> None:
    result = run_trainees(store, N_TRAINEES, N_ACTIONS)
    errors = [(r.k, repr(r.error)) for r in result.runs if r.error is not None]
    assert errors == [], f"trainees failed: {errors}"
    print(f"\n{result.summary(store.backend)}")
    records = {r.id: r for r in store.list_sessions()}
    assert len(records) == N_TRAINEES, f"{len(records)} sessions stored, {N_TRAINEES} expected"
    for run in result.runs:
        record, actions = store.load_session(run.session_id)
        assert record.trainee == f"trainee-{run.k:02d}", f"session of {run.k} is {record.trainee}"
        assert actions == run.actions, (
            f"trainee {run.k}: {len(actions)} stored actions, {len(run.actions)} applied; "
            "stored actions differ from the ones applied"
        )
        assert store.resume(run.session_id).log == run.log, f"trainee {run.k}: resumed log differs"
    total = sum(r.n_actions for r in records.values())
    assert total == N_TRAINEES * N_ACTIONS, f"{total} actions stored"
