"""The session store on SQLite and PostgreSQL: round trip, resume, refusals, schema."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from dbssim.patient.scenario_library import load_scenario
from dbssim.session.engine import Session, SessionError
from dbssim.store.database import create_store_engine
from dbssim.store.records import CODE_ALPHABET, normalise_code
from dbssim.store.service import Store, StoreError
from dbssim.store.sql_tables import metadata

SCENARIO = "dystonia-generalized-gpi"


def set_left(amplitude_ma: float, contacts: str = "1-") -> dict[str, Any]:
    return {
        "action": "set",
        "side": "left",
        "contacts": contacts,
        "amplitude_ma": amplitude_ma,
        "pulse_width_us": 60,
        "frequency_hz": 130,
    }


SCRIPT: list[dict[str, Any]] = [
    {"action": "examine"},
    {"action": "stim_on"},
    set_left(1.0),
    {"action": "examine"},
    set_left(2.0),
    {"action": "ask"},
    {
        "action": "record_threshold",
        "side": "left",
        "contact": "1",
        "kind": "side_effect",
        "amplitude_ma": 2.0,
        "note": "<b>pulling</b> & 'quotes'",
    },
    {"action": "wait", "minutes": 5},
    {"action": "visit", "after_days": 30},
    {"action": "examine"},
]


def test_round_trip_keeps_every_action_exactly(store: Store) -> None:
    record = store.create_session(SCENARIO, seed=3, trainee="Fellow <A> ünïcode")
    for index, action in enumerate(SCRIPT):
        store.append_action(record.id, index, action)
    loaded, actions = store.load_session(record.id)
    assert actions == SCRIPT, f"stored actions differ:\nexpected {SCRIPT}\nobserved {actions}"
    assert loaded.trainee == "Fellow <A> ünïcode", f"pseudonym not stored as given: {loaded}"
    assert (loaded.id, loaded.code, loaded.seed) == (record.id, record.code, 3)
    assert loaded.n_actions == len(SCRIPT), f"n_actions {loaded.n_actions}"
    assert loaded.created_at.tzinfo is not None and not loaded.finished
    assert loaded.last_action_at is not None and loaded.last_action_at >= loaded.created_at
    assert [type(v) for v in actions[2].values()] == [type(v) for v in SCRIPT[2].values()], (
        "ints and floats must come back as they went in (strict replay depends on it)"
    )


def test_resume_equals_original(store: Store) -> None:
    stored = store.start_session(SCENARIO, seed=11, trainee="t")
    for action in SCRIPT:
        stored.apply(action)
    for key in (
        stored.id,
        stored.code,
        stored.code.lower(),
        f"{stored.code[:4]}-{stored.code[4:]}",
    ):
        resumed = store.resume(key)
        assert resumed.log == stored.session.log, f"resumed log differs (key {key!r})"
        assert resumed.thresholds == stored.session.thresholds
        assert (resumed.day, resumed.minute) == (stored.session.day, stored.session.minute)
    reopened = store.open_session(stored.code)
    entry = reopened.apply({"action": "ask"})
    assert entry["index"] == len(SCRIPT), f"resumed session continued at {entry['index']}"
    assert store.load_session(stored.id)[0].n_actions == len(SCRIPT) + 1


def test_resume_uses_the_scenario_snapshot(store: Store) -> None:
    scenario = load_scenario(SCENARIO)
    stored = store.start_session(scenario, seed=0, trainee="t")
    stored.apply({"action": "examine"})
    resumed = store.resume(stored.id)
    assert resumed.scenario == scenario, "the resumed session runs on another case"


def test_duplicate_and_out_of_order_index_refused(store: Store) -> None:
    record = store.create_session(SCENARIO, seed=0, trainee="t")
    store.append_action(record.id, 0, {"action": "examine"})
    with pytest.raises(StoreError, match=r"index: action 0 is already saved .*next index is 1"):
        store.append_action(record.id, 0, {"action": "ask"})
    with pytest.raises(StoreError, match=r"index: action 2 is out of order; the next index is 1"):
        store.append_action(record.id, 2, {"action": "ask"})
    with pytest.raises(StoreError, match=r"index: must be an integer >= 0"):
        store.append_action(record.id, -1, {"action": "ask"})
    _, actions = store.load_session(record.id)
    assert actions == [{"action": "examine"}], f"a refused write left a trace: {actions}"


def test_unknown_session_and_bad_payload_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="session_id: no session"):
        store.append_action("00000000-0000-0000-0000-000000000000", 0, {"action": "ask"})
    with pytest.raises(StoreError, match="session: no session with id or code"):
        store.load_session("ZZZZZZZZ")
    record = store.create_session(SCENARIO, seed=0, trainee="t")
    with pytest.raises(StoreError, match="action: is not plain JSON"):
        store.append_action(record.id, 0, {"action": "wait", "minutes": float("nan")})
    with pytest.raises(StoreError, match="action: must be a JSON object"):
        store.append_action(record.id, 0, ["examine"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("trainee", "message"),
    [
        ("", "trainee: must not be empty"),
        ("   ", "trainee: must not be empty"),
        ("x" * 61, "trainee: 61 characters; at most 60"),
        ("bell\x07", "trainee: contains control"),
        ("right-to-left\u202eoverride", "trainee: contains control"),
        (42, "trainee: must be text"),
    ],
)
def test_bad_pseudonym_refused(store: Store, trainee: Any, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        store.create_session(SCENARIO, seed=0, trainee=trainee)


def test_bad_session_arguments_refused(store: Store) -> None:
    with pytest.raises(StoreError, match=r"scenario_id: .*unknown scenario 'dystonia-generalised"):
        store.create_session("dystonia-generalised-gpi", seed=0, trainee="t")
    with pytest.raises(StoreError, match="seed: must be an integer"):
        store.create_session(SCENARIO, seed=-1, trainee="t")
    with pytest.raises(StoreError, match="class_id: no class with id 999"):
        store.create_session(SCENARIO, seed=0, trainee="t", class_id=999)
    assert store.list_sessions() == [], "a refused session was stored"


def test_stored_session_refused_action_stores_nothing(store: Store) -> None:
    stored = store.start_session(SCENARIO, seed=0, trainee="t")
    with pytest.raises(SessionError, match="amplitude_ma"):
        stored.apply(set_left(-1.0))
    assert store.load_session(stored.id)[1] == [] and stored.session.log == []


def test_stored_session_does_not_diverge_when_the_write_fails(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = store.start_session(SCENARIO, seed=5, trainee="t")
    for action in SCRIPT[:4]:
        stored.apply(action)
    before = copy.deepcopy(stored.session.log)
    exam_rng = stored.session._exam_rng.bit_generator.state

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "append_action", broken)
    with pytest.raises(OSError, match="disk full"):
        stored.apply({"action": "examine"})
    assert stored.session.log == before, "the refused step stayed in memory"
    assert stored.session._exam_rng.bit_generator.state == exam_rng, "rater noise advanced"
    monkeypatch.undo()
    stored.apply({"action": "examine"})
    assert store.resume(stored.id).log == stored.session.log


def test_stored_session_refuses_when_another_writer_got_there_first(store: Store) -> None:
    stored = store.start_session(SCENARIO, seed=0, trainee="t")
    stored.apply({"action": "examine"})
    store.append_action(stored.id, 1, {"action": "ask"})  # e.g. a second browser tab
    with pytest.raises(StoreError, match="index: action 1 is already saved"):
        stored.apply({"action": "stim_on"})
    assert len(stored.session.log) == 1, "memory kept a step the store refused"
    assert store.open_session(stored.id).session.log[1]["action"] == {"action": "ask"}


def test_finish_stores_scores_and_closes_the_session(store: Store) -> None:
    stored = store.start_session(SCENARIO, seed=2, trainee="t")
    for action in [*SCRIPT, {"action": "finish"}]:
        stored.apply(action)
    record, actions = store.load_session(stored.id)
    assert record.finished and record.finished_at is not None
    assert record.scores is not None and set(record.scores) == {
        "outcome",
        "safety",
        "efficiency",
        "process",
    }, f"scores: {record.scores}"
    assert actions[-1] == {"action": "finish"}
    assert record.duration_s >= 0
    with pytest.raises(StoreError, match="the session is finished"):
        store.append_action(stored.id, len(actions), {"action": "ask"})
    with pytest.raises(StoreError, match="already finished"):
        store.finish(stored.id, {"scores": {}})


def test_classes_fixed_seed_and_per_trainee_draws(store: Store) -> None:
    fixed = store.create_class("Fellows 2025", SCENARIO, seed=7)
    drawn = store.create_class("Residents", "pd-stn", seed=1, per_trainee_draw=True)
    assert len(fixed.join_code) == 6 and set(fixed.join_code) <= set(CODE_ALPHABET)
    assert store.get_class_by_code(fixed.join_code.lower()) == fixed
    a = store.join_class(fixed.join_code, "A")
    b = store.join_class(fixed.join_code, "B")
    assert (a.record.seed, b.record.seed) == (7, 7) and not a.record.random_patient
    c = store.join_class(drawn.join_code, "C")
    assert c.record.random_patient and c.record.class_id == drawn.id
    assert [r.trainee for r in store.list_sessions(class_id=fixed.id)] == ["A", "B"]
    assert len(store.list_sessions()) == 3
    with pytest.raises(StoreError, match="join_code: no class has this join code"):
        store.get_class_by_code("000000")


def test_codes_are_unambiguous_and_forgiving() -> None:
    assert not set("ILOU") & set(CODE_ALPHABET), "ambiguous letters in the alphabet"
    assert normalise_code(" ab1o-il9z ") == "AB10119Z"


def test_migrated_schema_matches_the_tables(store_url: str) -> None:
    store = Store.open(store_url)
    try:
        with store._engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        store.close()
    assert diff == [], f"migrations and dbssim/store_schema.py disagree: {diff}"
    Store.open(store_url).close()  # a second open finds the schema up to date


def test_sqlite_default_location_wal_and_timeout(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DBSSIM_DATABASE_URL", raising=False)
    with Store.open() as store:
        assert (tmp_path / "data" / "dbssim.sqlite3").is_file(), "no data/dbssim.sqlite3"
        with store._engine.connect() as conn:
            mode = conn.execute(text("PRAGMA journal_mode")).scalar()
            timeout = conn.execute(text("PRAGMA busy_timeout")).scalar()
            keys = conn.execute(text("PRAGMA foreign_keys")).scalar()
    assert (mode, keys) == ("wal", 1), f"journal_mode {mode}, foreign_keys {keys}"
    assert timeout is not None and timeout >= 10_000, f"busy_timeout {timeout} ms"


def test_url_from_environment_and_password_hidden(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBSSIM_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    with Store.open() as store:
        assert store.backend == "sqlite" and (tmp_path / "env.sqlite3").is_file()
    with pytest.raises(StoreError, match="backend 'mysql' is not supported") as info:
        Store.open("mysql://user:s3cret-pw@127.0.0.1/db")
    assert "s3cret-pw" not in str(info.value)
    with pytest.raises(StoreError, match="needs a file path"):
        Store.open("sqlite://")
    store = Store(create_store_engine("postgresql://u:s3cret-pw@127.0.0.1:1/db"))  # no connect
    assert "s3cret-pw" not in repr(store) and "+psycopg" in repr(store), repr(store)
    store.close()


def test_replay_of_stored_actions_matches_session_replay(store: Store) -> None:
    """The store adds nothing to a session: Session.replay on its actions gives the same log."""
    stored = store.start_session(SCENARIO, seed=9, trainee="t")
    for action in SCRIPT:
        stored.apply(action)
    _, actions = store.load_session(stored.id)
    assert Session.replay(SCENARIO, 9, actions).log == store.resume(stored.id).log


def test_authored_case_is_shared_through_the_database_and_joinable(store: Store) -> None:
    from dbssim.patient.scenario_library import load_scenario

    case = load_scenario("dystonia-generalized-gpi").revalidated(id="lead-2mm-medial", title="T")
    store.save_case(case)
    assert store.list_cases() == {"lead-2mm-medial": "T"}
    with pytest.raises(StoreError, match="exists already"):
        store.save_case(case)
    with pytest.raises(StoreError, match="bundled"):
        store.save_case(load_scenario("pd-stn"))
    klass = store.create_class("Fellows", "lead-2mm-medial", seed=4)
    joined = store.join_class(klass.join_code, "Fellow A")
    assert joined.session.patient.scenario.id == "lead-2mm-medial"
    # The class keeps its own copy of the case.
    assert store.get_class_by_code(klass.join_code).scenario_json
