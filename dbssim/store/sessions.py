"""Sessions in the store: each one a scenario snapshot, a seed and an append-only action log.

Every action is saved in its own transaction, numbered 0, 1, 2, ... per session; a
duplicate or a gap is refused, so two windows on one session cannot interleave. The
finish action is saved in ONE transaction with the session's debrief and scores (computed
before, outside any lock), and the session's finish time is that action's time: no reader
ever sees a finished session without its scores, or a finish action without the session
being finished. A session is rebuilt by replaying its actions
(:meth:`dbssim.session.engine.Session.replay`), which gives the identical log.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dbssim.patient.scenario_schema import Scenario
from dbssim.session.engine import Session, SessionError
from dbssim.store.cases import CaseStore
from dbssim.store.classes import CODE_ATTEMPTS
from dbssim.store.database import now_utc
from dbssim.store.records import (
    DEMONSTRATION,
    MAX_DEBRIEF_BYTES,
    SESSION_CODE_CHARS,
    SESSION_KINDS,
    SessionRecord,
    StoreError,
    as_utc,
    check_action_payload,
    check_comment,
    check_name,
    check_seed,
    new_code,
    record_from_row,
    same_trainee,
    session_key_clause,
    session_query,
    session_record,
    shown,
)
from dbssim.store.sql_tables import actions, classes, sessions

FINISH = "finish"


class SessionStore(CaseStore):
    """Sessions and their action logs: create, append, finish, load, replay, list."""

    def create_session(
        self,
        scenario_id: str | Scenario,
        seed: int,
        trainee: str,
        class_id: int | None = None,
        random_patient: bool = False,
        kind: str = "trainee",
    ) -> SessionRecord:
        """Store a new, empty session and return its record (id and resume code).

        A session in a class is refused once its pseudonym has used the class's attempts
        (or has one in progress); a practice session (no class) is refused on the case
        of an open class, whose patient and answer must stay secret until it closes. A
        ``kind="demonstration"`` session is an educator's: no code opens it.
        """
        scenario = self.scenario_of(scenario_id)
        check_seed(seed)
        check_name("trainee", trainee)
        if kind not in SESSION_KINDS:
            raise StoreError("kind", f"'{kind}' is not a session kind; allowed: {SESSION_KINDS}")
        row = {
            "trainee": trainee,
            "class_id": class_id,
            "scenario_id": scenario.id,
            "scenario_json": scenario.model_dump_json(),
            "seed": int(seed),
            "random_patient": bool(random_patient),
            "created_at": now_utc(),
            "kind": kind,
        }
        for _ in range(CODE_ATTEMPTS):
            row |= {"id": str(uuid.uuid4()), "code": new_code(SESSION_CODE_CHARS)}
            try:
                with self._transaction(write=True) as conn:
                    if class_id is not None:
                        _check_attempts(conn, class_id, trainee)
                    elif kind != DEMONSTRATION:
                        _check_practice(conn, scenario.id)
                    conn.execute(insert(sessions).values(row))
            except IntegrityError:
                continue  # the random resume code clashed: draw again
            return session_record(row, n_actions=0, last_action_at=None)
        raise StoreError("code", "could not draw an unused resume code; try again")

    def append_action(
        self,
        session_id: str,
        index: int,
        action: dict[str, Any],
        debrief: Mapping[str, Any] | None = None,
    ) -> None:
        """Save action number ``index`` (0, 1, 2, ...) of a session, in one transaction.

        A finish action comes with the session's ``debrief`` (the scorer's answer, with
        its ``"scores"``): the action, the scores and the finish time are committed
        together, or none of them.

        Raises
        ------
        StoreError
            ``index`` is not the next number (a duplicate or a gap), the session is
            unknown or finished, the action is not a JSON object of plain values, or a
            finish comes without its debrief (or another action with one).
        """
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise StoreError("index", f"must be an integer >= 0 (got {index!r})")
        check_action_payload(action)
        finishing = action.get("action") == FINISH
        if finishing != (debrief is not None):
            what = "a finish is saved with its debrief" if finishing else "only a finish has one"
            raise StoreError("debrief", f"{what} (StoredSession.apply scores the session)")
        if debrief is not None:
            check_debrief(debrief)
        with self._transaction(write=True) as conn:
            head = conn.execute(
                select(sessions.c.finished_at).where(sessions.c.id == session_id).with_for_update()
            ).first()
            if head is None:
                raise StoreError("session_id", f"no session with id {session_id!r}")
            if head.finished_at is not None:
                raise StoreError("session_id", "the session is finished; no action is accepted")
            expected = conn.execute(
                select(func.coalesce(func.max(actions.c.action_index) + 1, 0)).where(
                    actions.c.session_id == session_id
                )
            ).scalar_one()
            if index != expected:
                what = "already saved (a duplicate)" if index < expected else "out of order"
                raise StoreError("index", f"action {index} is {what}; the next index is {expected}")
            saved_at = now_utc()
            try:
                conn.execute(
                    insert(actions).values(
                        session_id=session_id,
                        action_index=index,
                        action=action,
                        created_at=saved_at,
                    )
                )
            except IntegrityError:  # another writer saved this index in the meantime
                raise StoreError(
                    "index", f"action {index} is already saved (a duplicate)"
                ) from None
            if debrief is not None:
                record_finish(conn, session_id, saved_at, debrief)

    def finish(self, session_id: str, debrief: Mapping[str, Any]) -> SessionRecord:
        """Complete a session whose finish action was saved without its debrief.

        Only sessions finished before revision 0003 (which kept the scores alone, or
        stopped between two writes) need this; :meth:`append_action` saves a finish with
        its debrief. The finish time is the finish action's, and scores already kept
        are kept.
        """
        check_debrief(debrief)
        with self._transaction(write=True) as conn:
            head = conn.execute(
                select(sessions.c.finished_at, sessions.c.scores, sessions.c.debrief)
                .where(sessions.c.id == session_id)
                .with_for_update()
            ).first()
            if head is None:
                raise StoreError("session_id", f"no session with id {session_id!r}")
            if head.debrief is not None:
                raise StoreError("session_id", f"session {session_id} is already finished")
            last = conn.execute(
                select(actions.c.action, actions.c.created_at)
                .where(actions.c.session_id == session_id)
                .order_by(actions.c.action_index.desc())
                .limit(1)
            ).first()
            if last is None or last.action.get("action") != FINISH:
                raise StoreError("session_id", f"session {session_id} has no finish action")
            finished_at = head.finished_at or last.created_at
            record_finish(conn, session_id, finished_at, debrief, scores=head.scores)
        return self.load_session(session_id)[0]

    def set_comment(self, session_id: str, comment: str | None) -> None:
        """Keep the educator's comment on a session (blank: none); it shows in its report."""
        text = check_comment(comment)
        with self._transaction(write=True) as conn:
            done = conn.execute(
                update(sessions).where(sessions.c.id == session_id).values(comment=text)
            ).rowcount
        if done != 1:
            raise StoreError("session_id", f"no session with id {session_id!r}")

    def load_session(self, session_id_or_code: str) -> tuple[SessionRecord, list[dict[str, Any]]]:
        """A session's record and its actions in order, by id or resume code."""
        record, actions_list, _ = self._load(session_id_or_code)
        return record, actions_list

    def load_debrief(self, session_id: str) -> dict[str, Any] | None:
        """The debrief saved with a session's finish (None while it is not finished)."""
        with self._transaction(write=False) as conn:
            row = conn.execute(
                select(sessions.c.debrief).where(sessions.c.id == session_id)
            ).first()
        if row is None:
            raise StoreError("session_id", f"no session with id {session_id!r}")
        debrief: dict[str, Any] | None = row.debrief
        return debrief

    def _load(self, key: str) -> tuple[SessionRecord, list[dict[str, Any]], str]:
        with self._transaction(write=False) as conn:
            row = conn.execute(session_query().where(session_key_clause(key))).first()
            if row is None:
                raise StoreError("session", f"no session with id or code {shown(key)}")
            rows = conn.execute(
                select(actions.c.action_index, actions.c.action)
                .where(actions.c.session_id == row.id)
                .order_by(actions.c.action_index)
            ).all()
        if [r.action_index for r in rows] != list(range(len(rows))):
            raise StoreError("index", f"session {row.id}: the saved actions are not numbered 0..n")
        return record_from_row(row._mapping), [r.action for r in rows], row.scenario_json

    def resume(self, session_id_or_code: str) -> Session:
        """Rebuild a stored session by replaying its actions (the log comes out identical)."""
        record, actions_list, scenario_json = self._load(session_id_or_code)
        scenario = Scenario.model_validate_json(scenario_json)
        session = Session.start(scenario, record.seed, record.random_patient)
        for index, action in enumerate(actions_list):
            try:
                session.apply(action)
            except SessionError as exc:
                raise StoreError(f"actions[{index}].{exc.field}", exc.message) from None
        return session

    def list_sessions(self, class_id: int | None = None) -> list[SessionRecord]:
        """Every stored session (or one class's), oldest first."""
        query = session_query().order_by(sessions.c.created_at, sessions.c.id)
        if class_id is not None:
            query = query.where(sessions.c.class_id == class_id)
        with self._transaction(write=False) as conn:
            return [record_from_row(row._mapping) for row in conn.execute(query)]


