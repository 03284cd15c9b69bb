"""Issue 12 in the store: the class's answer stays secret, attempts, demonstrations,
educator tools (comments, class status, authored cases edited, archived, deleted)."""

from __future__ import annotations

import pytest

from dbssim.patient.scenario import load_scenario
from dbssim.store.service import Store, StoreError

CASE = "dystonia-generalized-gpi"
OTHER = "pd-stn"


def test_practice_refused_on_the_case_of_an_open_class(store: Store) -> None:
    klass = store.create_class("Fellows", CASE, seed=11)
    with pytest.raises(StoreError) as refused:
        store.create_session(CASE, seed=11, trainee="Fellow A")  # the class's very patient
    assert refused.value.field == "scenario_id"
    with pytest.raises(StoreError):
        store.create_session(CASE, seed=5, trainee="Fellow A", random_patient=True)
    assert store.create_session(OTHER, seed=11, trainee="Fellow A").class_id is None
    assert CASE in store.open_class_cases()
    store.set_class_status(klass.id, "closed")  # the class is over: practice again
    assert store.create_session(CASE, seed=11, trainee="Fellow A").scenario_id == CASE


def test_one_attempt_per_pseudonym_per_class(store: Store) -> None:
    klass = store.create_class("Fellows", CASE, seed=11)
    first = store.join_class(klass.join_code, "Fellow A")
    with pytest.raises(StoreError, match="in progress"):
        store.join_class(klass.join_code, "fellow  a")  # same pseudonym, other spelling
    first.apply({"action": "finish"})
    with pytest.raises(StoreError, match="already finished") as refused:
        store.join_class(klass.join_code, "Fellow A")
    assert refused.value.field == "pseudonym"
    assert len(store.list_sessions(klass.id)) == 1, "a refused join must not store a session"
    store.join_class(klass.join_code, "Fellow B")  # others still join
    store.set_max_attempts(klass.id, 2)  # the educator allows one more
    again = store.join_class(klass.join_code, "Fellow A")
    assert again.id != first.id and not again.session.finished


def test_closed_class_refuses_joins_and_archived_leaves_lists(store: Store) -> None:
    klass = store.create_class("Fellows", CASE, seed=11)
    store.set_class_status(klass.id, "closed")
    with pytest.raises(StoreError, match="closed"):
        store.join_class(klass.join_code, "Fellow A")
    store.set_class_status(klass.id, "archived")
    assert [k.id for k in store.list_classes(include_archived=False)] == []
    assert store.get_class(klass.id).status == "archived"
    with pytest.raises(StoreError) as bad:
        store.set_class_status(klass.id, "gone")
    assert bad.value.field == "status"


def test_demonstration_opens_only_for_the_educator(store: Store) -> None:
    demo = store.start_session(CASE, seed=1, trainee="Demonstration", kind="demonstration")
    for key in (demo.code, demo.code.lower(), demo.id):
        with pytest.raises(StoreError) as refused:
            store.open_session(key)  # a trainee typing the code from the projector
        assert refused.value.field == "session"
    reopened = store.open_session(demo.code, educator=True)
    assert reopened.record.demonstration
    reopened.apply({"action": "examine"})
    assert store.load_session(demo.id)[1] == [{"action": "examine"}]


def test_demonstration_may_show_an_open_class_case(store: Store) -> None:
    store.create_class("Fellows", CASE, seed=11)
    demo = store.create_session(CASE, seed=11, trainee="Demonstration", kind="demonstration")
    assert demo.kind == "demonstration"


def test_educator_comment_kept_and_checked(store: Store) -> None:
    record = store.create_session(CASE, seed=1, trainee="Fellow A")
    store.set_comment(record.id, "Good bracketing.\nCheck the capsule earlier.")
    assert store.load_session(record.id)[0].comment == (
        "Good bracketing.\nCheck the capsule earlier."
    )
    store.set_comment(record.id, "   ")
    assert store.load_session(record.id)[0].comment is None
    with pytest.raises(StoreError) as bad:
        store.set_comment(record.id, "x" * 5000)
    assert bad.value.field == "comment"


def test_authored_case_edit_archive_delete(store: Store) -> None:
    case = load_scenario(CASE).model_copy(update={"id": "my-case", "title": "Same title"})
    store.save_case(case)
    store.save_case(case.model_copy(update={"id": "my-case-2"}))
    assert store.list_cases() == {"my-case": "Same title", "my-case-2": "Same title"}
    klass = store.create_class("Fellows", "my-case", seed=3)
    store.update_case(case.model_copy(update={"title": "Edited", "age_years": 34}))
    assert store.load_case("my-case").age_years == 34
    assert store.case_of_class(klass).title == "Same title", "a class keeps its copy"
    store.archive_case("my-case")
    assert "my-case" not in store.list_cases()
    assert store.list_cases(include_archived=True)["my-case"] == "Edited"
    assert store.archived_cases() == {"my-case"}
    store.delete_case("my-case-2")
    assert "my-case-2" not in store.list_cases(include_archived=True)
    with pytest.raises(StoreError):
        store.delete_case(CASE)  # bundled cases do not change
    with pytest.raises(StoreError):
        store.update_case(case.model_copy(update={"id": "nobody"}))


def test_revision_0004_upgrades_rows_kept_at_0003(store_url: str) -> None:
    """A store at revision 0003 with a class and a session upgrades with the defaults."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from dbssim.session.scoring import debrief
    from dbssim.store.database import MIGRATIONS_DIR, create_store_engine

    engine = create_store_engine(store_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.execute(
            text(
                "INSERT INTO classes (name, scenario_id, seed, per_trainee_draw, join_code,"
                " created_at) VALUES ('Old', :case, 1, false, 'ABC123', CURRENT_TIMESTAMP)"
            ),
            {"case": CASE},
        )
        conn.execute(
            text(
                "INSERT INTO sessions (id, code, trainee, scenario_id, scenario_json, seed,"
                " random_patient, created_at) VALUES ('00000000-0000-4000-8000-000000000001',"
                " '3F9KQ2MX', 'Fellow A', :case, :json, 1, false, CURRENT_TIMESTAMP)"
            ),
            {"case": CASE, "json": load_scenario(CASE).model_dump_json()},
        )
    engine.dispose()
    with Store.open(store_url, scorer=debrief) as upgraded:
        klass = upgraded.list_classes()[0]
        assert (klass.status, klass.max_attempts) == ("open", 1)
        record = upgraded.load_session("3F9KQ2MX")[0]
        assert (record.kind, record.comment) == ("trainee", None)
        assert upgraded.open_session("3F9KQ2MX").record.trainee == "Fellow A"
