"""Cases in the store: the bundled scenarios, and the cases educators authored.

Authored cases live in the shared database, not in one server's files, so every app
server behind one database sees them (DESIGN §8).
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.store.connection import StoreConnection
from dbssim.store.database import now_utc
from dbssim.store.records import StoreError
from dbssim.store.sql_tables import MAX_TITLE_CHARS, cases
from dbssim.validation import closest_name


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

    def list_cases(self) -> dict[str, str]:
        """Authored case id → title, oldest first."""
        query = select(cases.c.id, cases.c.title).order_by(cases.c.created_at, cases.c.id)
        with self._transaction(write=False) as conn:
            return {row.id: row.title for row in conn.execute(query)}

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
        return Scenario.model_validate_json(row.scenario_json)

    def scenario_of(self, scenario: str | Scenario) -> Scenario:
        """A scenario given as an object, or by id (bundled or authored) or file path."""
        return self.load_case(scenario) if isinstance(scenario, str) else scenario


def bundled_or_file(scenario: str | Scenario) -> Scenario:
    """A bundled scenario by id, or a scenario file by path (a bad one: ScenarioError)."""
    if isinstance(scenario, Scenario):
        return scenario
    if not isinstance(scenario, str):
        raise StoreError("scenario_id", f"give a scenario id (got {scenario!r})")
    return load_scenario(scenario)
