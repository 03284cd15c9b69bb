"""Finish is atomic: the finish action, its scores and its debrief are committed together.

Runs on SQLite and on PostgreSQL (see ``conftest.py``). The scorer is injected into the
store (issue 9); it runs once per finished session, outside the session's lock (issue 13),
and the finish time is the finish action's own time (issue 12, item 5).
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

import dbssim.store.sessions as store_sessions
from dbssim.session.engine import Session
from dbssim.session.scoring import debrief
from dbssim.store.database import create_store_engine
from dbssim.store.service import Store, StoreError
from dbssim.store.sql_tables import actions

SCENARIO = "dystonia-generalized-gpi"
STEPS: list[dict[str, Any]] = [
    {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 2.0,
     "pulse_width_us": 60, "frequency_hz": 130},
    {"action": "stim_on"},
    {"action": "examine"},
]  # fmt: skip
FINISH = {"action": "finish"}


def assert_not_finished_anywhere(store: Store, session_id: str, n_actions: int) -> None:
    record, saved = store.load_session(session_id)
    assert len(saved) == n_actions and FINISH not in saved, f"half a finish is stored: {saved}"
    assert not record.finished and record.scores is None, record
    assert store.load_debrief(session_id) is None


@pytest.mark.parametrize("when", ["before", "after"])
def test_finish_and_its_scores_commit_together(
    store: Store, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """A failure between saving the finish action and closing the session leaves neither."""
    stored = store.start_session(SCENARIO, seed=4, trainee="t")
    for action in STEPS:
        stored.apply(action)
    real = store_sessions.record_finish

    def cut(*args: Any, **kwargs: Any) -> None:
        if when == "after":
            real(*args, **kwargs)  # both rows written in the transaction, not yet committed
        raise RuntimeError("power cut")

    monkeypatch.setattr(store_sessions, "record_finish", cut)
    with pytest.raises(RuntimeError, match="power cut"):
        stored.apply(FINISH)
    assert_not_finished_anywhere(store, stored.id, len(STEPS))
    assert not stored.session.finished and len(stored.session.log) == len(STEPS)
    assert stored.debrief is None
    monkeypatch.undo()
    stored.apply(FINISH)  # the trainee presses Finish again
    record, saved = store.load_session(stored.id)
    assert saved[-1] == FINISH and record.finished and record.scores is not None
    saved_debrief = store.load_debrief(stored.id)
    assert saved_debrief is not None and saved_debrief["scores"] == record.scores
    assert stored.debrief == saved_debrief and stored.record == record


def test_finish_time_is_the_finish_action_time(store: Store) -> None:
    stored = store.start_session(SCENARIO, seed=1, trainee="t")
    for action in [*STEPS, FINISH]:
        stored.apply(action)
    record = store.load_session(stored.id)[0]
    assert record.finished_at is not None and record.finished_at == record.last_action_at


def test_scorer_runs_once_outside_the_lock(store_url: str) -> None:
    calls: list[bool] = []
    holder: dict[str, Any] = {}

    def scorer(session: Session) -> dict[str, Any]:
        calls.append(holder["stored"]._lock.locked())
        return debrief(session)

    with Store.open(store_url, scorer=scorer) as store:
        stored = store.start_session(SCENARIO, seed=2, trainee="t")
        holder["stored"] = stored
        for action in [*STEPS, FINISH]:
            stored.apply(action)
        reopened = store.open_session(stored.code)
        assert reopened.debrief == stored.debrief is not None, "read back, not scored again"
    assert calls == [False], f"scored {len(calls)} time(s); under the lock: {calls}"


def test_store_without_scorer_refuses_to_finish(store_url: str) -> None:
    with Store.open(store_url) as store:
        stored = store.start_session(SCENARIO, seed=0, trainee="t")
        stored.apply(STEPS[0])
        with pytest.raises(StoreError, match="scorer"):
            stored.apply(FINISH)
        assert not stored.session.finished
        assert_not_finished_anywhere(store, stored.id, 1)


def test_a_finish_is_only_saved_with_its_debrief(store: Store) -> None:
    record = store.create_session(SCENARIO, seed=0, trainee="t")
    with pytest.raises(StoreError, match="debrief"):
        store.append_action(record.id, 0, FINISH)
    with pytest.raises(StoreError, match="debrief"):
        store.append_action(record.id, 0, {"action": "examine"}, {"scores": {}})
    assert_not_finished_anywhere(store, record.id, 0)


def test_older_finish_completed_on_reopen_at_the_finish_time(store: Store, store_url: str) -> None:
    """A finish saved without scores (by a version before the debrief column) is completed
    when the session is next opened, and keeps its own finish time."""
    record = store.create_session(SCENARIO, seed=0, trainee="t")
    finish_time = datetime.now(UTC) - timedelta(days=2)
    engine = create_store_engine(store_url)
    try:
        with engine.begin() as conn:
            for index, action in enumerate([{"action": "examine"}, FINISH]):
                row = {"session_id": record.id, "action_index": index, "action": action}
                conn.execute(insert(actions).values(row | {"created_at": finish_time}))
    finally:
        engine.dispose()
    reopened = store.open_session(record.id)
    assert reopened.record.finished and reopened.record.scores is not None
    assert reopened.record.finished_at == finish_time, "the finish time is the action's"
    assert reopened.debrief is not None and store.load_debrief(record.id) == reopened.debrief


def test_the_store_does_not_import_the_scorer() -> None:
    """The scorer reaches the store by injection (issue 9): no store module imports it."""
    folder = Path(store_sessions.__file__).parent
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            assert not [n for n in names if n.startswith("dbssim.session.scoring")], path
