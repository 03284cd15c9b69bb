"""Issue 12 in the app: the class's answer stays secret (practice, re-joining,
demonstrations), and the educator's tools (class status, cases by id, Results with clinic
minutes, demonstrations apart, the side-by-side view, comments in reports, projector mode)."""

from __future__ import annotations

import time
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from dbssim.report.html import report_reference
from dbssim.ui import results_data
from tests.app.helpers import click, errors, figures, markdown_and_errors, table
from tests.app.test_classroom import finish, join, store
from tests.app.test_educator import sign_in

MakeApp = Callable[..., AppTest]
CASE = "dystonia-generalized-gpi"


def educator(new_app: MakeApp, passphrase: str) -> AppTest:
    at = sign_in(new_app(), passphrase)
    assert at.session_state["page"] == "Class", errors(at)
    return at


def demonstration(at: AppTest) -> AppTest:
    at.sidebar.radio(key="nav_edu").set_value("Demonstration").run()
    at.selectbox(key="demo_case").set_value(CASE)
    return click(at, "demo_start")


# --- the class's answer stays secret ---------------------------------------------------------
def test_the_case_of_an_open_class_cannot_be_practised(new_app: MakeApp) -> None:
    store().create_class("Fellows", CASE, seed=7)
    at = new_app()
    assert CASE not in at.selectbox(key="case_scenario").options
    at.session_state["case"] = {"scenario_id": CASE, "random_patient": False, "seed": 7}
    at.button(key="start").click().run()  # a forged choice is refused by the store too
    assert at.session_state["stored"] is None
    assert any("open class" in e for e in errors(at)), errors(at)


def test_rejoining_after_finishing_starts_no_new_session(new_app: MakeApp) -> None:
    klass = store().create_class("Fellows", CASE, seed=7)
    finish(join(new_app(), klass.join_code))
    again = join(new_app(), klass.join_code)
    assert again.session_state["stored"] is None
    assert any("already finished" in e for e in errors(again)), errors(again)
    assert len(store().list_sessions(klass.id)) == 1


def test_closed_class_refuses_joins_from_the_class_page(
    new_app: MakeApp, educator_mode: str
) -> None:
    klass = store().create_class("Fellows", CASE, seed=7)
    at = educator(new_app, educator_mode)
    at.selectbox(key="class_manage_pick").set_value(klass.id).run()
    click(at, "class_close")
    assert store().get_class(klass.id).status == "closed"
    trainee = join(new_app(), klass.join_code)
    assert any("closed" in e for e in errors(trainee)), errors(trainee)


def test_demonstration_shows_no_code_and_a_trainee_cannot_open_it(
    new_app: MakeApp, educator_mode: str
) -> None:
    at = demonstration(educator(new_app, educator_mode))
    demo = at.session_state["stored"]
    assert demo.record.kind == "demonstration"
    assert "session" not in at.query_params, "the code is not in the projected URL"
    assert demo.code not in markdown_and_errors(at)
    by_link = new_app(session=demo.code)
    assert by_link.session_state["stored"] is None
    typed = new_app()
    typed.text_input(key="resume_code").input(demo.code)
    click(typed, "resume")
    assert typed.session_state["stored"] is None and errors(typed)
    click(at, "examine")  # the educator goes on programming
    assert len(store().load_session(demo.id)[1]) == 1


# --- educator tools ----------------------------------------------------------------------------
def test_cases_are_picked_by_id(new_app: MakeApp, educator_mode: str) -> None:
    s = store()
    base = s.load_case(CASE)
    for n in (1, 2):
        s.save_case(base.model_copy(update={"id": f"same-{n}", "title": "Same title"}))
    at = educator(new_app, educator_mode)
    box = at.selectbox(key="class_case")
    labels = [box.format_func(o) for o in box.options]  # type: ignore[misc]
    same = [label for label in labels if label.startswith("Same title")]
    assert len(same) == 2 and len(set(same)) == 2, labels
    box.set_value("same-2")
    at.text_input(key="class_name").input("Fellows")
    click(at, "class_submit")
    assert s.list_classes()[0].scenario_id == "same-2"


