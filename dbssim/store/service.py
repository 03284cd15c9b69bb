"""The session store: every action saved as it happens, sessions resumable after a restart.

SQLite by default (``data/dbssim.sqlite3`` under the working directory, WAL mode);
``DBSSIM_DATABASE_URL`` switches to PostgreSQL for a shared classroom server (DESIGN §8).
The schema is migrated with Alembic whenever a store is opened.

:class:`Store` joins the repositories of cases (:mod:`dbssim.store.cases`), classes
(:mod:`dbssim.store.classes`) and sessions (:mod:`dbssim.store.sessions`) on one database
(:mod:`dbssim.store.connection`), and hands out live sessions
(:mod:`dbssim.store.live_session`). The scorer of finished sessions is given to
:meth:`Store.open`; the store never imports it.

Trainees are pseudonyms (free text, stored as given); no personal health data is stored.
The database URL may hold a password: it is never printed (``repr`` hides it).

Examples
--------
.. code-block:: python

    from dbssim.session.scoring import debrief

    store = Store.open(scorer=debrief)  # data/dbssim.sqlite3, or DBSSIM_DATABASE_URL
    stored = store.start_session("dystonia-generalized-gpi", seed=1, trainee="Fellow A")
    stored.apply({"action": "stim_on"})  # saved before it returns
    resumed = store.open_session(stored.code)  # after a reload or a restart
    assert resumed.session.log == stored.session.log
"""

from __future__ import annotations

from dbssim.patient.scenario_schema import Scenario
from dbssim.store.classes import ClassStore, draw_seed
from dbssim.store.connection import ENV_URL, Scorer, default_url
from dbssim.store.live_session import StoredSession
from dbssim.store.records import ClassRecord, SessionRecord, StoreError, shown
from dbssim.store.sessions import SessionStore

__all__ = [
    "ENV_URL",
    "ClassRecord",
    "Scorer",
    "SessionRecord",
    "Store",
    "StoreError",
    "StoredSession",
    "default_url",
]


class Store(SessionStore, ClassStore):
    """Sessions, classes, cases and action logs in one database. Open with :meth:`open`."""

    def start_session(
        self,
        scenario_id: str | Scenario,
        seed: int,
        trainee: str,
        class_id: int | None = None,
        random_patient: bool = False,
        kind: str = "trainee",
    ) -> StoredSession:
        """:meth:`create_session`, wrapped with its live session for :meth:`StoredSession.apply`."""
        record = self.create_session(scenario_id, seed, trainee, class_id, random_patient, kind)
        return StoredSession(self, record, self.resume(record.id))

    def open_session(self, session_id_or_code: str, *, educator: bool = False) -> StoredSession:
        """A stored session, resumed and ready for more actions.

        A demonstration opens only for an educator (``educator=True``, which the app
        passes only after its own sign-in check): a trainee who reads or guesses its code
        or id gets the same refusal as for an unknown code.
        """
        record, _ = self.load_session(session_id_or_code)
        if record.demonstration and not educator:
            raise StoreError("session", f"no session with id or code {shown(session_id_or_code)}")
        return StoredSession(self, record, self.resume(record.id))

    def join_class(self, code: str, trainee: str) -> StoredSession:
        """Start a trainee's session in the class with this join code."""
        klass = self.get_class_by_code(code)
        return self.start_session(
            self.case_of_class(klass),
            draw_seed() if klass.per_trainee_draw else klass.seed,
            trainee,
            class_id=klass.id,
            random_patient=klass.per_trainee_draw,
        )
