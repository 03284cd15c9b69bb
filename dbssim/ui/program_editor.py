"""The program editor: lead drawing, contact buttons, amplitude, pulse width, frequency, Apply.

Every number input reads its range, step and format from the device profile (see
:mod:`dbssim.ui.steps`); Apply goes through :func:`dbssim.ui.actions.apply_action`, so bad
input shows an error beside the control.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from dbssim import viz
from dbssim.session.engine import Session, SessionError
from dbssim.session.setting_text import describe_setting
from dbssim.ui import amplitude_mode, clinic, named_program_controls, program_fields, steps
from dbssim.ui.actions import apply_action
from dbssim.ui.control_errors import pop_error, show_error
from dbssim.ui.drafts import is_voltage
from dbssim.ui.state import session
from dbssim.ui.text import HEMISPHERE_TITLES, load_text

POLARITY_SIGNS = {"off": "", "cathode": " −", "anode": " +"}
# Tablets and phones (under 1200 px): the contact buttons take the lead's whole column (the
# drawing beside them would leave each segment button a few pixels), and their padding
# shrinks so "2a −" fits. The buttons are coloured by polarity, level by level, as drawn.
NARROW_CSS = """<style>
[class*="st-key-contact_row_"] button { padding-left: 0.2rem; padding-right: 0.2rem;
  min-width: 0; }
@media (max-width: 1200px) {
  [class*="st-key-lead_editor_"] [data-testid="stColumn"]:first-child { display: none; }
  [class*="st-key-lead_editor_"] [data-testid="stColumn"] { min-width: 100%; }
}
</style>"""
DRAFT_KEYS = {"amplitude": "amp", "pulse_width_us": "pw", "frequency_hz": "freq"}  # widgets


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
    engine = pop_error(key)
    if problem or engine:
        st.error(problem or engine, icon=":material/error:")


def _cycle_contact(side: str, label: str) -> None:
    polarity = st.session_state["drafts"][side]["polarity"]
    polarity[label] = program_fields.POLARITY_CYCLE[polarity.get(label, "off")]


def _draft_fields(current: Session, side: str) -> dict[str, Any]:
    """The draft as a ``set`` action's fields (contacts with the split, amplitude, …)."""
    draft = st.session_state["drafts"][side]
    labels = current.patient.sides[side].lead.labels
    voltage = is_voltage(current, draft)
    grids = steps.device_grids(current.patient.device, voltage)
    # A voltage-controlled program cannot steer by percentages: the cathodes split evenly.
    shares = None if voltage else draft.get("shares")
    spec = program_fields.polarity_to_spec(draft["polarity"], labels, shares)
    return {
        "contacts": spec,
        **{grid.field: steps.as_shown(draft[name], grid.step) for name, grid in grids.items()},
    }


def preview(current: Session, side: str) -> dict[str, Any] | None:
    """The draft's charge density as the engine computes it; None if it cannot be read."""
    fields = _draft_fields(current, side)
    if not fields["contacts"]:
        return None
    try:
        return current.preview_setting(side, fields)
    except (SessionError, ValueError):
        return None


def _apply_draft(side: str) -> None:
    current = session()
    if current is None:
        return
    grids = steps.device_grids(
        current.patient.device, is_voltage(current, st.session_state["drafts"][side])
    )
    fields = _draft_fields(current, side)
    if not fields["contacts"]:
        st.session_state["errors"][f"apply_{side}"] = (
            "contacts: no contact is active; click a contact to make it a cathode (−)"
        )
        return
    check = preview(current, side)
    if check is not None and check["over_limit"]:
        st.session_state["errors"][f"apply_{side}"] = (
            f"Not applied: charge density {check['charge_density_uc_cm2']:.1f} µC/cm² per phase "
            f"is above the {check['limit']:g} µC/cm² limit, and the device refuses to deliver "
            "it. Lower the amplitude or the pulse width."
        )
        return
    apply_action(
        {"action": "set", "side": side, **fields},
        f"apply_{side}",
        field_keys={grid.field: f"{DRAFT_KEYS[name]}_{side}" for name, grid in grids.items()},
    )


