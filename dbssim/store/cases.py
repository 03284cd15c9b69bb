"""Cases in the store: the bundled scenarios, and the cases educators authored.

Authored cases live in the shared database, not in one server's files, so every app
server behind one database sees them (DESIGN §8).
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from dbssim.errors import InputError
from dbssim.patient.case_checks import schema_problems
from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.store.connection import StoreConnection
from dbssim.store.database import now_utc
from dbssim.store.records import StoreError
from dbssim.store.sql_tables import MAX_TITLE_CHARS, cases
from dbssim.validation import closest_name, validation_problems


class CaseStore(StoreConnection):
    """Bundled and authored cases, looked up by id."""

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

    def list_cases(self, include_archived: bool = False) -> dict[str, str]:
        """Authored case id → title, oldest first (archived cases only when asked)."""
        query = select(cases.c.id, cases.c.title).order_by(cases.c.created_at, cases.c.id)
        if not include_archived:
            query = query.where(cases.c.archived.is_(False))
        with self._transaction(write=False) as conn:
            return {row.id: row.title for row in conn.execute(query)}

    def archived_cases(self) -> set[str]:
        """Ids of the authored cases an educator archived."""
        with self._transaction(write=False) as conn:
            rows = conn.execute(select(cases.c.id).where(cases.c.archived.is_(True)))
            return {row.id for row in rows}

    def update_case(self, scenario: Scenario) -> None:
        """Replace an authored case (same id). Classes and sessions keep their own copy."""
        self._change_case(
            scenario.id,
            title=scenario.title[:MAX_TITLE_CHARS],
            scenario_json=scenario.model_dump_json(),
        )

    def archive_case(self, case_id: str, archived: bool = True) -> None:
        """Take an authored case out of the pickers (or bring it back); nothing is lost."""
        self._change_case(case_id, archived=bool(archived))

    def delete_case(self, case_id: str) -> None:
        """Delete an authored case. Classes and sessions on it keep their own copy."""
        self._authored_or_refuse(case_id)
        with self._transaction(write=True) as conn:
            if conn.execute(delete(cases).where(cases.c.id == case_id)).rowcount != 1:
                raise StoreError("id", f"no authored case '{case_id}'")

    def _change_case(self, case_id: str, **values: object) -> None:
        self._authored_or_refuse(case_id)
        with self._transaction(write=True) as conn:
            done = conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
            if done.rowcount != 1:
                raise StoreError("id", f"no authored case '{case_id}'")

    @staticmethod
    def _authored_or_refuse(case_id: str) -> None:
        if case_id in list_scenario_ids():
            raise StoreError("id", f"'{case_id}' is a bundled case; only authored cases change")

    def load_case(self, case_id: str) -> Scenario:
        """A bundled scenario by id, else an authored case from the database."""
        if case_id in list_scenario_ids() or case_id.endswith((".yaml", ".yml")):
            return bundled_or_file(case_id)
        with self._transaction(write=False) as conn:
            row = conn.execute(select(cases.c.scenario_json).where(cases.c.id == case_id)).first()
        if row is None:
            known = list_scenario_ids() + list(self.list_cases())
            hint = closest_name(case_id, known)
            extra = f"; did you mean '{hint}'?" if hint else ""
            raise StoreError(
                "scenario_id",
                f"unknown scenario '{case_id}'{extra}; known: {', '.join(known)}",
                known,
            )
        return stored_case(case_id, row.scenario_json)

    def scenario_of(self, scenario: str | Scenario) -> Scenario:
        """A scenario given as an object, or by id (bundled or authored) or file path."""
        return self.load_case(scenario) if isinstance(scenario, str) else scenario


def stored_case(case_id: str, scenario_json: str) -> Scenario:
    """A case read back from the database, checked as an upload is checked today.

    A case saved before a check existed (or by an older version) may fail it now; the
    trainee or educator then gets the problems and where to fix them, not a traceback.

    Raises
    ------
    ScenarioError
        Every problem, each naming the field and what is allowed.
    """
    where = (
        f"stored case '{case_id}' fails today's checks; an educator can fix it on the Cases page"
    )
    try:
        scenario = Scenario.model_validate_json(scenario_json)
    except ValidationError as exc:
        problems = validation_problems(exc, Scenario)
        raise ScenarioError(
            [InputError(p.field, f"{p.message} ({where})", p.allowed) for p in problems]
        ) from None
    errors = schema_problems(scenario)
    if errors:
        raise ScenarioError([InputError("case", f"{e} ({where})") for e in errors])
    return scenario


def bundled_or_file(scenario: str | Scenario) -> Scenario:
    """A bundled scenario by id, or a scenario file by path (a bad one: ScenarioError)."""
    if isinstance(scenario, Scenario):
        return scenario
    if not isinstance(scenario, str):
        raise StoreError("scenario_id", f"give a scenario id (got {scenario!r})")
    return load_scenario(scenario)
