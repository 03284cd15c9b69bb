"""The session store: every action saved as it happens, sessions resumable after a restart.

SQLite by default (``data/dbssim.sqlite3`` under the working directory, WAL mode);
``DBSSIM_DATABASE_URL`` switches to PostgreSQL for a shared classroom server (DESIGN §8).
The schema is migrated with Alembic whenever a store is opened.

A session is stored as its scenario (snapshot), seed and action log; it is rebuilt by
:meth:`dbssim.session.engine.Session.replay`, which gives the identical log. Each action is
saved in its own transaction; :class:`StoredSession` applies an action in memory and
saves it, and keeps nothing in memory that the store refused.

Trainees are pseudonyms (free text, stored as given); no personal health data is stored.
The database URL may hold a password: it is never printed (``repr`` hides it).

Examples
--------
.. code-block:: python

    store = Store.open()  # data/dbssim.sqlite3, or DBSSIM_DATABASE_URL
    stored = store.start_session("dystonia-generalized-gpi", seed=1, trainee="Fellow A")
    stored.apply({"action": "stim_on"})  # saved before it returns
    resumed = store.open_session(stored.code)  # after a reload or a restart
    assert resumed.session.log == stored.session.log
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.session.engine import Session, SessionError
from dbssim.session.scoring import score_session
from dbssim.store.database import create_store_engine, migrate, now_utc
from dbssim.store.records import (
    JOIN_CODE_CHARS,
    SESSION_CODE_CHARS,
    ClassRecord,
    SessionRecord,
    StoreError,
    check_action_payload,
    check_name,
    check_seed,
    class_record,
    new_code,
    normalise_code,
    record_from_row,
    session_key_clause,
    session_query,
    session_record,
    shown,
)
from dbssim.store.sql_tables import MAX_TITLE_CHARS, actions, cases, classes, sessions
from dbssim.validation import closest_name

ENV_URL = "DBSSIM_DATABASE_URL"
DEFAULT_PATH = Path("data") / "dbssim.sqlite3"  # under the working directory (issue 5)
CODE_ATTEMPTS = 5  # fresh random codes tried before giving up (a clash is ~1e-9 likely)

__all__ = ["ClassRecord", "SessionRecord", "Store", "StoreError", "StoredSession"]


def default_url() -> str:
    """``DBSSIM_DATABASE_URL`` if set, else the SQLite file under the working directory."""
    return os.environ.get(ENV_URL) or f"sqlite:///{Path.cwd() / DEFAULT_PATH}"


class Store:
    """Sessions, classes and action logs in one database. Open with :meth:`open`."""

    def __init__(self, engine: Engine):
        self._engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open (creating and migrating if needed) the store at ``url``.

        Parameters
        ----------
        url : str, optional
            An SQLAlchemy URL: ``sqlite:///PATH`` or ``postgresql://USER:PW@HOST:PORT/DB``
            (driven by psycopg). Default: ``DBSSIM_DATABASE_URL``, else
            ``sqlite:///data/dbssim.sqlite3`` under the working directory.
        """
        engine = create_store_engine(url or default_url())
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def __repr__(self) -> str:
        return f"Store({self._engine.url!r})"  # SQLAlchemy masks the password as ***

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(dbssim_write=write)  # SQLite: BEGIN IMMEDIATE for writers
            with conn.begin():
                yield conn

    # --- classes ---------------------------------------------------------------------
    def create_class(
        self, name: str, scenario_id: str | Scenario, seed: int, per_trainee_draw: bool = False
    ) -> ClassRecord:
        """A class on one case: everyone on ``seed``, or one random patient per trainee."""
        check_name("name", name)
        scenario = self.load_case(scenario_id) if isinstance(scenario_id, str) else scenario_id
        check_seed(seed)
        row = {
            "name": name,
            "scenario_id": scenario.id,
            "scenario_json": scenario.model_dump_json(),
            "seed": int(seed),
            "per_trainee_draw": bool(per_trainee_draw),
            "created_at": now_utc(),
        }
        for _ in range(CODE_ATTEMPTS):
            row["join_code"] = new_code(JOIN_CODE_CHARS)
            try:
                with self._transaction(write=True) as conn:
                    query = insert(classes).values(row).returning(classes.c.id)
                    new_id = conn.execute(query).scalar_one()
            except IntegrityError:
                continue  # the random join code clashed with another class: draw again
            return class_record({"id": new_id, **row})
        raise StoreError("join_code", "could not draw an unused join code; try again")

    def get_class_by_code(self, code: str) -> ClassRecord:
        """The class with this join code (case, dashes and O/0, I/L/1 do not matter)."""
        with self._transaction(write=False) as conn:
            row = conn.execute(
                select(classes).where(classes.c.join_code == normalise_code(code))
            ).first()
        if row is None:
            raise StoreError("join_code", "no class has this join code; check it with your teacher")
        return class_record(row._mapping)

    def join_class(self, code: str, trainee: str) -> StoredSession:
        """Start a trainee's session in the class with this join code."""
        klass = self.get_class_by_code(code)
        seed = int(uuid.uuid4().int % 2**31) if klass.per_trainee_draw else klass.seed
        return self.start_session(
            self.case_of_class(klass),
            seed,
            trainee,
            class_id=klass.id,
            random_patient=klass.per_trainee_draw,
        )

    # --- authored cases --------------------------------------------------------------
    def save_case(self, scenario: Scenario) -> None:
        """Keep an educator's case; a bundled id or an id already saved is refused."""
        if scenario.id in list_scenario_ids():
            raise StoreError("id", f"'{scenario.id}' is a bundled case; choose another id")
        row = {
            "id": scenario.id,
            "title": scenario.title[:MAX_TITLE_CHARS],
            "scenario_json": scenario.model_dump_json(),
            "created_at": now_utc(),
        }
        try:
            with self._transaction(write=True) as conn:
                conn.execute(insert(cases).values(row))
        except IntegrityError:
            raise StoreError(
                "id", f"a case '{scenario.id}' exists already; choose another id"
            ) from None

    def list_cases(self) -> dict[str, str]:
        """Authored case id → title, oldest first."""
        query = select(cases.c.id, cases.c.title).order_by(cases.c.created_at, cases.c.id)
        with self._transaction(write=False) as conn:
            return {row.id: row.title for row in conn.execute(query)}

    def load_case(self, case_id: str) -> Scenario:
        """A bundled scenario by id, else an authored case from the database."""
        if case_id in list_scenario_ids() or case_id.endswith((".yaml", ".yml")):
            return _load(case_id)
        with self._transaction(write=False) as conn:
            row = conn.execute(select(cases.c.scenario_json).where(cases.c.id == case_id)).first()
        if row is None:
            known = list_scenario_ids() + list(self.list_cases())
            hint = closest_name(case_id, known)
            extra = f"; did you mean '{hint}'?" if hint else ""
            raise StoreError(
                "scenario_id", f"unknown scenario '{case_id}'{extra}; known: {', '.join(known)}"
            )
        return Scenario.model_validate_json(row.scenario_json)

    def case_of_class(self, klass: ClassRecord) -> Scenario:
        """The class's own copy of its case (older classes: the case by id)."""
        if klass.scenario_json:
            return Scenario.model_validate_json(klass.scenario_json)
        return self.load_case(klass.scenario_id)

    def list_classes(self) -> list[ClassRecord]:
        """Every class, newest first (the educator's Class and Results pages)."""
        query = select(classes).order_by(classes.c.created_at.desc(), classes.c.id.desc())
        with self._transaction(write=False) as conn:
            return [class_record(row._mapping) for row in conn.execute(query)]

    # --- sessions --------------------------------------------------------------------
    def create_session(
        self,
        scenario_id: str | Scenario,
        seed: int,
        trainee: str,
        class_id: int | None = None,
        random_patient: bool = False,
    ) -> SessionRecord:
        """Store a new, empty session and return its record (id and resume code)."""
        scenario = self.load_case(scenario_id) if isinstance(scenario_id, str) else scenario_id
        check_seed(seed)
        check_name("trainee", trainee)
        row = {
            "trainee": trainee,
            "class_id": class_id,
            "scenario_id": scenario.id,
            "scenario_json": scenario.model_dump_json(),
            "seed": int(seed),
            "random_patient": bool(random_patient),
            "created_at": now_utc(),
        }
        for _ in range(CODE_ATTEMPTS):
            row |= {"id": str(uuid.uuid4()), "code": new_code(SESSION_CODE_CHARS)}
            try:
                with self._transaction(write=True) as conn:
                    if class_id is not None and _class_missing(conn, class_id):
                        raise StoreError("class_id", f"no class with id {class_id!r}")
                    conn.execute(insert(sessions).values(row))
            except IntegrityError:
                continue  # the random resume code clashed: draw again
            return session_record(row, n_actions=0, last_action_at=None)
        raise StoreError("code", "could not draw an unused resume code; try again")

    def start_session(
        self,
        scenario_id: str | Scenario,
        seed: int,
        trainee: str,
        class_id: int | None = None,
        random_patient: bool = False,
    ) -> StoredSession:
        """:meth:`create_session`, wrapped with its live session for :meth:`StoredSession.apply`."""
        record = self.create_session(scenario_id, seed, trainee, class_id, random_patient)
        return StoredSession(self, record, self.resume(record.id))

    def append_action(self, session_id: str, index: int, action: dict[str, Any]) -> None:
        """Save action number ``index`` (0, 1, 2, ...) of a session, in one transaction.

        Raises
        ------
        StoreError
            ``index`` is not the next number (a duplicate or a gap), the session is
            unknown or finished, or the action is not a JSON object of plain values.
        """
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise StoreError("index", f"must be an integer >= 0 (got {index!r})")
        check_action_payload(action)
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
            try:
                conn.execute(
                    insert(actions).values(
                        session_id=session_id,
                        action_index=index,
                        action=action,
                        created_at=now_utc(),
                    )
                )
            except IntegrityError:  # another writer saved this index in the meantime
                raise StoreError(
                    "index", f"action {index} is already saved (a duplicate)"
                ) from None

    def load_session(self, session_id_or_code: str) -> tuple[SessionRecord, list[dict[str, Any]]]:
        """A session's record and its actions in order, by id or resume code."""
        record, actions_list, _ = self._load(session_id_or_code)
        return record, actions_list

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

    def open_session(self, session_id_or_code: str) -> StoredSession:
        """A stored session, resumed and ready for more actions."""
        record, _ = self.load_session(session_id_or_code)
        return StoredSession(self, record, self.resume(record.id))

    def finish(self, session_id: str, scores: dict[str, Any]) -> SessionRecord:
        """Mark a session finished and keep its scores; a finished session takes no action."""
        check_action_payload(scores, field="scores")
        with self._transaction(write=True) as conn:
            done = conn.execute(
                update(sessions)
                .where(sessions.c.id == session_id, sessions.c.finished_at.is_(None))
                .values(finished_at=now_utc(), scores=scores)
            ).rowcount
        if done != 1:
            self.load_session(session_id)  # raises when the session is unknown
            raise StoreError("session_id", f"session {session_id} is already finished")
        return self.load_session(session_id)[0]

    def list_sessions(self, class_id: int | None = None) -> list[SessionRecord]:
        """Every stored session (or one class's), oldest first."""
        query = session_query().order_by(sessions.c.created_at, sessions.c.id)
        if class_id is not None:
            query = query.where(sessions.c.class_id == class_id)
        with self._transaction(write=False) as conn:
            return [record_from_row(row._mapping) for row in conn.execute(query)]


