"""Monopolar review page: record thresholds per contact; window table; clinical-effects map."""

from __future__ import annotations

import streamlit as st

from dbssim import viz
from dbssim.patient.review import ring_levels
from dbssim.session.engine import Session, SessionError
from dbssim.session.setting_text import describe_setting
from dbssim.session.threshold_names import threshold_contact
from dbssim.ui import (
    actions,
    cell_text,
    control_errors,
    lead_status,
    log_rows,
    program_fields,
    state,
    steps,
    threshold_rows,
)
from dbssim.ui.text import HEMISPHERE_TITLES, load_text, show_text

KINDS = {"efficacy": "Efficacy (clear benefit)", "side_effect": "Side effect (persistent)"}
TEXT_COLUMNS = ("efficacy", "side_effect", "window")
# On a tablet (under 1200 px) the leads stack, and so do the form's fields: side by side
# each lead's column is ~330 px, its Contact box ~40 px wide, its labels broken mid-word
# and its table cut after "Side effect".
STACK_CSS = """<style>
@media (max-width: 1200px) {
  .st-key-review_sides [data-testid="stColumn"] { min-width: 100%; }
}
</style>"""


def amplitude_unit(current: Session) -> str:
    return "V" if current.scenario.amplitude_mode == "voltage" else "mA"


def is_dystonia(current: Session) -> bool:
    return current.scenario.disease == "dystonia"


def kind_labels(current: Session) -> dict[str, str]:
    """Threshold kinds; in dystonia the efficacy threshold is optional (rarely seen acutely)."""
    if is_dystonia(current):
        return KINDS | {"efficacy": "Efficacy (optional in dystonia)"}
    return KINDS


def dystonia_note(current: Session) -> None:
    """Why an acute benefit is rarely seen in dystonia, and how noisy the rating is."""
    if is_dystonia(current):
        st.info(load_text("dystonia_note"), icon=":material/hourglass_top:")


def _amplitude_grid(current: Session) -> steps.Grid:
    return steps.amplitude_grid(current.patient.device, amplitude_unit(current) == "V")


def _record(side: str) -> None:
    """Record exactly the amplitude typed (as the field shows it), never a pre-filled one."""
    current = state.session()
    if current is None:
        return
    grid = _amplitude_grid(current)
    typed = st.session_state.get(f"thr_amp_{side}")
    if typed is None:
        st.session_state["errors"][f"thr_submit_{side}"] = (
            f"{grid.field}: type the amplitude of the threshold ({grid.unit}) first"
        )
        return
    amplitude = steps.as_shown(float(typed), grid.step)
    problem = grid.problem(amplitude)
    if problem:  # the device's own range, which is narrower than the engine's bound
        st.session_state["errors"][f"thr_submit_{side}"] = problem
        return
    entry = actions.apply_action(
        {
            "action": "record_threshold",
            "side": side,
            "contact": st.session_state[f"thr_contact_{side}"],
            "kind": st.session_state[f"thr_kind_{side}"],
            grid.field: amplitude,
        },
        f"thr_submit_{side}",
    )
    if entry is not None:
        st.session_state[f"thr_amp_{side}"] = None  # the next threshold is typed afresh
        result = entry["result"]
        kind = "efficacy" if result["kind"] == "efficacy" else "side-effect"
        st.session_state[f"thr_done_{side}"] = (
            f"Recorded: {kind} threshold {amplitude:g} {grid.unit} on "
            f"{contact_name(current, side, str(result['contact']))} (step {entry['index']})"
        )


def rings(current: Session, side: str) -> list[str]:
    """Labels of the whole levels of a directional lead (ring mode), e.g. ``1``, ``2``."""
    return [label for label, _ in ring_levels(current.patient.sides[side].lead)]


def _applied_cathode(current: Session, side: str) -> tuple[str | None, float | None]:
    """The applied program's cathodes as a threshold names them: a contact, a whole level
    (ring) or a steered split (``2a-:70,2b-:30``)."""
    applied = program_fields.setting_dict(current.programs.get(side))
    if not applied:
        return None, None
    cathodes = [
        t for t in str(applied["contacts"]).split(",") if t.split(":")[0].strip()[-1:] == "-"
    ]
    try:
        name = threshold_contact(current.patient.sides[side].lead, ",".join(cathodes))
    except SessionError:
        name = None
    return name, program_fields.amplitude_of(applied)


def contact_options(current: Session, side: str) -> list[str]:
    """Contacts, whole levels (ring), and the applied steered split if there is one."""
    labels = current.patient.sides[side].lead.labels
    options = [*labels, *rings(current, side)]
    applied, _ = _applied_cathode(current, side)
    if applied and applied not in options:
        options.append(applied)
    return options


def contact_name(current: Session, side: str, option: str) -> str:
    if option in rings(current, side):
        return threshold_rows.ring_label(option)
    return f"{option} (steered)" if ":" in option else option


