"""Reusable Streamlit pieces: the program editor, safety, results and status.

Every number input reads its range, step and format from the device profile (see
:mod:`dbssim.ui.steps`); every action goes through :func:`dbssim.ui.state.apply_action`,
so bad input shows an error beside the control.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from dbssim import viz
from dbssim.session.engine import Session
from dbssim.ui import state, steps, tables
from dbssim.ui.text import load_text

POLARITY_SIGNS = {"off": "", "cathode": " −", "anode": " +"}
DRAFT_KEYS = {"amplitude": "amp", "pulse_width_us": "pw", "frequency_hz": "freq"}  # widgets
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


def _grid_input(
    key: str, side: str, field: str, label: str, grid: steps.Grid, **kwargs: Any
) -> None:
    """A number input on the device's grid, a view of ``drafts[side][field]``.

    No min/max on the widget: the browser would keep an out-of-range typed value on
    screen but send nothing, and Apply would then send the old value. What is typed
    is kept as the field shows it (1.23 in a 0.1 field is 1.2). While the draft is outside
    the device's range an error stays under the field (and the engine would refuse it);
    the engine's own refusals about this field are shown there too.
    """
    st.session_state[key] = st.session_state["drafts"][side][field]

    def _sync() -> None:
        value = steps.as_shown(float(st.session_state[key]), grid.step)
        st.session_state["drafts"][side][field] = value

    st.number_input(label, key=key, on_change=_sync, step=grid.step, format=grid.format, **kwargs)
    problem = grid.problem(st.session_state["drafts"][side][field])
    engine = state.pop_error(key)
    if problem or engine:
        st.error(problem or engine, icon=":material/error:")


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
    device = current.patient.device
    grids = steps.device_grids(device, current.scenario.amplitude_mode == "voltage")
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
            **{grid.field: steps.as_shown(draft[name], grid.step) for name, grid in grids.items()},
        },
        f"apply_{side}",
        field_keys={grid.field: f"{DRAFT_KEYS[name]}_{side}" for name, grid in grids.items()},
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
    """One button per contact, top level first (as drawn), cycling off → − → +.

    No tooltip: a button's tooltip would cover the contact above it and swallow the click
    meant for it. One legend above the lead explains them instead.
    """
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
            )


def program_editor(current: Session, side: str, show_lead: bool = True) -> None:
    """Lead drawing, contact buttons, amplitude/pulse width/frequency and Apply for one side."""
    device = current.patient.device
    lead = current.patient.sides[side].lead
    draft = st.session_state["drafts"][side]
    st.markdown(f"#### {HEMISPHERE_TITLES.get(side, side)}")
    st.caption(load_text("contacts_legend"))
    if show_lead:
        fig_col, button_col = st.columns([2, 3])
        with fig_col:
            fig = viz.plot_lead(lead, draft["polarity"], title=f"{lead.name} ({side})")
            st.plotly_chart(
                fig, width="stretch", key=f"lead_fig_{side}", config={"displayModeBar": False}
            )
        with button_col:
            contact_buttons(current, side)
    else:
        contact_buttons(current, side)
    grids = steps.device_grids(device, current.scenario.amplitude_mode == "voltage")
    labels = {
        "amplitude": f"Amplitude ({grids['amplitude'].unit})",
        "pulse_width_us": "Pulse width (µs)",
        "frequency_hz": "Frequency (Hz)",
    }
    amplitude_col, (pw_col, freq_col) = st.container(), st.columns(2)
    for name, col in zip(DRAFT_KEYS, (amplitude_col, pw_col, freq_col), strict=True):
        with col:
            _grid_input(
                f"{DRAFT_KEYS[name]}_{side}",
                side,
                name,
                labels[name],
                grids[name],
                disabled=current.finished,
                help=grids[name].help(device),
            )
    pending = not _draft_matches(current, side)
    st.button(
        "Apply" + (" (changes not applied yet)" if pending else ""),
        key=f"apply_{side}",
        on_click=_apply_draft,
        args=(side,),
        type="primary" if pending else "secondary",
        disabled=current.finished,
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
    first = next(iter(status.values()))
    months, interval = first.get("battery_months"), first.get("recharge_interval_days")
    teed = sum(float(v.get("teed_uw", 0.0)) for v in status.values())
    outlook = (
        f"recharge every **{interval:.0f} days** (rechargeable, service life {months:.0f} months)"
        if interval is not None
        else f"**{months:.0f} months**"
    )
    st.caption(
        f":material/battery_full: Battery estimate with these programs: {outlook} "
        f"(energy delivered {teed:.0f} µW)"
    )


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
