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
drafts    side -> ``{"polarity": {label: off|cathode|anode}, "amplitude",
          "pulse_width_us", "frequency_hz"}``: the program being edited, not yet applied
errors    control key -> message, shown beside that control on the next run
vta_cache (kind, side, setting) -> (vertices, faces) of VTAs drawn in the debrief
debrief   the engine's debrief, computed once after finishing (never before)
educator  proof of a successful educator sign-in (see :mod:`dbssim.ui.educator`), or None

The running session's resume code is also in the page URL (``?session=CODE``): a reload
or a server restart opens the stored session again with every recorded action.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.session.engine import Session, SessionError
from dbssim.store.service import StoredSession, StoreError
from dbssim.ui import storage
from dbssim.ui.tables import setting_dict, spec_to_polarity

PAGES = ("Case", "Programming", "Monopolar review", "Follow-up", "Debrief")
PREFERRED_SCENARIO = "dystonia-generalized-gpi"
# Where a first programming visit usually starts (DESIGN §1: 60 µs, 130 Hz).
DEFAULT_PULSE_WIDTH_US = 60.0
DEFAULT_FREQUENCY_HZ = 130.0
SOLO_TRAINEE = "anonymous"  # stored for a practice session started without a pseudonym
URL_KEY = "session"  # ?session=CODE
DRAW_SEED_MAX = 2**31 - 1  # per-trainee draws (as the Case page's seed input)


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


def go_to(page: str) -> None:
    """Switch page from a callback (the navigation widget follows the canonical key)."""
    st.session_state["page"] = page


# --- errors beside controls ----------------------------------------------------------------
def error_message(exc: Exception) -> str:
    """The message of an engine error, naming the field it is about."""
    text = str(exc) or exc.__class__.__name__
    field = getattr(exc, "field", None)
    if field and str(field) not in text:
        text = f"{field}: {text}"
    return text


def set_error(key: str, exc: Exception) -> None:
    st.session_state["errors"][key] = error_message(exc)


def pop_error(key: str) -> str | None:
    message: str | None = st.session_state["errors"].pop(key, None)
    return message


