"""Tables of the session store (SQLAlchemy Core); the migrations in ``migrations/`` build them.

Four tables: ``cases`` (cases educators authored), ``classes`` (an educator's class with
its join code), ``sessions`` (one
trainee's session: pseudonym, case, seed, resume code, scores and debrief once finished) and
``actions`` (the append-only log, one row per action, numbered from 0 per session).
No personal health data is kept: trainees are pseudonyms, patients are virtual.

A change here needs a new revision in ``migrations/versions/``;
``tests/store/test_store.py`` checks that the migrated schema equals these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.sql.expression import false as sa_false

# Stable constraint names, so later migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MAX_NAME_CHARS = 60  # a pseudonym or a class name is a short label (teaching value)
MAX_ID_CHARS = 100  # scenario ids are short slugs (DESIGN §5)
MAX_TITLE_CHARS = 200  # a case title is one line
MAX_COMMENT_CHARS = 4000  # an educator's comment: a paragraph or two (teaching value)
CODE_COLUMN_CHARS = 16  # resume and join codes are 8 and 6 characters; room to grow

metadata = MetaData(naming_convention=NAMING_CONVENTION)

classes = Table(
    "classes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME_CHARS), nullable=False),
    Column("scenario_id", String(MAX_ID_CHARS), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("per_trainee_draw", Boolean, nullable=False),
    Column("join_code", String(CODE_COLUMN_CHARS), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The case as it was when the class was made (null for classes made before r0002).
    Column("scenario_json", Text, nullable=True),
    # open: trainees may join; closed: no more joins; archived: closed and out of the lists.
    Column("status", String(16), nullable=False, server_default="open"),
    # Sessions one pseudonym may start in the class (r0004; 1 unless the educator allows more).
    Column("max_attempts", Integer, nullable=False, server_default="1"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(MAX_ID_CHARS), primary_key=True),
    Column("title", String(MAX_TITLE_CHARS), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # An archived case is out of the pickers; classes and sessions on it keep their copy.
    Column("archived", Boolean, nullable=False, server_default=sa_false()),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(36), primary_key=True),  # a UUID in its 36-character text form
    Column("code", String(CODE_COLUMN_CHARS), nullable=False, unique=True),
    Column("trainee", String(MAX_NAME_CHARS), nullable=False),
    Column("class_id", Integer, ForeignKey("classes.id"), nullable=True, index=True),
    Column("scenario_id", String(MAX_ID_CHARS), nullable=False),
    # The case as it was when the session started: a later edit of the case file
    # cannot change how a stored session replays.
    Column("scenario_json", Text, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("random_patient", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("scores", JSON, nullable=True),
    # The whole debrief (expert program, outcomes, scores, true review), saved with the
    # finish; null until then, and for sessions finished before revision 0003.
    Column("debrief", JSON, nullable=True),
    # "trainee", or "demonstration": an educator's session, never opened by its code (r0004).
    Column("kind", String(16), nullable=False, server_default="trainee"),
    # The educator's comment on the session, shown in its report (r0004).
    Column("comment", Text, nullable=True),
)

actions = Table(
    "actions",
    metadata,
    Column(
        "session_id",
        String(36),
        ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # ``index`` is an SQL keyword: SQLAlchemy quotes it; Python code says ``c.action_index``.
    Column("index", Integer, primary_key=True, autoincrement=False, key="action_index"),
    Column("action", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