def test_results_clinic_minutes_demonstrations_apart_comment_in_report(
    new_app: MakeApp, educator_mode: str
) -> None:
    s = store()
    klass = s.create_class("Fellows", "dystonia-cervical-gpi", seed=3)
    trainee = s.join_class(klass.join_code, "Fellow A")
    for action in (
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 1.5,
         "pulse_width_us": 60, "frequency_hz": 130},
        {"action": "stim_on"},
        {"action": "record_threshold", "side": "left", "contact": "1", "kind": "efficacy",
         "amplitude_ma": 1.5},
        {"action": "wait", "minutes": 30},
        {"action": "finish"},
    ):  # fmt: skip
        trainee.apply(action)
    at = demonstration(educator(new_app, educator_mode))
    at.sidebar.radio(key="nav_edu").set_value("Results").run()
    listed = table(at, "results_table")
    assert list(listed["trainee"]) == ["Fellow A"], "the demonstration is listed apart"
    assert listed["clinic_minutes"].iloc[0] == round(trainee.session.clinic_minutes, 1)
    assert trainee.session.clinic_minutes >= 30, "clinic time, not the seconds this test took"
    assert len(table(at, "results_demos")) == 1
    compare = table(at, "results_compare")
    assert "1.5 mA" in compare["thresholds recorded"].iloc[0]
    assert "1-" in compare["final program"].iloc[0] or "1" in compare["final program"].iloc[0]
    at.text_area(key="results_comment").input("Good bracketing <b>!</b>")
    click(at, "results_comment_save")
    assert s.load_session(trainee.id)[0].comment == "Good bracketing <b>!</b>"
    html = results_data.report_html(s, trainee.id)
    assert "Good bracketing &lt;b&gt;!&lt;/b&gt;" in html
    assert trainee.id not in html and trainee.code not in html
    assert report_reference(trainee.id) in html


def test_projector_mode_hides_sidebar_and_reveals_fast(
    new_app: MakeApp, educator_mode: str
) -> None:
    at = demonstration(educator(new_app, educator_mode))
    at.toggle(key="demo_projector").set_value(True).run()
    styles = " ".join(str(h.proto.body) for h in at.get("html"))
    assert 'data-testid="stSidebar"' in styles and "display: none" in styles
    click(at, "demo_next")
    fig = figures(at)["demo_anatomy"]
    assert fig["layout"]["legend"]["font"]["size"] >= 18
    took = []
    for _ in range(3):
        t0 = time.perf_counter()
        click(at, "demo_next")
        took.append(time.perf_counter() - t0)
    print(f"reveal layers 2-4 took {', '.join(f'{t:.2f}' for t in took)} s (AppTest)")
    assert "demo_windows" in figures(at)


def test_archive_and_delete_an_authored_case_from_the_class_page(
    new_app: MakeApp, educator_mode: str
) -> None:
    s = store()
    base = s.load_case(CASE)
    for n in (1, 2):
        s.save_case(base.model_copy(update={"id": f"mine-{n}", "title": f"Mine {n}"}))
    at = educator(new_app, educator_mode)
    at.selectbox(key="case_admin_pick").set_value("mine-1").run()
    click(at, "case_admin_archive")
    assert not [o for o in at.selectbox(key="class_case").options if "mine-1" in o]
    assert [o for o in at.selectbox(key="class_case").options if "mine-2" in o]
    assert s.archived_cases() == {"mine-1"}
    at.selectbox(key="case_admin_pick").set_value("mine-2").run()
    click(at, "case_admin_delete")
    assert errors(at), "a delete needs its confirmation"
    assert "mine-2" in s.list_cases()
    at.checkbox(key="case_admin_sure").check().run()
    click(at, "case_admin_delete")
    assert "mine-2" not in s.list_cases(include_archived=True)


def test_a_class_whose_stored_case_fails_todays_checks_refuses_joins_with_the_reason(
    new_app: MakeApp,
) -> None:
    """A case stored before the checks existed: the trainee reads what is wrong, not a
    traceback, and no session starts."""
    import json

    from sqlalchemy import update

    from dbssim.store.sql_tables import classes

    klass = store().create_class("Fellows", CASE, seed=7)
    case = json.loads(klass.scenario_json)
    case["leads"]["left"]["direction"] = [0.0, 0.0, 0.0]
    with store()._transaction(write=True) as conn:
        conn.execute(
            update(classes).where(classes.c.id == klass.id).values(scenario_json=json.dumps(case))
        )
    trainee = join(new_app(), klass.join_code)
    assert not trainee.exception
    assert trainee.session_state["stored"] is None
    shown = " ".join(errors(trainee))
    assert "leads.left.direction" in shown and "Cases page" in shown, shown
