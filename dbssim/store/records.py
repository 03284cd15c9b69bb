"""What the store hands back (strict records), what it checks before writing, its queries.

Resume and join codes use Crockford's base 32 alphabet: digits and capitals without
I, L, O and U, so a code read aloud or copied from a projector cannot be misread; when
a code is typed, case and dashes do not matter and O, I, L are read as 0, 1, 1.
"""

from __future__ import annotations

import json
import secrets
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, RowMapping, Select, func, select

from dbssim.errors import InputError
from dbssim.store.sql_tables import MAX_COMMENT_CHARS, MAX_NAME_CHARS, actions, sessions
from dbssim.validation import StrictModel

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
SESSION_CODE_CHARS = 8  # 32**8 ≈ 1e12 codes: unguessable enough for a class (teaching value)
JOIN_CODE_CHARS = 6  # typed by a whole class from the projector (teaching value)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
MAX_SEED = 2**63 - 1  # a BIGINT column
ZERO_WIDTH_JOINER = "\u200d"
MAX_ACTION_BYTES = 64_000  # an action is a few hundred bytes; scores a few kB (teaching value)
CLASS_STATUSES = ("open", "closed", "archived")
SESSION_KINDS = ("trainee", "demonstration")
DEMONSTRATION = "demonstration"
MAX_ATTEMPTS = 20  # sessions one pseudonym may start in one class, at most (teaching value)
MAX_DEBRIEF_BYTES = 256_000  # a debrief is 4-10 kB (8-contact leads on both sides)


class StoreError(InputError):
    """A refused store operation: ``field`` names the offending argument or key."""


class ClassRecord(StrictModel):
    """An educator's class: one case, a fixed seed or one random patient per trainee."""

    id: int
    name: str
    scenario_id: str
    seed: int = Field(ge=0, description="Seed of the fixed patient (fixed-seed classes)")
    per_trainee_draw: bool = Field(description="Each trainee gets a random patient like it")
    join_code: str
    created_at: datetime
    scenario_json: str | None = Field(default=None, description="The class's copy of its case")
    status: str = Field(default="open", description="open, closed (no joins) or archived")
    max_attempts: int = Field(default=1, ge=1, description="Sessions one pseudonym may start")

    @property
    def open(self) -> bool:
        return self.status == "open"


class SessionRecord(StrictModel):
    """One stored session, without its actions (see ``Store.load_session``)."""

    id: str = Field(description="UUID of the session")
    code: str = Field(description="Short resume code")
    trainee: str = Field(description="Pseudonym, as typed: escape it before showing it")
    class_id: int | None
    scenario_id: str
    seed: int = Field(ge=0)
    random_patient: bool
    created_at: datetime
    finished_at: datetime | None
    scores: dict[str, Any] | None = Field(description="score_session's answer once finished")
    n_actions: int = Field(ge=0, description="Number of saved actions")
    last_action_at: datetime | None
    kind: str = Field(default="trainee", description="trainee, or demonstration (an educator's)")
    comment: str | None = Field(default=None, description="The educator's comment, as typed")

    @property
    def demonstration(self) -> bool:
        return self.kind == DEMONSTRATION

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def duration_s(self) -> float:
        """Wall-clock seconds from start to finish (or to the last action so far)."""
        end = self.finished_at or self.last_action_at or self.created_at
        return max(0.0, (end - self.created_at).total_seconds())


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: every stored time is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def class_record(row: Any) -> ClassRecord:
    data = dict(row)
    data["created_at"] = as_utc(data["created_at"])
    return ClassRecord.model_validate(data)


def session_record(
    row: dict[str, Any], n_actions: int, last_action_at: datetime | None
) -> SessionRecord:
    fields = set(SessionRecord.model_fields) - {"n_actions", "last_action_at"}
    data = {k: row.get(k) for k in fields}
    data |= {
        "created_at": as_utc(row["created_at"]),
        "finished_at": as_utc(row.get("finished_at")),
        "n_actions": n_actions,
        "last_action_at": as_utc(last_action_at),
    }
    return SessionRecord.model_validate(data)


