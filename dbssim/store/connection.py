"""One open store: its database engine, its transactions and the scorer given to it.

The base of :class:`dbssim.store.service.Store`; the repositories of cases, classes and
sessions (:mod:`~dbssim.store.cases`, :mod:`~dbssim.store.classes`,
:mod:`~dbssim.store.sessions`) build on it.

The scorer is injected, never imported: the store sits beside the session layer's
scoring, and the caller that opens a store (the app, the CLI, a test) decides how a
finished session is scored. It answers the session's debrief, a JSON object whose
``"scores"`` key holds the four scores.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine

from dbssim.session.engine import Session
from dbssim.store.database import create_store_engine, migrate
from dbssim.store.records import StoreError

ENV_URL = "DBSSIM_DATABASE_URL"
DEFAULT_PATH = Path("data") / "dbssim.sqlite3"  # under the working directory (issue 5)

Scorer = Callable[[Session], Mapping[str, Any]]
"""A finished session → its debrief (``{"scores": ..., "expert_program": ..., ...}``)."""


def default_url() -> str:
    """``DBSSIM_DATABASE_URL`` if set, else the SQLite file under the working directory."""
    return os.environ.get(ENV_URL) or f"sqlite:///{Path.cwd() / DEFAULT_PATH}"


class StoreConnection:
    """A database engine with the store's transactions. Open with :meth:`open`."""

    def __init__(self, engine: Engine, scorer: Scorer | None = None):
        self._engine = engine
        self._scorer = scorer

    @classmethod
    def open(cls, url: str | None = None, *, scorer: Scorer | None = None) -> Self:
        """Open (creating and migrating if needed) the store at ``url``.

        Parameters
        ----------
        url : str, optional
            An SQLAlchemy URL: ``sqlite:///PATH`` or ``postgresql://USER:PW@HOST:PORT/DB``
            (driven by psycopg). Default: ``DBSSIM_DATABASE_URL``, else
            ``sqlite:///data/dbssim.sqlite3`` under the working directory.
        scorer : callable, optional
            Scores a finished session (e.g. :func:`dbssim.session.scoring.debrief`). A
            store opened without one keeps and replays sessions but refuses to finish one.
        """
        engine = create_store_engine(url or default_url())
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, scorer)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._engine.url!r})"  # the password shows as ***

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def score(self, session: Session) -> dict[str, Any]:
        """The injected scorer's debrief of a finished session (a JSON object with scores)."""
        if self._scorer is None:
            raise StoreError(
                "scorer", "this store was opened without a scorer, so it cannot finish a session"
            )
        debrief = dict(self._scorer(session))
        if not isinstance(debrief.get("scores"), dict):
            raise StoreError("scorer", "the scorer's answer has no 'scores' object")
        return debrief

    @property
    def can_score(self) -> bool:
        return self._scorer is not None

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(dbssim_write=write)  # SQLite: BEGIN IMMEDIATE for writers
            with conn.begin():
                yield conn
