"""Canonical UI state: the non-widget ``st.session_state`` keys, initialised in one place.

Widgets are views of this state: before a widget is drawn its key is set from the
canonical value, and its ``on_change`` callback writes the new value back. Streamlit
drops a widget's own state when the widget is not on the page, the canonical keys stay.

Keys
----
page      name of the page shown (one of :data:`PAGES`)
case      ``{"scenario_id", "random_patient", "seed"}``: what Start will start
session   the running :class:`dbssim.session.Session`, or None
drafts    side -> ``{"polarity": {label: off|cathode|anode}, "amplitude",
          "pulse_width_us", "frequency_hz"}``: the program being edited, not yet applied
errors    control key -> message, shown beside that control on the next run
vta_cache (kind, side, setting) -> (vertices, faces) of VTAs drawn in the debrief
debrief   the engine's debrief, computed once after finishing
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dbssim.scenario import list_scenario_ids, load_scenario
from dbssim.session import Session, SessionError
from dbssim.ui.tables import setting_dict, spec_to_polarity

PAGES = ("Case", "Programming", "Monopolar review", "Follow-up", "Debrief")
PREFERRED_SCENARIO = "dystonia-generalized-gpi"
# Where a first programming visit usually starts (DESIGN §1: 60 µs, 130 Hz).
DEFAULT_PULSE_WIDTH_US = 60.0
DEFAULT_FREQUENCY_HZ = 130.0


def default_case() -> dict[str, Any]:
    ids = list_scenario_ids()
    scenario_id = PREFERRED_SCENARIO if PREFERRED_SCENARIO in ids else ids[0]
    return {
        "scenario_id": scenario_id,
        "random_patient": False,
        "seed": load_scenario(scenario_id).seed,
    }


def init_state() -> None:
    """Create every canonical key once per browser session."""
    ss = st.session_state
    if "page" not in ss:
        ss["page"] = PAGES[0]
    if "case" not in ss:
        ss["case"] = default_case()
    for key, factory in (
        ("session", lambda: None),
        ("drafts", dict),
        ("errors", dict),
        ("vta_cache", dict),
        ("debrief", lambda: None),
    ):
        if key not in ss:
            ss[key] = factory()


def session() -> Session | None:
    value: Session | None = st.session_state.get("session")
    return value


def go_to(page: str) -> None:
    """Switch page from a callback (the navigation widget follows the canonical key)."""
    st.session_state["page"] = page
    st.session_state["nav"] = page


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


def apply_action(action: dict[str, Any], error_key: str) -> dict[str, Any] | None:
    """Apply one action to the running session; on bad input remember the error instead."""
    current = session()
    if current is None:
        st.session_state["errors"][error_key] = "No session is running: start one on the Case page."
        return None
    try:
        entry: dict[str, Any] = current.apply(action)
    except (SessionError, ValueError) as exc:
        set_error(error_key, exc)
        return None
    st.session_state["errors"].pop(error_key, None)
    return entry


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


# --- callbacks ---------------------------------------------------------------------------------
def start_session() -> None:
    """Start callback: a new session from the chosen case, then the Programming page."""
    case = st.session_state["case"]
    try:
        new = Session.start(
            case["scenario_id"], seed=int(case["seed"]), random_patient=bool(case["random_patient"])
        )
    except (SessionError, ValueError) as exc:
        set_error("start", exc)
        return
    ss = st.session_state
    ss["session"] = new
    ss["drafts"] = initial_drafts(new)
    ss["errors"] = {}
    ss["vta_cache"] = {}
    ss["debrief"] = None
    go_to("Programming")


def finish_session() -> None:
    """Finish callback: end the session and open the debrief."""
    if apply_action({"action": "finish"}, "finish") is not None:
        go_to("Debrief")
