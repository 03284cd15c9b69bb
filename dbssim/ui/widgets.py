"""Reusable Streamlit pieces: the program editor, clinic controls, results and status.

Every number input reads its range and step from the device profile; every action goes
through :func:`dbssim.ui.state.apply_action`, so bad input shows an error beside the control.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import streamlit as st

from dbssim import viz
from dbssim.session import MAX_WAIT_MINUTES, Session
from dbssim.ui import state, tables
from dbssim.ui.text import load_text

POLARITY_SIGNS = {"off": "", "cathode": " −", "anode": " +"}
HEMISPHERE_TITLES = {"left": "Left lead (right body)", "right": "Right lead (left body)"}


def show_error(key: str) -> None:
    """Show (once) the error a callback left for this control."""
    message = state.pop_error(key)
    if message:
        st.error(message, icon=":material/error:")


def markdown(name: str) -> None:
    st.markdown(load_text(name))


def require_session() -> Session | None:
    """The running session, or an info message pointing to the Case page."""
    current = state.session()
    if current is None:
        st.info(load_text("no_session"), icon=":material/info:")
    return current


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _bound_input(
    widget: Callable[..., Any], key: str, side: str, field: str, label: str, **kwargs: Any
) -> None:
    """Draw a widget as a view of ``drafts[side][field]``."""
    st.session_state[key] = st.session_state["drafts"][side][field]

    def _sync() -> None:
        st.session_state["drafts"][side][field] = float(st.session_state[key])

    widget(label, key=key, on_change=_sync, **kwargs)


# --- program editor ----------------------------------------------------------------------------
def _cycle_contact(side: str, label: str) -> None:
    polarity = st.session_state["drafts"][side]["polarity"]
    polarity[label] = tables.POLARITY_CYCLE[polarity.get(label, "off")]


def _apply_draft(side: str) -> None:
    current = state.session()
    if current is None:
        return
    draft = st.session_state["drafts"][side]
    labels = current.patient.sides[side].lead.labels
    amplitude_key = (
        "amplitude_v" if current.scenario.amplitude_mode == "voltage" else "amplitude_ma"
    )
    spec = tables.polarity_to_spec(draft["polarity"], labels)
    if not spec:
        st.session_state["errors"][f"apply_{side}"] = (
            "contacts: no contact is active; click a contact to make it a cathode (−)"
        )
        return
    state.apply_action(
        {
            "action": "set",
            "side": side,
            "contacts": spec,
            amplitude_key: draft["amplitude"],
            "pulse_width_us": draft["pulse_width_us"],
            "frequency_hz": draft["frequency_hz"],
        },
        f"apply_{side}",
    )


def _draft_matches(current: Session, side: str) -> bool:
    applied = tables.setting_dict(current.programs.get(side))
    draft = st.session_state["drafts"][side]
    labels = current.patient.sides[side].lead.labels
    spec = tables.polarity_to_spec(draft["polarity"], labels)
    if not applied:
        return not spec
    amp = applied.get("amplitude_v") if applied.get("amplitude_v") is not None else None
    amp = applied.get("amplitude_ma") if amp is None else amp
    return (
        tables.spec_to_polarity(str(applied["contacts"]), labels) == draft["polarity"]
        and math.isclose(float(amp or 0.0), draft["amplitude"], abs_tol=1e-9)
        and math.isclose(float(applied["pulse_width_us"]), draft["pulse_width_us"])
        and math.isclose(float(applied["frequency_hz"]), draft["frequency_hz"])
    )


def contact_buttons(current: Session, side: str) -> None:
    """One button per contact, top level first (as drawn), cycling off → − → +."""
    lead = current.patient.sides[side].lead
    polarity = st.session_state["drafts"][side]["polarity"]
    disabled = current.finished
    for level in reversed(range(lead.n_levels)):
        indices = lead.level_contacts(level)
        cols = st.columns(len(indices))
        for col, idx in zip(cols, indices, strict=True):
            label = lead.contacts[idx].label
            status = polarity.get(label, "off")
            col.button(
                f"{label}{POLARITY_SIGNS[status]}",
                key=f"contact_{side}_{label}",
                on_click=_cycle_contact,
                args=(side, label),
                type="primary" if status == "cathode" else "secondary",
                disabled=disabled,
                width="stretch",
                help=f"Contact {label}: {status}. Click to cycle off → cathode (−) → anode (+)",
            )


def program_editor(current: Session, side: str, show_lead: bool = True) -> None:
    """Lead drawing, contact buttons, amplitude/pulse width/frequency and Apply for one side."""
    device = current.patient.device
    lead = current.patient.sides[side].lead
    draft = st.session_state["drafts"][side]
    st.markdown(f"#### {HEMISPHERE_TITLES.get(side, side)}")
    if show_lead:
        fig_col, button_col = st.columns([2, 3])
        with fig_col:
            fig = viz.plot_lead(lead, draft["polarity"], title=f"{lead.name} ({side})")
            st.plotly_chart(
                fig, width="stretch", key=f"lead_fig_{side}", config={"displayModeBar": False}
            )
        with button_col:
            st.caption("Contacts (click to cycle)")
            contact_buttons(current, side)
    else:
        contact_buttons(current, side)
    voltage = current.scenario.amplitude_mode == "voltage"
    if voltage:
        amp_max, amp_step, unit = device.amplitude_max_v, device.amplitude_step_v, "V"
    else:
        amp_max, amp_step, unit = device.amplitude_max_ma, device.amplitude_step_ma, "mA"
    disabled = current.finished
    _bound_input(
        st.number_input,
        f"amp_{side}",
        side,
        "amplitude",
        f"Amplitude ({unit})",
        min_value=0.0,
        max_value=float(amp_max),
        step=float(amp_step),
        format=f"%.{_decimals(amp_step)}f",
        disabled=disabled,
        help=f"{device.name}: 0 to {amp_max:g} {unit} in steps of {amp_step:g} {unit}",
    )
    c1, c2 = st.columns(2)
    with c1:
        _bound_input(
            st.number_input,
            f"pw_{side}",
            side,
            "pulse_width_us",
            "Pulse width (µs)",
            min_value=float(device.pulse_width_min_us),
            max_value=float(device.pulse_width_max_us),
            step=float(device.pulse_width_step_us),
            format="%g",
            disabled=disabled,
            help=f"{device.pulse_width_min_us:g} to {device.pulse_width_max_us:g} µs",
        )
    with c2:
        _bound_input(
            st.number_input,
            f"freq_{side}",
            side,
            "frequency_hz",
            "Frequency (Hz)",
            min_value=float(device.frequency_min_hz),
            max_value=float(device.frequency_max_hz),
            step=float(device.frequency_step_hz),
            format="%g",
            disabled=disabled,
            help=f"{device.frequency_min_hz:g} to {device.frequency_max_hz:g} Hz",
        )
    pending = not _draft_matches(current, side)
    st.button(
        "Apply" + (" (changes not applied yet)" if pending else ""),
        key=f"apply_{side}",
        on_click=_apply_draft,
        args=(side,),
        type="primary" if pending else "secondary",
        disabled=disabled,
        width="stretch",
    )
    show_error(f"apply_{side}")
    st.caption(f"Applied: {tables.describe_setting(current.programs.get(side))}")


# --- safety ------------------------------------------------------------------------------------
def safety_panel(current: Session, side: str) -> None:
    """Charge density of one side's program against the limit."""
    status = current.safety_status().get(side)
    if not status:
        return
    density = float(status.get("charge_density_uc_cm2", 0.0))
    limit = float(status.get("limit", 30.0))
    share = density / limit if limit > 0 else 0.0
    st.progress(
        min(1.0, share),
        text=f"Charge density {density:.1f} of {limit:g} µC/cm² per phase "
        f"({share:.0%} of the limit)",
    )
    if status.get("over_limit"):
        st.error(
            f"{side}: charge density {density:.1f} µC/cm² is above the {limit:g} µC/cm² limit",
            icon=":material/block:",
        )