def apply_action(
    action: dict[str, Any], error_key: str, field_keys: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """Apply one action to the running session and save it; on a refusal remember the error.

    Every action of the UI comes through here, so every action is stored before it counts
    (:meth:`dbssim.store.service.StoredSession.apply` undoes it in memory if the save fails).
    ``field_keys`` maps an engine field (``pulse_width_us``) to the control that shows its
    refusals; other refusals are shown beside ``error_key``.
    """
    current = stored()
    if current is None:
        st.session_state["errors"][error_key] = "No session is running: start one on the Case page."
        return None
    try:
        entry: dict[str, Any] = current.apply(action)
    except StoreError as exc:
        if exc.field == "index":  # the same session moved on in another window
            _reload(current, error_key)
        else:
            set_error(error_key, exc)
        return None
    except SessionError as exc:
        set_error((field_keys or {}).get(exc.field, error_key), exc)
        return None
    except ValueError as exc:
        set_error(error_key, exc)
        return None
    except SQLAlchemyError as exc:
        st.session_state["errors"][error_key] = (
            f"Not saved, so not done: {storage.database_message(exc)}. Try again."
        )
        return None
    st.session_state["errors"].pop(error_key, None)
    return entry


def _reload(current: StoredSession, error_key: str) -> None:
    try:
        fresh = storage.get_store().open_session(current.id)
    except storage.STORE_ERRORS as exc:
        st.session_state["errors"][error_key] = storage.database_message(exc)
        return
    install(fresh)
    st.session_state["errors"][error_key] = (
        "This session went on in another window: its latest state is shown now. "
        "Check it and repeat your last step if it is still needed."
    )


def act(action: dict[str, Any], error_key: str) -> None:
    """Callback form of :func:`apply_action` (buttons' ``on_click``)."""
    apply_action(action, error_key)


# --- drafts ----------------------------------------------------------------------------------
def _clamp(value: float, low: float, high: float) -> float:
    return float(min(max(value, low), high))


def initial_drafts(current: Session) -> dict[str, dict[str, Any]]:
    """Drafts for every implanted side: the applied program if any, else a safe start."""
    device = current.patient.device
    voltage = current.scenario.amplitude_mode == "voltage"
    drafts = {}
    for side, model in current.patient.sides.items():
        labels = model.lead.labels
        applied = setting_dict(current.programs.get(side))
        if applied:
            amplitude = applied.get("amplitude_v" if voltage else "amplitude_ma") or 0.0
            drafts[side] = {
                "polarity": spec_to_polarity(str(applied["contacts"]), labels),
                "amplitude": float(amplitude),
                "pulse_width_us": float(applied["pulse_width_us"]),
                "frequency_hz": float(applied["frequency_hz"]),
            }
            continue
        drafts[side] = {
            "polarity": dict.fromkeys(labels, "off"),
            "amplitude": 0.0,
            "pulse_width_us": _clamp(
                DEFAULT_PULSE_WIDTH_US, device.pulse_width_min_us, device.pulse_width_max_us
            ),
            "frequency_hz": _clamp(
                DEFAULT_FREQUENCY_HZ, device.frequency_min_hz, device.frequency_max_hz
            ),
        }
    return drafts


# --- sessions: start, join, resume ------------------------------------------------------------
def install(new: StoredSession) -> None:
    """Make a stored session the running one (fresh drafts, no debrief) and put it in the URL."""
    ss = st.session_state
    ss["stored"] = new
    ss["drafts"] = initial_drafts(new.session)
    ss["errors"] = {}
    ss["vta_cache"] = {}
    ss["debrief"] = None
    st.query_params[URL_KEY] = new.code


def _trainee(required: bool) -> str:
    ss = st.session_state  # the field's own value: its on_change may not have run yet
    name = str(ss.get("pseudonym_input") or ss.get("pseudonym") or "").strip()
    if not name and required:
        raise StoreError("pseudonym", "type your name or a pseudonym first")
    return name or SOLO_TRAINEE


def start_session() -> None:
    """Start callback: a new stored session from the chosen case, then the Programming page."""
    case = st.session_state["case"]
    try:
        new = storage.get_store().start_session(
            case["scenario_id"],
            int(case["seed"]),
            _trainee(required=False),
            random_patient=bool(case["random_patient"]),
        )
    except (SessionError, ScenarioError, *storage.STORE_ERRORS) as exc:
        st.session_state["errors"]["start"] = storage.database_message(exc)
        return
    install(new)
    go_to("Programming")


def join_class() -> None:
    """Join callback: the class's case (its seed, or a draw of one's own) for this trainee."""
    try:
        trainee = _trainee(required=True)
        store = storage.get_store()
        klass = store.get_class_by_code(str(st.session_state.get("join_code") or ""))
        draw = klass.per_trainee_draw
        new = store.start_session(
            store.case_of_class(klass),
            secrets.randbelow(DRAW_SEED_MAX) if draw else klass.seed,
            trainee,
            class_id=klass.id,
            random_patient=draw,
        )
    except (SessionError, ScenarioError, *storage.STORE_ERRORS) as exc:
        st.session_state["errors"]["join"] = storage.database_message(exc)
        return
    install(new)
    go_to("Programming")


def open_stored(code: str, error_key: str) -> Exception | None:
    """Open a stored session by resume code (or id) on Programming or the Debrief.

    Returns the refusal (also shown beside ``error_key``), or None when it opened.
    """
    try:
        new = storage.get_store().open_session(code)
    except (SessionError, ScenarioError, *storage.STORE_ERRORS) as exc:
        st.session_state["errors"][error_key] = storage.database_message(exc)
        return exc
    install(new)
    go_to("Debrief" if new.session.finished else "Programming")
    return None


def resume_session() -> None:
    """Resume callback of the Case page's code box."""
    code = str(st.session_state.get("resume_code") or "").strip()
    if not code:
        st.session_state["errors"]["resume"] = "code: type the code of your session"
        return
    if open_stored(code, "resume") is None:
        st.session_state["resume_code"] = ""


def sync_url() -> None:
    """Keep ``?session=CODE`` and the running session together.

    A fresh browser session (a reload, a shared link, a restarted server) opens the
    session the URL names; a running one writes its code into the URL.
    """
    code = st.query_params.get(URL_KEY)
    current = stored()
    if current is not None:
        if code != current.code:
            st.query_params[URL_KEY] = current.code
        return
    if not code:
        return
    refused = open_stored(code, "resume")
    if refused is not None:
        go_to("Case")
        if isinstance(refused, StoreError) and refused.field == "session":
            del st.query_params[URL_KEY]  # no such session; a database outage keeps the link


def finish_session() -> None:
    """Finish callback: end the session (its scores are stored) and open the debrief."""
    if apply_action({"action": "finish"}, "finish") is not None:
        go_to("Debrief")
