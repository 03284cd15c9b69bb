"""A live session bound to the store: every action saved before it counts.

:class:`StoredSession` applies an action in memory, then saves it; when the save fails
the in-memory step is undone (the session is rebuilt from its earlier actions), so memory
and store never diverge. A finish is scored first, by the store's injected scorer and
outside the session's lock (the expert search takes about a second), then saved with its
debrief in one transaction; the debrief is kept, so nothing searches again.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from dbssim.session.engine import Session
from dbssim.store.records import SessionRecord

if TYPE_CHECKING:
    from dbssim.store.sessions import SessionStore


class StoredSession:
    """A live :class:`Session` whose every applied action is saved before it counts."""

    def __init__(self, store: SessionStore, record: SessionRecord, session: Session):
        self.store = store
        self._record = record
        self._session = session
        self._lock = threading.Lock()
        self._debrief: dict[str, Any] | None = None
        if session.finished:
            self._debrief = store.load_debrief(record.id)
            if self._debrief is None and store.can_score:
                # Finished before the debrief was kept with the finish (revision 0003),
                # or by a version that wrote the finish and its scores apart.
                self._debrief = store.score(session)
                self._record = store.finish(record.id, self._debrief)

    @property
    def record(self) -> SessionRecord:
        return self._record

    @property
    def session(self) -> Session:
        """The live session: read it, but change it only through :meth:`apply`."""
        return self._session

    @property
    def debrief(self) -> dict[str, Any] | None:
        """The debrief saved with the finish: expert program, outcomes, scores, true review.

        None while the session runs. Read back from the store, never searched again.
        """
        return self._debrief

    @property
    def id(self) -> str:
        return self._record.id

    @property
    def code(self) -> str:
        return self._record.code

    def apply(self, action: dict[str, Any]) -> dict[str, Any]:
        """Apply one action and save it; return its log entry (see :meth:`Session.apply`)."""
        with self._lock:
            entry = self._session.apply(action)  # a refused action raises here: nothing saved
            if not self._session.finished:
                self._save(entry["index"], action, None)
                return entry
            finished = self._session
        # Outside the lock: the session in memory is finished, so no other action can slip
        # in while the scorer runs; nothing is saved until the scores are known.
        try:
            debrief = self.store.score(finished)
        except BaseException:
            with self._lock:
                self._undo()
            raise
        with self._lock:
            self._save(entry["index"], action, debrief)
            self._debrief = debrief
            self._record = self.store.load_session(self._record.id)[0]
        return entry

    def _save(self, index: int, action: dict[str, Any], debrief: dict[str, Any] | None) -> None:
        try:
            self.store.append_action(self._record.id, index, action, debrief)
        except BaseException:
            self._undo()
            raise

    def _undo(self) -> None:
        """Drop the last action from memory (it was not saved)."""
        s = self._session
        self._session = Session.replay(
            s.scenario, s.seed, s.actions()[:-1], random_patient=s.random_patient
        )
