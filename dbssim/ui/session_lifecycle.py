"""Callbacks that start, join, resume and finish the running session."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dbssim.patient.scenario_files import ScenarioError
from dbssim.session.engine import SessionError
from dbssim.store.service import StoredSession, StoreError
from dbssim.ui import storage, warmup
from dbssim.ui.actions import apply_action
from dbssim.ui.state import PREPARING, SCORING, go_to, install, open_stored

SOLO_TRAINEE = "anonymous"  # stored for a practice session started without a pseudonym
FINISHING = "finishing"  # session-state flag: Finish was clicked, the sidebar runs it


def _trainee(required: bool) -> str:
    ss = st.session_state  # the field's own value: its on_change may not have run yet
    name = str(ss.get("pseudonym_input") or ss.get("pseudonym") or "").strip()
    if not name and required:
        raise StoreError("pseudonym", "type your name or a pseudonym first")
    return name or SOLO_TRAINEE


def _switch_to(opening: Callable[[], StoredSession], error_key: str) -> None:
    """Run a new stored session and open Programming; a refusal stays beside ``error_key``."""
    try:
        with st.spinner(PREPARING):  # first start of a case: patient precompute, ~0.1–1 s
            new = opening()
    except (SessionError, ScenarioError, *storage.STORE_ERRORS) as exc:
        st.session_state["errors"][error_key] = storage.database_message(exc)
        return
    install(new)
    warmup.prepare_scoring(new.session)  # the finish then finds the expert program ready
    go_to("Programming")


def start_session() -> None:
    """Start callback: a new stored session from the chosen case, then the Programming page."""
    case = st.session_state["case"]
    _switch_to(
        lambda: storage.get_store().start_session(
            case["scenario_id"],
            int(case["seed"]),
            _trainee(required=False),
            random_patient=bool(case["random_patient"]),
        ),
        "start",
    )


def _join() -> StoredSession:
    trainee = _trainee(required=True)
    code = str(st.session_state.get("join_code") or "")
    return storage.get_store().join_class(code, trainee)


def join_class() -> None:
    """Join callback: the class's case (its seed, or a draw of one's own) for this trainee."""
    _switch_to(_join, "join")


def resume_session() -> None:
    """Resume callback of the Case page's code box."""
    code = str(st.session_state.get("resume_code") or "").strip()
    if not code:
        st.session_state["errors"]["resume"] = "code: type the code of your session"
        return
    if open_stored(code, "resume") is None:
        st.session_state["resume_code"] = ""


def finish_session() -> None:
    """Finish callback: ask for the finish, which the sidebar then runs where it can be seen.

    Scoring searches the expert program and the true review (seconds on a first finish of
    a case). A callback's spinner would sit at the top of the main area, out of sight of a
    trainee scrolled down to the sidebar's Finish button, so the finish itself runs at the
    start of the next script run in the sidebar (:func:`run_requested_finish`), under a
    spinner there and a toast that stays in view whatever is scrolled.
    """
    st.session_state[FINISHING] = True


def run_requested_finish() -> None:
    """Finish the session if the trainee asked for it: a spinner and a toast while scoring,
    then the debrief (issue 11, finding 9). A refusal stays beside the Finish button."""
    if not st.session_state.pop(FINISHING, False):
        return
    st.toast(SCORING, icon=":material/hourglass_top:")
    with st.spinner(SCORING, show_time=True):
        running = st.session_state.get("stored")
        if running is not None:
            warmup.wait_for_scoring(running.session)  # a search begun at the start, if running
        finished = apply_action({"action": "finish"}, "finish")
    if finished is not None:
        go_to("Debrief")
