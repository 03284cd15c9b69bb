"""Canonical UI state: the non-widget ``st.session_state`` keys, initialised in one place.

Widgets are views of this state: before a widget is drawn its key is set from the
canonical value, and its ``on_change`` callback writes the new value back. Streamlit
drops a widget's own state when the widget is not on the page, the canonical keys stay.

Keys
----
page      name of the page shown (see :mod:`dbssim.ui.navigation`)
case      ``{"scenario_id", "random_patient", "seed"}``: what Start will start
pseudonym the trainee's name or pseudonym as typed (stored with their sessions)
stored    the running :class:`dbssim.store.service.StoredSession` (every action saved), or None
drafts    side -> ``{"polarity": {label: off|cathode|anode}, "shares", "amplitude",
          "pulse_width_us", "frequency_hz", "mode": current|voltage}``: the program being
          edited, not yet applied
errors    control key -> message, shown beside that control on the next run
vta_cache (kind, side, setting) -> (vertices, faces) of VTAs drawn in the debrief
debrief   the engine's debrief, computed once after finishing (never before)
finishing set by the Finish button; the sidebar then finishes under a spinner
educator  proof of a successful educator sign-in (see :mod:`dbssim.ui.educator`), or None

The running session's resume code is also in the page URL (``?session=CODE``): a reload
or a server restart opens the stored session again with every recorded action.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.session.engine import Session, SessionError
from dbssim.store.service import StoredSession, StoreError
from dbssim.ui import storage
from dbssim.ui.drafts import initial_drafts
from dbssim.ui.text import load_text

PAGES = ("Case", "Programming", "Monopolar review", "Follow-up", "Debrief")
PREFERRED_SCENARIO = "dystonia-generalized-gpi"
URL_KEY = "session"  # ?session=CODE


PREPARING = "Preparing the virtual patient…"  # shown while a session starts
SCORING = "Scoring your session… (the expert program and the true review are worked out)"
REOPENING = "Opening your session… (its actions are replayed on the virtual patient)"


def default_case() -> dict[str, Any]:
    ids = list_scenario_ids()
    scenario_id = PREFERRED_SCENARIO if PREFERRED_SCENARIO in ids else ids[0]
    return {
        "scenario_id": scenario_id,
        "random_patient": False,
        "seed": load_scenario(scenario_id).seed,
    }


def init_state() -> None:
    """Create every canonical key once per browser session, then follow the URL's code."""
    ss = st.session_state
    if "page" not in ss:
        ss["page"] = PAGES[0]
    if "case" not in ss:
        ss["case"] = default_case()
    for key, factory in (
        ("pseudonym", str),
        ("stored", lambda: None),
        ("drafts", dict),
        ("errors", dict),
        ("vta_cache", dict),
        ("debrief", lambda: None),
        ("educator", lambda: None),
    ):
        if key not in ss:
            ss[key] = factory()
    sync_url()


def stored() -> StoredSession | None:
    value: StoredSession | None = st.session_state.get("stored")
    return value


def session() -> Session | None:
    """The live session of the running stored session (read it; act via apply_action)."""
    current = stored()
    return current.session if current is not None else None


def require_session() -> Session | None:
    """The running session, or an info message pointing to the Case page."""
    current = session()
    if current is None:
        st.info(load_text("no_session"), icon=":material/info:")
    return current


def go_to(page: str) -> None:
    """Switch page from a callback (the navigation widget follows the canonical key)."""
    st.session_state["page"] = page


def install(new: StoredSession) -> None:
    """Make a stored session the running one (fresh drafts, no debrief) and put it in the URL."""
    ss = st.session_state
    ss["stored"] = new
    ss["drafts"] = initial_drafts(new.session)
    ss["errors"] = {}
    ss["vta_cache"] = {}
    ss["debrief"] = None
    if new.record.demonstration:  # no code of a demonstration on the projector, not even the URL
        st.query_params.pop(URL_KEY, None)
    else:
        st.query_params[URL_KEY] = new.code


def open_stored(code: str, error_key: str) -> Exception | None:
    """Open a stored session by resume code (or id) on Programming or the Debrief.

    Returns the refusal (also shown beside ``error_key``), or None when it opened.
    """
    try:
        with st.spinner(REOPENING, show_time=True):  # replays the stored actions
            new = storage.get_store().open_session(code)
    except (SessionError, ScenarioError, *storage.STORE_ERRORS) as exc:
        st.session_state["errors"][error_key] = storage.database_message(exc)
        return exc
    install(new)
    go_to("Debrief" if new.session.finished else "Programming")
    return None


def sync_url() -> None:
    """Keep ``?session=CODE`` and the running session together.

    A fresh browser session (a reload, a shared link, a restarted server) opens the
    session the URL names; a running one writes its code into the URL.
    """
    code = st.query_params.get(URL_KEY)
    current = stored()
    if current is not None:
        if current.record.demonstration:
            st.query_params.pop(URL_KEY, None)
        elif code != current.code:
            st.query_params[URL_KEY] = current.code
        return
    if not code:
        return
    refused = open_stored(code, "resume")
    if refused is not None:
        go_to("Case")
        if isinstance(refused, StoreError) and refused.field == "session":
            del st.query_params[URL_KEY]  # no such session; a database outage keeps the link