def check_debrief(debrief: Any) -> None:
    """A scorer's answer: a JSON object with a ``"scores"`` object, small enough to store."""
    check_action_payload(debrief, field="debrief", limit=MAX_DEBRIEF_BYTES)
    if not isinstance(debrief.get("scores"), dict):
        raise StoreError("debrief", "has no 'scores' object")


def record_finish(
    conn: Connection,
    session_id: str,
    finished_at: datetime,
    debrief: Mapping[str, Any],
    scores: dict[str, Any] | None = None,
) -> None:
    """Mark a session finished at ``finished_at`` with its debrief (inside the caller's
    transaction); ``scores`` already kept win over the debrief's."""
    done = conn.execute(
        update(sessions)
        .where(sessions.c.id == session_id, sessions.c.debrief.is_(None))
        .values(
            finished_at=as_utc(finished_at),
            scores=scores if scores is not None else debrief["scores"],
            debrief=dict(debrief),
        )
    ).rowcount
    if done != 1:
        raise StoreError("session_id", f"session {session_id} is already finished")


def _check_attempts(conn: Connection, class_id: int, trainee: str) -> None:
    """Refuse a pseudonym's new session in a class beyond its attempts (inside the insert's
    transaction, the class row locked, so two joins at once cannot both pass)."""
    klass = conn.execute(
        select(classes.c.max_attempts, classes.c.status)
        .where(classes.c.id == class_id)
        .with_for_update()
    ).first()
    if klass is None:
        raise StoreError("class_id", f"no class with id {class_id!r}")
    if klass.status != "open":
        raise StoreError("join_code", "this class is closed; ask your teacher")
    who = same_trainee(trainee)
    mine = [
        r.finished_at
        for r in conn.execute(
            select(sessions.c.trainee, sessions.c.finished_at).where(
                sessions.c.class_id == class_id
            )
        )
        if same_trainee(r.trainee) == who
    ]
    if any(finished is None for finished in mine):
        raise StoreError(
            "pseudonym",
            f"'{trainee}' already has a session in progress in this class: open it with its "
            "resume code (your teacher can see it on the Results page)",
        )
    if len(mine) >= klass.max_attempts:
        raise StoreError(
            "pseudonym",
            f"'{trainee}' has already finished this class's case ({len(mine)} of "
            f"{klass.max_attempts} attempts); ask your teacher to allow another",
        )


def _check_practice(conn: Connection, scenario_id: str) -> None:
    """Refuse practice on the case of an open class (its patient and answer stay secret)."""
    in_class = conn.execute(
        select(classes.c.id)
        .where(classes.c.scenario_id == scenario_id, classes.c.status == "open")
        .limit(1)
    ).first()
    if in_class is not None:
        raise StoreError(
            "scenario_id",
            f"'{scenario_id}' is the case of an open class: it cannot be practised until the "
            "class closes; choose another case",
        )
