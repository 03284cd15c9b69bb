"""Trainee side of the classroom (issue 5): stored sessions, resume by link or code, joining
a class, and the hidden truth kept back until the session is finished."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import dbssim.session.scoring as scoring
from dbssim.session.scoring import debrief
from dbssim.store.service import Store
from tests.app.helpers import (
    click,
    errors,
    live,
    markdown_and_errors,
    program_left,
    start,
)

MakeApp = Callable[..., AppTest]
# What the debrief computes from the hidden truth: none of it may exist before finishing.
TRUTH_KEYS = {"expert_program", "expert_outcome", "review", "trainee_outcome"}


def store() -> Store:
    return Store.open(os.environ["DBSSIM_DATABASE_URL"], scorer=debrief)


def busy_session(at: AppTest) -> AppTest:
    """A few steps of programming: set, stimulation on, examine, ask, a threshold."""
    program_left(start(at), amplitude=2.5)
    click(at, "stim_on")
    click(at, "examine")
    click(at, "ask")
    at.number_input(key="thr_amp_left").set_value(2.5)
    click(at, "thr_submit_left")
    return at


def finish(at: AppTest) -> AppTest:
    at.sidebar.checkbox(key="finish_confirm").check().run()
    return click(at, "finish")


def join(at: AppTest, code: str, name: str = "Fellow A") -> AppTest:
    at.text_input(key="pseudonym_input").input(name)
    at.text_input(key="join_code").input(code)
    return click(at, "join")


def _walk(value: Any) -> Any:
    yield value
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v)


def truth_in_state(at: AppTest) -> set[str]:
    """Keys of debrief data found anywhere in the browser session's state."""
    found = set()
    for key in list(at.session_state.keys()):
        for item in _walk(at.session_state[key]):
            if isinstance(item, str) and item in TRUTH_KEYS:
                found.add(f"{key}: {item}")
    return found


# --- every action is stored ----------------------------------------------------------------
def test_every_action_is_saved_as_it_happens(new_app: MakeApp) -> None:
    at = busy_session(new_app())
    running = at.session_state["stored"]
    record, saved = store().load_session(running.code)
    assert saved == live(at).actions(), "the store must hold exactly the actions taken"
    assert record.trainee == "anonymous" and record.n_actions == 5
    assert at.query_params["session"] == running.code, "the resume code belongs in the URL"
    assert running.code in markdown_and_errors(at), "the trainee is shown the code"


def test_a_refused_action_is_neither_applied_nor_saved(new_app: MakeApp) -> None:
    at = start(new_app(), "dystonia-cervical-gpi")
    click(at, "apply_left")  # no contact chosen: refused by the page
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(15.0).run()  # over the per-contact limit
    click(at, "apply_left")
    assert any(e.startswith("amplitude_ma:") for e in errors(at)), errors(at)
    assert live(at).log == []
    assert store().load_session(at.session_state["stored"].code)[1] == []


# --- resume: reload, restart, code box -----------------------------------------------------
def test_reload_resumes_every_recorded_action(new_app: MakeApp) -> None:
    at = busy_session(new_app())
    code, before = at.session_state["stored"].code, live(at).log
    again = new_app(session=code)  # a reload: a new browser session with the same URL
    assert again.session_state["page"] == "Programming", "back to work, not to the Case page"
    assert live(again).log == before, "the resumed log must equal the one before the reload"
    assert live(again).thresholds == live(at).thresholds
    assert again.number_input(key="amp_left").value == 2.5, "the applied program is the draft"
    click(again, "examine")
    assert len(store().load_session(code)[1]) == len(before) + 1, "it goes on being saved"


def test_server_restart_resumes_from_the_database(new_app: MakeApp) -> None:
    at = busy_session(new_app())
    code, before = at.session_state["stored"].code, live(at).actions()
    st.cache_resource.clear()  # what a restart loses: the open store and everything cached
    again = new_app(session=code)
    assert live(again).actions() == before


def test_resume_with_a_typed_code(new_app: MakeApp) -> None:
    at = busy_session(new_app())
    code = at.session_state["stored"].code
    other = new_app()
    other.text_input(key="resume_code").input(f" {code[:4].lower()}-{code[4:]} ")
    click(other, "resume")
    assert other.session_state["page"] == "Programming"
    assert live(other).log == live(at).log
    assert other.query_params["session"] == code


def test_unknown_code_in_the_url_is_refused_plainly(new_app: MakeApp) -> None:
    at = new_app(session="NOSUCH99")
    assert at.session_state["stored"] is None and at.session_state["page"] == "Case"
    assert any("no session" in e for e in errors(at)), errors(at)
    assert "session" not in at.query_params, "a dead code is dropped from the URL"


def test_a_finished_session_resumes_on_its_debrief(new_app: MakeApp) -> None:
    at = finish(busy_session(new_app()))
    record, _ = store().load_session(at.session_state["stored"].code)
    assert record.finished and set(record.scores or {}) >= {"outcome", "safety"}
    again = new_app(session=record.code)
    assert again.session_state["page"] == "Debrief"
    assert [m.label for m in again.metric] == ["Outcome", "Safety", "Efficiency", "Process"]
    assert again.get("download_button"), "the trainee can keep the report"


