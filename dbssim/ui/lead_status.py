"""Each lead's state at a glance, on the page itself (not only in the sidebar).

Clinicians review one side with the other off: during a review the trainee must see
whether the other lead is delivering, and the day and stimulation, without opening the
sidebar (which is collapsed on a tablet or phone).
"""

from __future__ import annotations

import streamlit as st

from dbssim.session.engine import Session
from dbssim.ui import program_fields

LEAD_NAMES = {"left": "Left lead", "right": "Right lead"}


def lead_state(current: Session, side: str) -> tuple[str, str]:
    """``("Left lead: ON 2.0 mA", "green")`` or an OFF text (and why) with its colour."""
    name = LEAD_NAMES.get(side, f"{side} lead")
    applied = program_fields.setting_dict(current.programs.get(side))
    if not applied:
        return f"{name}: OFF (not programmed)", "gray"
    unit = "V" if applied.get("amplitude_v") is not None else "mA"
    amplitude = program_fields.amplitude_of(applied)
    if amplitude <= 0:
        return f"{name}: OFF (0 {unit})", "gray"
    if not current.stimulation_on:
        return f"{name}: OFF (stimulation off; set {amplitude:.1f} {unit})", "gray"
    return f"{name}: ON {amplitude:.1f} {unit} on {applied['contacts']}", "green"


def status_badges(current: Session) -> None:
    """Day and minute, stimulation, and one badge per lead, in one line."""
    stim = "Stimulation ON" if current.stimulation_on else "Stimulation OFF"
    parts = [
        f":blue-badge[Day {current.day}, minute {float(current.minute):.0f}]",
        f":{'green' if current.stimulation_on else 'gray'}-badge[{stim}]",
    ]
    for side in current.patient.sides:
        text, colour = lead_state(current, side)
        parts.append(f":{colour}-badge[{text}]")
    st.markdown(" ".join(parts), width="stretch")