def _draft_matches(current: Session, side: str) -> bool:
    applied = program_fields.setting_dict(current.programs.get(side))
    draft = st.session_state["drafts"][side]
    labels = current.patient.sides[side].lead.labels
    spec = _draft_fields(current, side)["contacts"]
    if not applied:
        return not spec
    if (applied.get("amplitude_v") is not None) != is_voltage(current, draft):
        return False
    applied_shares = program_fields.cathode_shares(
        [label for label in labels if draft["polarity"].get(label) == "cathode"],
        program_fields.spec_to_shares(str(applied["contacts"]), labels),
    )
    shares = None if is_voltage(current, draft) else draft.get("shares")
    draft_shares = program_fields.cathode_shares(list(applied_shares), shares)
    amp = applied.get("amplitude_v") if applied.get("amplitude_v") is not None else None
    amp = applied.get("amplitude_ma") if amp is None else amp
    return (
        program_fields.spec_to_polarity(str(applied["contacts"]), labels) == draft["polarity"]
        and applied_shares == draft_shares
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
        # One flex row per level: a/b/c stay side by side and shrink on a tablet or phone.
        row = st.container(
            horizontal=True, wrap=False, gap="small", key=f"contact_row_{side}_{level}"
        )
        for idx in indices:
            label = lead.contacts[idx].label
            status = polarity.get(label, "off")
            row.button(
                f"{label}{POLARITY_SIGNS[status]}",
                key=f"contact_{side}_{label}",
                on_click=_cycle_contact,
                args=(side, label),
                type="primary" if status == "cathode" else "secondary",
                disabled=disabled,
                width="stretch",
            )


def _share_input(side: str, label: str, value: float, disabled: bool) -> None:
    key = f"share_{side}_{label}"
    st.session_state[key] = round(value)

    def _sync() -> None:
        cathodes = [
            c for c, pol in st.session_state["drafts"][side]["polarity"].items() if pol == "cathode"
        ]
        shares = program_fields.cathode_shares(cathodes, st.session_state["drafts"][side]["shares"])
        shares[label] = float(st.session_state[key] or 0)
        st.session_state["drafts"][side]["shares"] = shares

    # No min/max: Streamlit keeps the last valid number when one out of range is typed,
    # without a word; the action's own check names the value and the allowed range.
    st.number_input(
        f"{label} %", key=key, step=5, on_change=_sync, disabled=disabled,
    )  # fmt: skip


def current_split(current: Session, side: str) -> None:
    """With several cathodes: each one's share of the current, in % (uneven steering)."""
    lead = current.patient.sides[side].lead
    draft = st.session_state["drafts"][side]
    cathodes = [label for label in lead.labels if draft["polarity"].get(label) == "cathode"]
    if len(cathodes) < 2:
        return
    shares = program_fields.cathode_shares(cathodes, draft.get("shares"))
    st.markdown("**Current split between the cathodes (%)**")
    cols = st.columns(len(cathodes))
    for col, label in zip(cols, cathodes, strict=True):
        with col:
            _share_input(side, label, shares[label], current.finished)
    total = sum(shares.values())
    if abs(total - 100.0) > 0.5:
        st.error(
            f"contacts: the cathodes' shares add up to {total:g} %; they must add up to 100 %",
            icon=":material/error:",
        )


def density_preview(current: Session, side: str) -> None:
    """The draft's charge density against the limit, before Apply (issue 11, finding 6)."""
    check = preview(current, side)
    if check is None:
        return
    density, limit = float(check["charge_density_uc_cm2"]), float(check["limit"])
    share = density / limit if limit > 0 else 0.0
    st.progress(
        min(1.0, share),
        text=f"This setting: charge density {density:.1f} of {limit:g} µC/cm² per phase "
        f"({share:.0%} of the limit)",
    )
    if check["over_limit"]:
        st.error(
            f"Above the {limit:g} µC/cm² limit: the device will not deliver this setting. "
            "Lower the amplitude or the pulse width.",
            icon=":material/block:",
        )


def program_editor(current: Session, side: str, show_lead: bool = True) -> None:
    """Lead drawing, contact buttons, amplitude/pulse width/frequency and Apply for one side."""
    device = current.patient.device
    lead = current.patient.sides[side].lead
    draft = st.session_state["drafts"][side]
    st.markdown(f"#### {HEMISPHERE_TITLES.get(side, side)}")
    st.caption(load_text("contacts_legend"))
    st.html(NARROW_CSS)
    if show_lead:
        fig_col, button_col = st.container(key=f"lead_editor_{side}").columns([2, 3])
        with fig_col:
            fig = viz.plot_lead(lead, draft["polarity"], title=f"{lead.name} ({side})")
            st.plotly_chart(
                fig, width="stretch", key=f"lead_fig_{side}", config={"displayModeBar": False}
            )
        with button_col:
            contact_buttons(current, side)
    else:
        contact_buttons(current, side)
    voltage = amplitude_mode.mode_toggle(current, side)
    if not voltage:
        current_split(current, side)
    grids = steps.device_grids(device, voltage)
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
    if pending:  # once applied, the safety panel under the editor shows the same number
        density_preview(current, side)
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
    st.caption(f"Applied: {describe_setting(current.programs.get(side), compact=True)}")
    clinic.near_controls(current, side)
    # Below Examine/Wait, which stay within a tablet screen of the amplitude (finding 10).
    named_program_controls.named_programs(current, side)
