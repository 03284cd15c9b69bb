"""Monopolar review page: record thresholds per contact; window table; clinical-effects map."""

from __future__ import annotations

import streamlit as st

from dbssim import viz
from dbssim.session import Session
from dbssim.ui import state, tables, widgets

KINDS = {"efficacy": "Efficacy (clear benefit)", "side_effect": "Side effect (persistent)"}


def amplitude_unit(current: Session) -> str:
    return "V" if current.scenario.amplitude_mode == "voltage" else "mA"


def _record(side: str) -> None:
    current = state.session()
    if current is None:
        return
    key = "amplitude_v" if amplitude_unit(current) == "V" else "amplitude_ma"
    state.apply_action(
        {
            "action": "record_threshold",
            "side": side,
            "contact": st.session_state[f"thr_contact_{side}"],
            "kind": st.session_state[f"thr_kind_{side}"],
            key: float(st.session_state[f"thr_amp_{side}"]),
        },
        f"thr_submit_{side}",
    )


def _prefill(current: Session, side: str) -> None:
    """Start the form at the contact and amplitude now applied on that side."""
    applied = tables.setting_dict(current.programs.get(side))
    labels = current.patient.sides[side].lead.labels
    contact, amplitude = labels[0], 0.0
    if applied:
        cathodes = [
            label
            for label, pol in tables.spec_to_polarity(str(applied["contacts"]), labels).items()
            if pol == "cathode"
        ]
        contact = cathodes[0] if cathodes else contact
        amplitude = tables.amplitude_of(applied)
    st.session_state[f"thr_contact_{side}"] = contact
    st.session_state[f"thr_amp_{side}"] = amplitude
    st.session_state.setdefault(f"thr_kind_{side}", "efficacy")


def threshold_form(current: Session, side: str) -> None:
    device = current.patient.device
    labels = current.patient.sides[side].lead.labels
    unit = amplitude_unit(current)
    amp_max, amp_step = (
        (device.amplitude_max_v, device.amplitude_step_v)
        if unit == "V"
        else (device.amplitude_max_ma, device.amplitude_step_ma)
    )
    _prefill(current, side)
    with st.form(key=f"thr_form_{side}", border=True):
        st.markdown(f"**Record a threshold — {widgets.HEMISPHERE_TITLES.get(side, side)}**")
        c1, c2, c3 = st.columns([1, 2, 1.4])
        c1.selectbox("Contact", labels, key=f"thr_contact_{side}")
        c2.radio(
            "Threshold",
            list(KINDS),
            format_func=KINDS.__getitem__,
            key=f"thr_kind_{side}",
            horizontal=True,
        )
        c3.number_input(
            f"Amplitude ({unit})",
            min_value=0.0,
            max_value=float(amp_max),
            step=float(amp_step),
            key=f"thr_amp_{side}",
        )
        st.form_submit_button(
            "Record threshold",
            on_click=_record,
            args=(side,),
            disabled=current.finished,
            key=f"thr_submit_{side}",
        )
    widgets.show_error(f"thr_submit_{side}")


def review_table(current: Session, side: str) -> None:
    labels = current.patient.sides[side].lead.labels
    rows = tables.trainee_review_rows(current.thresholds, side, labels)
    unit = amplitude_unit(current)
    widest = max((r["window"] for r in rows if r["window"] is not None), default=None)
    for r in rows:
        r["note"] = "★" if widest is not None and r["window"] == widest else ""
    st.container(key=f"review_table_{side}").dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "contact": "Contact",
            "efficacy": st.column_config.NumberColumn(f"Efficacy ({unit})", format="%g"),
            "side_effect": st.column_config.NumberColumn(f"Side effect ({unit})", format="%g"),
            "window": st.column_config.NumberColumn(f"Window ({unit})", format="%g"),
            "note": st.column_config.TextColumn("", width="small", help="Widest window"),
        },
    )


def effects_map(current: Session, side: str) -> None:
    labels = current.patient.sides[side].lead.labels
    unit = amplitude_unit(current)
    marks = tables.threshold_marks(current.thresholds, side)
    fig = viz.plot_effects_map(
        tables.observations(current.log, side, current.patient.scale, current.patient.baseline),
        marks,
        contacts=[f"{label}-" for label in labels],
        amplitude_unit=unit,
        title=f"Clinical-effects map — {side} lead",
    )
    st.plotly_chart(fig, key=f"effects_map_{side}")


def render() -> None:
    st.header("Monopolar review")
    current = widgets.require_session()
    if current is None:
        return
    with st.expander("What to record", expanded=False):
        widgets.markdown("review_help")
    sides = list(current.patient.sides)
    for col, side in zip(st.columns(len(sides), gap="large"), sides, strict=True):
        with col:
            threshold_form(current, side)
            review_table(current, side)
            effects_map(current, side)