def energy_panel(current: Session) -> None:
    """Battery estimate for both leads together and the energy delivered."""
    status = current.safety_status()
    if not status:
        return
    months = next(iter(status.values())).get("battery_months")
    teed = sum(float(v.get("teed_uw", 0.0)) for v in status.values())
    st.caption(
        f":material/battery_full: Battery estimate with these programs: **{months:.0f} months** "
        f"(energy delivered {teed:.0f} µW)"
    )


# --- clinic controls -----------------------------------------------------------------------------
def _wait() -> None:
    state.apply_action({"action": "wait", "minutes": st.session_state["wait_minutes"]}, "wait")


def clinic_controls(current: Session) -> None:
    """Stimulation on/off, examine, ask the patient, wait N minutes."""
    disabled = current.finished
    c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 1, 1.6])
    c1.button(
        "Stimulation on",
        key="stim_on",
        on_click=state.act,
        args=({"action": "stim_on"}, "stim"),
        disabled=disabled or current.stimulation_on,
        type="primary" if not current.stimulation_on else "secondary",
        width="stretch",
    )
    c2.button(
        "Stimulation off",
        key="stim_off",
        on_click=state.act,
        args=({"action": "stim_off"}, "stim"),
        disabled=disabled or not current.stimulation_on,
        width="stretch",
    )
    c3.button(
        "Examine",
        key="examine",
        on_click=state.act,
        args=({"action": "examine"}, "examine"),
        disabled=disabled,
        width="stretch",
        help="Rate the scale items and look for side effects",
    )
    c4.button(
        "Ask the patient",
        key="ask",
        on_click=state.act,
        args=({"action": "ask"}, "ask"),
        disabled=disabled,
        width="stretch",
    )
    with c5:
        w1, w2 = st.columns([1, 1])
        if "wait_minutes" not in st.session_state:
            st.session_state["wait_minutes"] = 5
        w1.number_input(
            "Minutes",
            key="wait_minutes",
            min_value=1,
            max_value=int(MAX_WAIT_MINUTES),
            step=1,
            label_visibility="collapsed",
            disabled=disabled,
            help="Minutes to wait in clinic",
        )
        w2.button("Wait", key="wait", on_click=_wait, disabled=disabled, width="stretch")
    for key in ("stim", "examine", "ask", "wait"):
        show_error(key)