def _prefill(current: Session, side: str) -> None:
    """Point the form at the contact now applied, once per applied program.

    The amplitude is never pre-filled: it starts empty and must be typed.
    """
    ss = st.session_state
    labels = contact_options(current, side)
    ss.setdefault(f"thr_amp_{side}", None)
    ss.setdefault(f"thr_kind_{side}", "efficacy")
    source = describe_setting(current.programs.get(side), compact=True)
    contact_key = f"thr_contact_{side}"
    if ss.get(f"thr_source_{side}") == source and ss.get(contact_key) in labels:
        return
    ss[f"thr_source_{side}"] = source
    cathode, _ = _applied_cathode(current, side)
    ss[contact_key] = cathode or labels[0]


def threshold_form(current: Session, side: str) -> None:
    labels = contact_options(current, side)
    grid = _amplitude_grid(current)
    kinds = kind_labels(current)
    _prefill(current, side)
    with st.form(key=f"thr_form_{side}", border=True):
        st.markdown(f"**Record a threshold — {HEMISPHERE_TITLES.get(side, side)}**")
        c1, c2, c3 = st.columns([1, 2, 1.4])
        c1.selectbox(
            "Contact",
            labels,
            key=f"thr_contact_{side}",
            format_func=lambda option: contact_name(current, side, option),
            help="A contact, a whole level (ring mode) or the steered split now applied",
        )
        c2.radio(
            "Threshold",
            list(kinds),
            format_func=kinds.__getitem__,
            key=f"thr_kind_{side}",
            horizontal=True,
        )
        # No min/max: the browser would swallow an out-of-range entry and submit the old
        # value; the engine checks the range and its refusal is shown under the form.
        c3.number_input(
            f"Amplitude ({grid.unit})",
            value=None,  # empty until typed, and clearable
            step=grid.step,
            format=grid.format,
            key=f"thr_amp_{side}",
            placeholder="type it",
        )
        st.form_submit_button(
            "Record threshold",
            on_click=_record,
            args=(side,),
            disabled=current.finished,
            key=f"thr_submit_{side}",
        )
    control_errors.show_error(f"thr_submit_{side}")
    done = st.session_state.pop(f"thr_done_{side}", None)
    if done:  # shown once, where the form is (the Programming page's expander too)
        st.success(done, icon=":material/check:")


def review_table(current: Session, side: str) -> None:
    labels = current.patient.sides[side].lead.labels
    plain = threshold_rows.trainee_review_rows(
        current.thresholds, side, labels, rings(current, side)
    )
    rows = threshold_rows.mark_widest(plain)
    by_side_effect = is_dystonia(current) and not any(r["note"] for r in rows)
    if by_side_effect:  # benefit is delayed: choose by the side-effect thresholds first
        rows = threshold_rows.mark_highest_side_effect(plain)
    unit = amplitude_unit(current)
    st.container(key=f"review_table_{side}").dataframe(
        cell_text.as_text(rows, TEXT_COLUMNS),
        hide_index=True,
        width="stretch",
        column_config={
            "contact": "Contact",
            "efficacy": st.column_config.TextColumn(f"Efficacy ({unit})", alignment="right"),
            "side_effect": st.column_config.TextColumn(f"Side effect ({unit})", alignment="right"),
            "window": st.column_config.TextColumn(f"Window ({unit})", alignment="right"),
            "note": st.column_config.TextColumn(
                "Choice",
                width="small",
                help="★ widest window; in dystonia without efficacy thresholds, "
                "★ the highest side-effect threshold",
            ),
        },
    )
    if by_side_effect and any(r["note"] for r in rows):
        st.caption(load_text("dystonia_choice"))
    st.caption(load_text("threshold_replace"))


def shared_x_max(current: Session) -> float | None:
    """One amplitude axis for every lead's map: the largest amplitude seen or recorded."""
    amplitudes = [
        float(o["amplitude"])
        for side in current.patient.sides
        for o in log_rows.observations(
            current.entries, side, current.patient.scale, current.patient.baseline
        )
    ] + [program_fields.amplitude_of(t) for t in current.thresholds]
    return max(amplitudes) * 1.08 + 0.3 if amplitudes else None


def effects_map(current: Session, side: str, x_max: float | None = None) -> None:
    labels = current.patient.sides[side].lead.labels
    dystonia = is_dystonia(current)
    fig = viz.plot_effects_map(
        log_rows.observations(
            current.entries,
            side,
            current.patient.scale,
            current.patient.baseline,
            current.patient.sides[side].lead,
        ),
        threshold_rows.threshold_marks(current.thresholds, side),
        contacts=[f"{label}-" for label in labels],
        amplitude_unit=amplitude_unit(current),
        title=f"Clinical-effects map — {side} lead",
        benefit="points" if dystonia else "percent",
        note=load_text("dystonia_map_note") if dystonia else None,
        x_max=x_max,
    )
    st.plotly_chart(fig, key=f"effects_map_{side}")


def render() -> None:
    st.header("Monopolar review")
    current = state.require_session()
    if current is None:
        return
    lead_status.status_badges(current)
    with st.expander("What to record", expanded=False):
        show_text("review_help")
    dystonia_note(current)
    sides = list(current.patient.sides)
    x_max = shared_x_max(current)
    st.html(STACK_CSS)
    cols = st.container(key="review_sides").columns(len(sides), gap="large")
    for col, side in zip(cols, sides, strict=True):
        with col:
            threshold_form(current, side)
            review_table(current, side)
            effects_map(current, side, x_max)
