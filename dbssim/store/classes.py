"""Classes in the store: an educator's class on one case, joined with a short code.

A class keeps its own copy of its case (a later edit of the case cannot change it). Its
trainees all get the patient of one seed, or each a random patient like it; the seed of
such a draw is :func:`draw_seed`, the one rule for it (the store's ``join_class`` and the
app both use it).
"""

from __future__ import annotations

import secrets

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from dbssim.patient.scenario_schema import Scenario
from dbssim.store.cases import CaseStore, stored_case
from dbssim.store.database import now_utc
from dbssim.store.records import (
    CLASS_STATUSES,
    JOIN_CODE_CHARS,
    MAX_ATTEMPTS,
    ClassRecord,
    StoreError,
    check_name,
    check_seed,
    class_record,
    new_code,
    normalise_code,
)
from dbssim.store.sql_tables import classes

CODE_ATTEMPTS = 5  # fresh random codes tried before giving up (a clash is ~1e-9 likely)
DRAW_SEED_MAX = 2**31 - 1  # seeds of per-trainee draws: 0 .. 2**31 - 2 (as the Case page)


def check_attempts(max_attempts: object) -> None:
    if (
        isinstance(max_attempts, bool)
        or not isinstance(max_attempts, int)
        or not 1 <= max_attempts <= MAX_ATTEMPTS
    ):
        raise StoreError(
            "max_attempts", f"must be an integer from 1 to {MAX_ATTEMPTS} (got {max_attempts!r})"
        )


def draw_seed() -> int:
    """The seed of one trainee's own random patient in a per-trainee-draw class."""
    return secrets.randbelow(DRAW_SEED_MAX)


class ClassStore(CaseStore):
    """Classes: create, find by join code, list; each with its own copy of its case."""

    def create_class(
        self,
        name: str,
        scenario_id: str | Scenario,
        seed: int,
        per_trainee_draw: bool = False,
        max_attempts: int = 1,
    ) -> ClassRecord:
        """A class on one case: everyone on ``seed``, or one random patient per trainee.

        Each pseudonym may start ``max_attempts`` sessions in it (one unless the educator
        allows more); while the class is open its case cannot be practised outside it.
        """
        check_name("name", name)
        scenario = self.scenario_of(scenario_id)
        check_seed(seed)
        check_attempts(max_attempts)
        row = {
            "name": name,
            "scenario_id": scenario.id,
            "scenario_json": scenario.model_dump_json(),
            "seed": int(seed),
            "per_trainee_draw": bool(per_trainee_draw),
            "created_at": now_utc(),
            "status": "open",
            "max_attempts": int(max_attempts),
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
        klass = class_record(row._mapping)
        if not klass.open:
            raise StoreError("join_code", f"the class '{klass.name}' is closed; ask your teacher")
        return klass

    def get_class(self, class_id: int) -> ClassRecord:
        with self._transaction(write=False) as conn:
            row = conn.execute(select(classes).where(classes.c.id == class_id)).first()
        if row is None:
            raise StoreError("class_id", f"no class with id {class_id!r}")
        return class_record(row._mapping)

    def set_class_status(self, class_id: int, status: str) -> None:
        """Open, close (no more joins; sessions in progress go on) or archive a class."""
        if status not in CLASS_STATUSES:
            allowed = ", ".join(CLASS_STATUSES)
            raise StoreError("status", f"'{status}' is not a class status; allowed: {allowed}")
        self._change_class(class_id, status=status)

    def set_max_attempts(self, class_id: int, max_attempts: int) -> None:
        """Allow each pseudonym this many sessions in the class."""
        check_attempts(max_attempts)
        self._change_class(class_id, max_attempts=int(max_attempts))

    def _change_class(self, class_id: int, **values: object) -> None:
        with self._transaction(write=True) as conn:
            done = conn.execute(update(classes).where(classes.c.id == class_id).values(**values))
            if done.rowcount != 1:
                raise StoreError("class_id", f"no class with id {class_id!r}")

    def open_class_cases(self) -> set[str]:
        """Ids of the cases open classes run: not reachable in practice meanwhile."""
        query = select(classes.c.scenario_id).where(classes.c.status == "open")
        with self._transaction(write=False) as conn:
            return {row.scenario_id for row in conn.execute(query)}

    def case_of_class(self, klass: ClassRecord) -> Scenario:
        """The class's own copy of its case (older classes: the case by id)."""
        if klass.scenario_json:
            return stored_case(klass.scenario_id, klass.scenario_json)
        return self.load_case(klass.scenario_id)

    def list_classes(self, include_archived: bool = True) -> list[ClassRecord]:
        """Every class, newest first (the educator's Class and Results pages)."""
        query = select(classes).order_by(classes.c.created_at.desc(), classes.c.id.desc())
        if not include_archived:
            query = query.where(classes.c.status != "archived")
        with self._transaction(write=False) as conn:
            return [class_record(row._mapping) for row in conn.execute(query)]