# --- results ------------------------------------------------------------------------------------
def last_exam(current: Session) -> None:
    """The most recent exam as a table, with the signs the examiner saw."""
    entry = tables.last_result(current.log, "examine")
    if entry is None:
        st.caption("No exam yet.")
        return
    result = entry.get("result") or {}
    st.markdown(
        f"**Last exam** — day {entry.get('day', 0)}, minute {float(entry.get('minute', 0)):.0f}: "
        f"{current.patient.scale.name} total **{float(result.get('total', 0)):g}** "
        f"(baseline {sum(current.patient.baseline.values()):g})"
    )
    rows = tables.exam_rows(result, current.patient.scale)
    st.container(key="exam_table").dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(rows) + 1) + 3, 530),
        column_config={
            "item": "Item",
            "score": st.column_config.NumberColumn("Score", format="%g"),
            "max": st.column_config.NumberColumn("Max", format="%g"),
        },
    )
    signs = result.get("signs") or []
    if signs:
        st.warning(
            "**Signs seen**\n" + "\n".join(f"- {sign}" for sign in signs),
            icon=":material/visibility:",
        )
    else:
        st.caption("No side effect seen.")


def patient_words(current: Session, n: int = 3) -> None:
    """The patient's answers to the last few questions, as quotes."""
    asked = [e for e in current.log if e.get("action", {}).get("action") == "ask"][-n:]
    if not asked:
        st.caption("You have not asked the patient yet.")
        return
    for entry in reversed(asked):
        reports = (entry.get("result") or {}).get("reports", [])
        quote = "  \n".join(f"“{r}”" for r in reports) or "…"
        st.markdown(
            f"> {quote}\n>\n> — *the patient, day {entry.get('day', 0)}, "
            f"minute {float(entry.get('minute', 0)):.0f}*"
        )


def log_table(current: Session, key: str = "log_table") -> None:
    rows = tables.log_rows(current.to_records())
    if not rows:
        st.caption("Nothing logged yet.")
        return
    height = min(320, 35 * (len(rows) + 1) + 3)  # no empty rows under a short log
    st.container(key=key).dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=height,
        column_config={
            "step": st.column_config.NumberColumn("Step", width="small"),
            "day": st.column_config.NumberColumn("Day", width="small"),
            "minute": st.column_config.NumberColumn("Minute", width="small", format="%.0f"),
            "action": st.column_config.TextColumn("Action", width="small"),
            "what happened": st.column_config.TextColumn("What happened", width="large"),
        },
    )