def new_code(n_chars: int) -> str:
    """A random code from the unambiguous alphabet (``secrets``: not guessable from others)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(n_chars))


def normalise_code(code: str) -> str:
    """A typed code in its stored form: upper case, no dashes or spaces, O→0, I/L→1."""
    if not isinstance(code, str):
        raise StoreError("code", f"a code is text (got {type(code).__name__})")
    return code.strip().upper().translate(_READ_AS)


def check_name(field: str, name: str) -> None:
    """A pseudonym or class name: 1–60 characters of visible text, no control characters.

    A zero-width joiner between two visible characters is part of an emoji sequence
    ("👩‍⚕️") or of a word in some scripts, so it is allowed there and nowhere else.
    """
    if not isinstance(name, str):
        raise StoreError(field, f"must be text (got {type(name).__name__})")
    if not name.strip():
        hint = "; a pseudonym is enough" if field in ("trainee", "pseudonym") else ""
        raise StoreError(field, f"must not be empty{hint}")
    if len(name) > MAX_NAME_CHARS:
        raise StoreError(field, f"{len(name)} characters; at most {MAX_NAME_CHARS} allowed")
    bad = [c for n, c in enumerate(name) if _invisible(name, n)]
    if bad:
        raise StoreError(field, f"contains control or invisible character {bad[0]!r}")


def same_trainee(name: str) -> str:
    """A pseudonym as compared for attempts: case, accents' forms and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_comment(text: Any) -> str | None:
    """An educator's comment: plain text up to MAX_COMMENT_CHARS; blank clears it."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise StoreError("comment", f"must be text (got {type(text).__name__})")
    if len(text) > MAX_COMMENT_CHARS:
        raise StoreError("comment", f"{len(text)} characters; at most {MAX_COMMENT_CHARS} allowed")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\t"]
    if bad:
        raise StoreError("comment", f"contains control character {bad[0]!r}")
    return text.strip() or None


def _invisible(name: str, n: int) -> bool:
    if unicodedata.category(name[n]) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    if name[n] != ZERO_WIDTH_JOINER or n == 0 or n == len(name) - 1:
        return True
    return any(c.isspace() or unicodedata.category(c)[0] == "C" for c in (name[n - 1], name[n + 1]))


def check_seed(seed: Any) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise StoreError("seed", f"must be an integer from 0 to {MAX_SEED} (got {seed!r})")


def check_action_payload(value: Any, field: str = "action", limit: int = MAX_ACTION_BYTES) -> None:
    """A JSON object of plain values (no NaN), at most ``limit`` bytes as JSON."""
    if not isinstance(value, dict):
        raise StoreError(field, f"must be a JSON object (got {type(value).__name__})")
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(field, f"is not plain JSON: {exc}") from None
    if len(text.encode("utf-8")) > limit:
        raise StoreError(field, f"larger than {limit} bytes")


def session_query() -> Select[Any]:
    """Sessions with their number of saved actions and the time of the last one."""
    counts = (
        select(
            actions.c.session_id,
            func.count().label("n_actions"),
            func.max(actions.c.created_at).label("last_action_at"),
        )
        .group_by(actions.c.session_id)
        .subquery()
    )
    listed = [c for c in sessions.c if c.key != "debrief"]  # read on its own, when needed
    return select(*listed, counts.c.n_actions, counts.c.last_action_at).outerjoin(
        counts, counts.c.session_id == sessions.c.id
    )


def session_key_clause(key: str) -> ColumnElement[bool]:
    """Match a session by its UUID, or else by its resume code as typed."""
    if not isinstance(key, str):
        raise StoreError("session", f"give a session id or resume code (got {key!r})")
    try:
        return sessions.c.id == str(uuid.UUID(key))
    except ValueError:
        return sessions.c.code == normalise_code(key)


def record_from_row(row: RowMapping) -> SessionRecord:
    """A row of :func:`session_query` as a record."""
    last: datetime | None = row["last_action_at"]
    return session_record(dict(row), n_actions=row["n_actions"] or 0, last_action_at=last)


def shown(value: str) -> str:
    """A user-given key for an error message: quoted and at most 50 characters."""
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."