# --- joining a class -------------------------------------------------------------------------
def test_trainees_join_a_fixed_seed_class(new_app: MakeApp) -> None:
    klass = store().create_class("Fellows", "dystonia-cervical-gpi", seed=42)
    first = join(new_app(), klass.join_code.lower(), "Fellow A")
    second = join(new_app(), klass.join_code, "Fellow B")
    for at in (first, second):
        assert at.session_state["page"] == "Programming", errors(at)
        record = at.session_state["stored"].record
        assert (record.class_id, record.seed, record.random_patient) == (klass.id, 42, False)
        assert record.scenario_id == "dystonia-cervical-gpi"
    assert {r.trainee for r in store().list_sessions(klass.id)} == {"Fellow A", "Fellow B"}


def test_per_trainee_draws_give_each_trainee_a_patient(new_app: MakeApp) -> None:
    klass = store().create_class("Draws", "pd-stn", seed=1, per_trainee_draw=True)
    at = join(new_app(), klass.join_code)
    record = at.session_state["stored"].record
    assert record.random_patient and record.class_id == klass.id
    assert "random patient" in live(at).patient.scenario.title


def test_joining_needs_a_pseudonym_and_a_real_code(new_app: MakeApp) -> None:
    klass = store().create_class("Fellows", "et-vim", seed=3)
    at = new_app()
    at.text_input(key="join_code").input(klass.join_code)
    click(at, "join")
    assert any(e.startswith("pseudonym:") for e in errors(at)), errors(at)
    join(at, "ZZZZZZ")
    assert any("join_code" in e for e in errors(at)), errors(at)
    assert at.session_state["stored"] is None and not store().list_sessions()


def test_pseudonym_is_length_limited_and_shown_as_text(new_app: MakeApp) -> None:
    klass = store().create_class("Fellows", "et-vim", seed=3)
    at = new_app()
    assert at.text_input(key="pseudonym_input").max_chars == 60
    assert "real patient data" in markdown_and_errors(at), "warn before anything is typed"
    join(at, klass.join_code, "<script>x</script> ![i](http://x/y.png)")
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "<script>" not in sidebar and "![i]" not in sidebar, sidebar
    assert "\\<script\\>" in sidebar, "the pseudonym is shown as inert text"


# --- the hidden truth stays hidden --------------------------------------------------------------
def test_a_trainee_cannot_reach_debrief_data_before_finishing(
    new_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    klass = store().create_class("Fellows", "dystonia-generalized-gpi", seed=5)
    at = join(new_app(), klass.join_code)
    program_left(at)
    click(at, "stim_on")
    for page in ("Debrief", "Demonstration", "Results", "Class"):
        at.session_state["page"] = page  # as if the page key were forged
        at.run()
        assert not at.exception
        assert not at.metric and not at.get("plotly_chart"), f"{page} showed results"
        assert at.session_state["debrief"] is None
    assert at.session_state["page"] == "Case", "educator pages do not exist for a trainee"
    monkeypatch.setenv("DBSSIM_EDUCATOR_PASSPHRASE", "a secret")
    at.session_state["page"] = "Demonstration"  # mode on, but not signed in
    at.run()
    assert at.session_state["page"] == "Case" and not at.get("plotly_chart")
    assert not truth_in_state(at), truth_in_state(at)
    assert store().load_session(at.session_state["stored"].id)[0].scores is None


def test_truth_appears_only_after_finishing(new_app: MakeApp) -> None:
    at = busy_session(new_app())
    assert not truth_in_state(at)
    finish(at)
    assert at.session_state["page"] == "Debrief"
    assert truth_in_state(at), "the debrief is computed once the session is finished"


def test_the_debrief_reads_the_stored_debrief_and_never_searches_again(
    new_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Score once (issue 13): the expert search runs at the finish, not on the Debrief page."""
    searches: list[str] = []
    search = scoring.find_expert_program

    def counted(patient: Any) -> Any:
        searches.append(patient.scenario.id)
        return search(patient)

    def forget() -> None:  # a search hidden behind the cache would not be counted
        scoring._expert.cache_clear()

    monkeypatch.setattr(scoring, "find_expert_program", counted)
    forget()  # no answer left over from another test
    at = finish(busy_session(new_app()))
    assert at.session_state["page"] == "Debrief" and at.metric, "the debrief is shown"
    assert len(searches) == 1, f"searched {len(searches)} times to finish"
    forget()
    at.run()
    again = new_app(session=at.session_state["stored"].code)  # reopened by its link
    assert again.session_state["page"] == "Debrief" and again.metric
    assert len(searches) == 1, f"the Debrief page searched again ({len(searches)} searches)"
    shown = [m.value for m in again.metric]
    assert shown == [m.value for m in at.metric], "the reopened debrief shows the same scores"


def test_two_windows_on_one_session_never_fork_it(new_app: MakeApp) -> None:
    at = program_left(start(new_app()))
    code = at.session_state["stored"].code
    other = new_app(session=code)
    click(other, "stim_on")  # the second window moves on first
    click(at, "examine")  # the first one is behind: refused, then shown the latest state
    assert any("another window" in e for e in errors(at)), errors(at)
    assert live(at).log == live(other).log
    assert store().load_session(code)[1] == live(other).actions()
    click(at, "examine")
    assert [a["action"] for a in store().load_session(code)[1]] == ["set", "stim_on", "examine"]
