"""Educator mode (issue 5): passphrase, throttle, and the Class, Demonstration and Results pages."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dbssim.session.scoring import debrief
from dbssim.store.service import Store
from dbssim.ui import educator, results_data
from dbssim.ui.navigation import EDUCATOR_PAGES, SIGN_IN_PAGE
from dbssim.ui.state import PAGES
from tests.app.helpers import (
    click,
    errors,
    figures,
    live,
    markdown_and_errors,
    program_left,
    table,
)

MakeApp = Callable[..., AppTest]


def store() -> Store:
    return Store.open(os.environ["DBSSIM_DATABASE_URL"], scorer=debrief)


def sign_in(at: AppTest, passphrase: str) -> AppTest:
    if at.session_state["page"] != SIGN_IN_PAGE:
        click(at, "edu_open")
    at.text_input(key="edu_pass").input(passphrase)
    return click(at, "edu_submit")


def nav_options(at: AppTest) -> list[str]:
    return [o for radio in at.sidebar.radio for o in radio.options]


@pytest.fixture
def educator_app(new_app: MakeApp, educator_mode: str) -> AppTest:
    at = sign_in(new_app(), educator_mode)
    assert at.session_state["page"] == "Class", errors(at)
    return at


# --- the passphrase ----------------------------------------------------------------------------
def test_educator_pages_are_absent_without_the_variable(new_app: MakeApp) -> None:
    at = new_app()
    assert nav_options(at) == list(PAGES)
    assert not [b for b in at.sidebar.button if b.key == "edu_open"], "no sign-in either"
    for page in (*EDUCATOR_PAGES, SIGN_IN_PAGE):
        at.session_state["page"] = page
        at.run()
        assert at.session_state["page"] == "Case", f"{page} must not exist"
        assert "Educator passphrase" not in [t.label for t in at.text_input]


def test_the_variable_is_read_at_request_time(
    new_app: MakeApp, monkeypatch: pytest.MonkeyPatch, educator_mode: str
) -> None:
    at = sign_in(new_app(), educator_mode)
    assert set(EDUCATOR_PAGES) <= set(nav_options(at))
    monkeypatch.delenv("DBSSIM_EDUCATOR_PASSPHRASE")
    at.run()
    assert nav_options(at) == list(PAGES), "unset: the pages go at once"
    monkeypatch.setenv("DBSSIM_EDUCATOR_PASSPHRASE", "a new passphrase")
    at.run()
    assert not set(EDUCATOR_PAGES) & set(nav_options(at)), "a changed passphrase signs out"


def test_wrong_passphrase_is_denied_and_not_echoed(new_app: MakeApp, educator_mode: str) -> None:
    at = sign_in(new_app(), "wrong guess 1")
    assert at.session_state["page"] == SIGN_IN_PAGE
    assert any("Wrong passphrase" in e for e in errors(at)), errors(at)
    assert not set(EDUCATOR_PAGES) & set(nav_options(at))
    assert at.text_input(key="edu_pass").value == "", "the field is cleared"
    assert at.text_input(key="edu_pass").proto.type == 1, "a password field (masked)"
    everything = markdown_and_errors(at) + repr(dict(at.session_state.items()))
    assert "wrong guess 1" not in everything and educator_mode not in everything


def test_failed_attempts_are_throttled(new_app: MakeApp, educator_mode: str) -> None:
    at = new_app()
    for n in range(educator.FREE_FAILURES):
        sign_in(at, f"guess {n}")
    assert any("wait" in e for e in errors(at)), "the third failure starts a lock-out"
    sign_in(at, educator_mode)  # even the right passphrase waits
    assert any("Too many failed attempts" in e for e in errors(at)), errors(at)
    assert at.session_state["page"] == SIGN_IN_PAGE and at.session_state["educator"] is None
    other = sign_in(new_app(), educator_mode)  # another browser session: its own wait (issue 12)
    assert other.session_state["educator"] is not None, "one client cannot lock out another"


def test_throttle_lockout_grows_exponentially() -> None:
    now = [1000.0]
    guard = educator.Throttle(clock=lambda: now[0])
    lockouts = [guard.failed("ip") for _ in range(6)]
    base = educator.BASE_LOCKOUT_S
    assert lockouts == [0.0, 0.0, base, 2 * base, 4 * base, 8 * base], lockouts
    assert guard.wait_s("ip") == pytest.approx(8 * base) and guard.wait_s("other") == 0
    now[0] += 8 * base
    assert guard.wait_s("ip") == 0
    for _ in range(30):
        guard.failed("ip")
    assert guard.wait_s("ip") == educator.MAX_LOCKOUT_S, "capped"
    guard.succeeded("ip")
    now[0] += educator.GLOBAL_WINDOW_S  # the global window forgets the 36 failures
    assert guard.wait_s("ip") == 0 and guard.failed("ip") == 0


def test_passphrase_comparison_is_exact() -> None:
    assert educator.passphrase_matches("s3cret ü", "s3cret ü")
    assert not educator.passphrase_matches("s3cret", "s3cret ")
    assert not educator.passphrase_matches("", "x")


def test_sign_in_and_out(educator_app: AppTest) -> None:
    assert set(EDUCATOR_PAGES) <= set(nav_options(educator_app))
    click(educator_app, "edu_sign_out")
    assert educator_app.session_state["page"] == "Case"
    assert not set(EDUCATOR_PAGES) & set(nav_options(educator_app))


# --- class -------------------------------------------------------------------------------------
def create_class(at: AppTest, name: str, case: str, draw: bool = False, seed: int = 7) -> str:
    at.text_input(key="class_name").input(name)
    at.selectbox(key="class_case").set_value(case)
    at.radio(key="class_draw").set_value(draw)
    at.number_input(key="class_seed").set_value(seed)
    click(at, "class_submit")
    return next(k.join_code for k in store().list_classes() if k.name == name)


def test_create_a_class_shows_its_join_code_and_lists_it(educator_app: AppTest) -> None:
    code = create_class(educator_app, "Fellows 2025", "pd-stn", draw=False, seed=11)
    assert code in markdown_and_errors(educator_app), "the join code is shown big"
    klass = store().get_class_by_code(code)
    assert (klass.scenario_id, klass.seed, klass.per_trainee_draw) == ("pd-stn", 11, False)
    create_class(educator_app, "Draws", "et-vim", draw=True)
    listed = table(educator_app, "class_table")
    assert list(listed["Class"]) == ["Draws", "Fellows 2025"], "newest first"
    assert list(listed["Patients"]) == ["a draw each", "fixed (seed 11)"]


def test_a_class_needs_a_name(educator_app: AppTest) -> None:
    click(educator_app, "class_submit")
    assert any(e.startswith("class name:") for e in errors(educator_app)), errors(educator_app)
    assert store().list_classes() == []


# --- demonstration ------------------------------------------------------------------------------
def test_demonstration_reveals_layers_step_by_step(educator_app: AppTest) -> None:
    at = educator_app
    at.sidebar.radio(key="nav_edu").set_value("Demonstration").run()
    at.selectbox(key="demo_case").set_value("dystonia-generalized-gpi")
    click(at, "demo_start")
    assert at.session_state["stored"].record.trainee == "Demonstration"
    assert not figures(at), "nothing revealed before the first step"
    program_left(at, amplitude=3.0)
    click(at, "stim_on")
    click(at, "demo_next")
    names = [t.get("name", "") for t in figures(at)["demo_anatomy"]["data"]]
    assert "VTA: program now on" not in names, "layer 1: anatomy only"
    click(at, "demo_next")
    names = [t.get("name", "") for t in figures(at)["demo_anatomy"]["data"]]
    assert "VTA: program now on" in names, "layer 2: the activated volume"
    click(at, "demo_next")
    assert "demo_windows" in figures(at) and len(table(at, "demo_review")) == 4
    click(at, "demo_next")
    assert any("Expert program" in s.value for s in at.success)
    click(at, "demo_hide")
    assert not figures(at)
    assert at.session_state["debrief"] is None, "the demonstration keeps no truth in state"
    assert len(live(at).log) == 2, "programming live is saved like any session"


def test_the_demonstrated_true_review_never_stars_a_negative_window(educator_app: AppTest) -> None:
    at = educator_app
    at.sidebar.radio(key="nav_edu").set_value("Demonstration").run()
    at.selectbox(key="demo_case").set_value("pd-stn")
    click(at, "demo_start")
    for _ in range(3):  # anatomy, activated volume, true review
        click(at, "demo_next")
    review = table(at, "demo_review")
    windows = [float(w) for w in review["window"]]
    assert min(windows) < 0, "this case's true review has a side effect before benefit"
    starred = [w for w, note in zip(windows, review["note"], strict=True) if note == "★"]
    assert starred == [max(windows)] and starred[0] > 0, review
    assert any("negative window is no window" in c.value for c in at.caption)


# --- results ------------------------------------------------------------------------------------
def test_results_list_sessions_with_scores_csv_and_reports(
    educator_app: AppTest, new_app: MakeApp
) -> None:
    s = store()
    klass = s.create_class("Fellows", "dystonia-generalized-gpi", seed=3)
    done = s.start_session("dystonia-generalized-gpi", 3, "=SUM(1)<b>", class_id=klass.id)
    for action in (
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 2.0,
         "pulse_width_us": 60, "frequency_hz": 130},
        {"action": "stim_on"},
        {"action": "finish"},
    ):  # fmt: skip
        done.apply(action)
    s.start_session("pd-stn", 1, "Solo")  # in progress, outside the class
    at = educator_app
    at.sidebar.radio(key="nav_edu").set_value("Results").run()
    listed = table(at, "results_table")
    assert list(listed["trainee"]) == ["=SUM(1)<b>", "Solo"], "finished first"
    assert listed["outcome"].iloc[0] == done.record.scores["outcome"]["score"]
    assert listed["status"].tolist() == ["finished", "in progress"]
    assert listed["mean"].iloc[1] == "—", "an unfinished session's mean is a dash, not None"
    at.selectbox(key="results_class").set_value(klass.id).run()
    assert list(table(at, "results_table")["trainee"]) == ["=SUM(1)<b>"]
    csv_text = results_data.results_csv([results_data.result_row(done.record, {}, {})])
    parsed = next(csv.DictReader(io.StringIO(csv_text)))
    assert parsed["trainee"] == "'=SUM(1)<b>", "no formula runs in a spreadsheet"
    assert float(parsed["outcome"]) == done.record.scores["outcome"]["score"]
    assert [b.proto.label for b in at.get("download_button")] == [
        "Download the table (CSV)",
        "Download report (HTML)",
    ]
    html = results_data.report_html(s, done.id)
    assert "=SUM(1)&lt;b&gt;" in html and "<b>" not in html, "the name is escaped"
    assert html.startswith("<!DOCTYPE html>") and "expert program" in html


def test_results_page_with_no_sessions(educator_app: AppTest) -> None:
    educator_app.sidebar.radio(key="nav_edu").set_value("Results").run()
    assert educator_app.info and not educator_app.dataframe


@pytest.mark.parametrize("with_session", [False, True])
@pytest.mark.parametrize("page", EDUCATOR_PAGES)
def test_every_educator_page_runs(educator_app: AppTest, page: str, with_session: bool) -> None:
    if with_session:
        educator_app.sidebar.radio(key="nav").set_value("Case").run()
        click(educator_app, "start")
    educator_app.sidebar.radio(key="nav_edu").set_value(page).run()
    assert not educator_app.exception, f"{page}: {educator_app.exception}"
    assert educator_app.session_state["page"] == page
    assert not errors(educator_app), f"{page} shows errors: {errors(educator_app)}"