class StoredSession:
    """A live :class:`Session` whose every applied action is saved before it counts.

    ``apply`` runs the action in memory, then saves it; when the save fails the
    in-memory step is undone (the session is rebuilt from its earlier actions), so
    memory and store never diverge. When an action finishes the session, its scores
    are computed and stored with it.
    """

    def __init__(self, store: Store, record: SessionRecord, session: Session):
        self.store = store
        self._record = record
        self._session = session
        self._lock = threading.Lock()
        if session.finished and not record.finished:  # stopped between the two writes
            self._record = store.finish(record.id, score_session(session))

    @property
    def record(self) -> SessionRecord:
        return self._record

    @property
    def session(self) -> Session:
        """The live session: read it, but change it only through :meth:`apply`."""
        return self._session

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
            try:
                self.store.append_action(self._record.id, entry["index"], action)
            except BaseException:
                s = self._session
                self._session = Session.replay(
                    s.scenario, s.seed, s.actions()[:-1], random_patient=s.random_patient
                )
                raise
            if self._session.finished:
                self._record = self.store.finish(self._record.id, score_session(self._session))
            return entry


def _load(scenario: str | Scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if not isinstance(scenario, str):
        raise StoreError("scenario_id", f"give a scenario id (got {scenario!r})")
    try:
        return load_scenario(scenario)
    except ScenarioError as exc:
        raise StoreError("scenario_id", exc.lines[0]) from None


def _class_missing(conn: Connection, class_id: int) -> bool:
    return conn.execute(select(classes.c.id).where(classes.c.id == class_id)).first() is None
