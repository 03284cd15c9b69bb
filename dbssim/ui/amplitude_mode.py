"""The mA / V toggle of a side's program, on devices that offer both amplitude modes.

Changing the unit keeps the draft's cathodic current (the engine's side model converts
through the contact impedances, :mod:`dbssim.session.amplitude_modes`); the amplitude
field then follows the new unit's label, step and range.
"""

from __future__ import annotations

import streamlit as st

from dbssim.session.amplitude_modes import equivalent_amplitude
from dbssim.session.engine import Session
from dbssim.ui import program_fields, steps
from dbssim.ui.drafts import is_voltage
from dbssim.ui.state import session

UNITS = {"current": "mA", "voltage": "V"}
MODES = {unit: mode for mode, unit in UNITS.items()}


def has_both_modes(current: Session) -> bool:
    """Whether the device can be programmed in mA and in V (a toggle is worth showing)."""
    return set(UNITS) <= set(current.patient.device.modes)


def _on_grid(value: float, grid: steps.Grid) -> float:
    value = min(max(value, grid.low), grid.high)
    return steps.as_shown(round(value / grid.step) * grid.step, grid.step)


def _change_mode(side: str) -> None:
    current = session()
    unit = st.session_state.get(f"mode_{side}")
    if current is None or unit not in MODES:
        return
    draft = st.session_state["drafts"][side]
    to_voltage = MODES[unit] == "voltage"
    if to_voltage == is_voltage(current, draft):
        return
    labels = current.patient.sides[side].lead.labels
    contacts = program_fields.polarity_to_spec(draft["polarity"], labels)
    before = (draft.get("mode"), float(draft["amplitude"]), contacts)
    memory_key = f"mode_memory_{side}"
    remembered = st.session_state.pop(memory_key, None)
    if remembered is not None and remembered["shown"] == before:
        # Toggled back without editing: the rounding of the way out (2.0 mA -> 1.0 V) must
        # not change the value on the way back (1.0 V -> 1.9 mA).
        draft["mode"], draft["amplitude"] = remembered["mode"], remembered["amplitude"]
        return
    amplitude = equivalent_amplitude(
        current.patient.sides[side], contacts, float(draft["amplitude"]), to_voltage
    )
    draft["mode"] = MODES[unit]
    grid = steps.amplitude_grid(current.patient.device, to_voltage)
    draft["amplitude"] = _on_grid(amplitude, grid)
    st.session_state[memory_key] = {
        "mode": before[0],
        "amplitude": before[1],
        "shown": (draft["mode"], float(draft["amplitude"]), contacts),
    }


def mode_toggle(current: Session, side: str) -> bool:
    """The mA / V choice for one side (only where the device has both); True when in V."""
    draft = st.session_state["drafts"][side]
    voltage = is_voltage(current, draft)
    if not has_both_modes(current):
        return voltage
    key = f"mode_{side}"
    st.session_state[key] = UNITS["voltage" if voltage else "current"]
    st.radio(
        "Amplitude in",
        list(MODES),
        key=key,
        horizontal=True,
        on_change=_change_mode,
        args=(side,),
        disabled=current.finished,
        help="Constant current (mA) or constant voltage (V). Switching keeps the current "
        "the draft drives; in V the current depends on the contacts' impedance, and the "
        "cathodes share it by impedance (no percentage split).",
    )
    return voltage
