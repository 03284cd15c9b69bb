"""Callbacks that start, join, resume and finish the running session."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dbssim.patient.scenario_files import ScenarioError
from dbssim.session.engine import SessionError
from dbssim.store.service import StoredSession, StoreError
from dbssim.ui import storage, warmup
from dbssim.ui.actions import apply_action
from dbssim.ui.state import PREPARING, go_to, install, open_stored

SOLO_TRAINEE = "anonymous"  # stored for a practice session started without a pseudonym


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
    """Finish callback: end the session (its scores are stored) and open the debrief."""
    running = st.session_state.get("stored")
    if running is not None:
        warmup.wait_for_scoring(running.session)  # a search begun at the start, if running
    if apply_action({"action": "finish"}, "finish") is not None:
        go_to("Debrief")
