"""Debrief page (only after finishing): the hidden truth, the expert program and the scores."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import streamlit as st

from dbssim import viz
from dbssim.physics.program import Setting
from dbssim.physics.vta import compute_vta
from dbssim.report.html import render_report, report_reference
from dbssim.session.attribution import lead_of_body_side, seen_signs
from dbssim.session.engine import Session
from dbssim.session.named_programs import named_program_rows
from dbssim.session.setting_text import describe_setting
from dbssim.ui import cell_text, clinic, observations, program_fields, state, threshold_rows
from dbssim.ui.text import HEMISPHERE_TITLES, load_text

SCORE_TITLES = {
    "outcome": "Outcome",
    "safety": "Safety",
    "efficiency": "Efficiency",
    "process": "Process",
}


def get_debrief(current: Session) -> dict[str, Any] | None:
    """The debrief saved with the session's finish (scored once, never searched again)."""
    if st.session_state.get("debrief") is None:
        running = state.stored()
        saved = running.debrief if running is not None else None
        if saved is None:
            st.error("finish: this session's debrief was not saved; open it again by its code")
            return None
        st.session_state["debrief"] = saved
    result: dict[str, Any] = st.session_state["debrief"]
    return result


def vta_mesh(
    current: Session, side: str, setting: dict[str, Any] | None, kind: str
) -> tuple[np.ndarray, np.ndarray] | None:
    """VTA of a side's program in atlas mm, computed by the engine once and kept."""
    if not setting:
        return None
    key = (kind, side, json.dumps(setting, sort_keys=True))
    cache = st.session_state["vta_cache"]
    if key not in cache:
        model = current.patient.sides[side]
        program = Setting.model_validate(setting)
        vta = compute_vta(
            model.lead,
            model.currents_ma(program),
            program.pulse_width_us,
            conductivity_s_m=current.patient.scenario.conductivity_s_m,
            with_mesh=True,
        )
        cache[key] = (model.pose.to_atlas(vta.vertices_mm), vta.faces)
    mesh: tuple[np.ndarray, np.ndarray] = cache[key]
    return mesh


# Under 1200 px four cards in a row cut the score off ("56.8…"): two by two instead.
SCORE_CARDS_CSS = """<style>
@media (max-width: 1200px) {
  .st-key-score_cards [data-testid="stColumn"] { min-width: calc(50% - 1rem); }
}
</style>"""


def scores(report: dict[str, Any]) -> None:
    st.html(SCORE_CARDS_CSS)
    cols = st.container(key="score_cards").columns(len(SCORE_TITLES))
    for col, (name, title) in zip(cols, SCORE_TITLES.items(), strict=True):
        item = report["scores"].get(name, {})
        with col.container(border=True):
            # The score as the engine rounds it (0.1), the same number the report prints.
            st.metric(title, f"{float(item.get('score', 0)):g} / 100")
            st.caption(item.get("explanation", ""))


DEDUCTION_KINDS = {
    "jump": "jump on the same contacts",
    "high_start": "new contact started high",
    "density": "over the charge-density limit",
    "side_effect_left_on": "side effect left on",
}


def safety_deductions(report: dict[str, Any]) -> None:
    """Every point taken off the safety score, with the step it came from and why."""
    found = report["scores"].get("safety", {}).get("deductions", [])
    st.markdown("**Safety: where points were lost**")
    if not found:
        st.caption("No safety deduction: every step stayed within the rule (see the help).")
        return
    rows = [
        {
            "step": d["step"],
            "clinic time": f"day {d['day']}, minute {float(d['minute']):.0f}",
            "deduction": f"−{float(d['points']):g}",
            "kind": DEDUCTION_KINDS.get(d["kind"], d["kind"]),
            "what changed": d["what"],
            "why": d["why"],
        }
        for d in found
    ]
    st.container(key="safety_deductions").dataframe(rows, hide_index=True, width="stretch")
    st.caption(load_text("safety_rule"))


def signs_seen(current: Session) -> None:
    """Every side effect seen in the session's exams, late ones (at follow-up) flagged."""
    rows = seen_signs(current.walk())
    st.markdown("**Side effects you saw during the session**")
    if not rows:
        st.caption("No exam showed a side effect.")
        return
    late = [r for r in rows if r["late"]]
    if late:
        st.warning(
            "Seen at follow-up, after the programming visit: "
            + "; ".join(f"{r['sign']} (first on day {r['first_day']})" for r in late),
            icon=":material/schedule:",
        )
    table = [
        {
            "sign": r["sign"],
            "lead": " or ".join(r["leads"]) or "no lead delivering",
            "first seen": f"day {r['first_day']}, minute {r['first_minute']:.0f}",
            "last seen": f"day {r['last_day']}, minute {r['last_minute']:.0f}",
            "at your last exam": "yes" if r["at_last_exam"] else "no",
        }
        for r in rows
    ]
    st.container(key="signs_seen").dataframe(table, hide_index=True, width="stretch")


def anatomy(current: Session, report: dict[str, Any]) -> None:
    sides = list(current.patient.sides)
    c1, c2 = st.columns([2, 3])
    side = c1.radio(
        "Lead", sides, key="debrief_side", horizontal=True, format_func=lambda s: f"{s} lead"
    )
    show_expert = c2.checkbox("Show the expert program's VTA (blue)", key="debrief_expert")
    model = current.patient.sides[side]
    mine = report["trainee_program"].get(side)
    vtas = {}
    mesh = vta_mesh(current, side, mine, "trainee")
    if mesh is not None:
        vtas["trainee"] = mesh
    if show_expert:
        expert_mesh = vta_mesh(current, side, report["expert_program"].get(side), "expert")
        if expert_mesh is not None:
            vtas["expert"] = expert_mesh
    polarity = program_fields.spec_to_polarity(mine["contacts"], model.lead.labels) if mine else {}
    fig = viz.plot_anatomy_3d(
        current.patient.atlas,
        model.lead,
        model.pose,
        polarity,
        vtas,
        title=f"{side.capitalize()} lead against the {current.patient.atlas.name.lower()}",
    )
    st.plotly_chart(fig, key="anatomy_fig")
    if mesh is None:
        st.caption("Your final program delivers nothing on this side (off or stimulation off).")


REVIEW_NUMBERS = ("efficacy", "efficacy_now", "side_effect", "window")
# On a tablet (under 1200 px) the true review and the trainee's table stack: side by side
# the true review was cut inside its third column and the trainee's hid its Window.
REVIEW_STACK_CSS = """<style>
@media (max-width: 1200px) {
  [class*="st-key-review_split_"] [data-testid="stColumn"] { min-width: 100%; }
}
</style>"""


def review_columns(unit: str) -> dict[str, Any]:
    """Columns of a review table; its numbers come as text (see :func:`review_cells`)."""
    return {
        "contact": "Contact",
        "efficacy": st.column_config.TextColumn(f"Efficacy ({unit})", alignment="right"),
        # Only the true review has it: efficacy an exam could see within the review visit.
        "efficacy_now": st.column_config.TextColumn(
            f"In minutes ({unit})",
            alignment="right",
            help="Efficacy threshold an exam could see within the review visit "
            "(— when the benefit only comes over days to months)",
        ),
        "side_effect": st.column_config.TextColumn(f"Side effect ({unit})", alignment="right"),
        "window": st.column_config.TextColumn(f"Window ({unit})", alignment="right"),
        "first side effect": "First side effect",
    }


def review_cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Review rows for a table: numbers as text, empty cells as "—" (never "None").

    Only the columns the rows have: the trainee's table has no "within minutes" column.
    """
    present = [name for name in REVIEW_NUMBERS if any(name in r for r in rows)]
    return cell_text.as_text(rows, present)


def reviews(current: Session, report: dict[str, Any]) -> None:
    unit = "V" if current.scenario.amplitude_mode == "voltage" else "mA"
    st.html(REVIEW_STACK_CSS)
    for side in current.patient.sides:
        labels = current.patient.sides[side].lead.labels
        truth = threshold_rows.true_review_rows(report["review"].get(side, []))
        mine = threshold_rows.trainee_review_rows(current.thresholds, side, labels)
        st.markdown(f"**{HEMISPHERE_TITLES.get(side, side)}**")
        c1, c2 = st.container(key=f"review_split_{side}").columns(2)
        with c1:
            st.caption(
                "True monopolar review (noise-free). Efficacy: the long-term expectation; "
                "in minutes: what an exam during the review could see (— when the "
                "benefit only comes over days to months)."
            )
            st.container(key=f"true_review_{side}").dataframe(
                review_cells(truth), hide_index=True, column_config=review_columns("mA")
            )
        with c2:
            st.caption("Your recorded thresholds")
            st.container(key=f"your_review_{side}").dataframe(
                review_cells(mine), hide_index=True, column_config=review_columns(unit)
            )
        # The truth is in mA on every device; volts cannot be drawn on the same axis.
        fig = viz.plot_windows(
            truth,
            mine if unit == "mA" else [],
            "mA",
            title=f"Therapeutic windows — {side} lead",
        )
        st.plotly_chart(fig, key=f"windows_fig_{side}")


def _outcome_line(outcome: dict[str, Any]) -> str:
    effects = ", ".join(
        f"{se['name'].replace('_', ' ')} (from the "
        f"{lead_of_body_side(se['body_side']) or se['body_side']} lead, "
        f"severity {se['severity']:g})"
        for se in outcome.get("side_effects", [])
    )
    return (
        f"{outcome['total']:g} of baseline {outcome['baseline_total']:g} "
        f"({outcome['improvement_pct']:g} % better at 6 months)"
        f"; side effects at 6 months (noise-free): {effects or 'none'}"
    )


def programs(current: Session, report: dict[str, Any]) -> None:
    rows = [
        {
            "lead": side,
            "your program": describe_setting(report["trainee_program"].get(side), compact=True),
            "expert program": describe_setting(report["expert_program"].get(side), compact=True),
        }
        for side in current.patient.sides
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="programs_table")
    named = named_program_rows(current.entries, current.programs)
    if named:
        st.markdown("**Your named programs** (✓ = the one applied at the end)")
        shown = [
            {"lead": r["side"], "name": r["name"], "program": r["program"],
             "applied at the end": "✓" if r["active"] else ""}
            for r in named
        ]  # fmt: skip
        st.container(key="named_programs_table").dataframe(shown, hide_index=True, width="stretch")
    st.markdown(f"- **Yours:** {_outcome_line(report['trainee_outcome'])}")
    st.markdown(f"- **Expert:** {_outcome_line(report['expert_outcome'])}")
    if clinic.has_medication(current):
        dose = clinic.prescribed_ledd(current)
        st.markdown(
            "- **Your medication plan:** "
            + (f"{dose:g} mg/day levodopa-equivalent" if dose is not None else "no dose set")
        )


def report_download(report: dict[str, Any]) -> None:
    """The debrief as one HTML file for the trainee's portfolio."""
    running = state.stored()
    if running is None:
        return
    record = running.record
    html = render_report(
        running.session,
        trainee=record.trainee,
        session_id=record.id,
        started_at=record.created_at,
        finished_at=record.finished_at,
        debrief_data=report,
        comment=record.comment,
    )
    st.download_button(
        "Download the debrief report (HTML)",
        data=html,
        file_name=f"dbssim-debrief-{report_reference(record.id)}.html",
        mime="text/html",
        key="debrief_report",
        icon=":material/download:",
        on_click="ignore",
    )


def render() -> None:
    st.header("Debrief")
    current = state.session()
    if current is None or not current.finished:
        st.info(load_text("debrief_locked"), icon=":material/lock:")
        return
    report = get_debrief(current)
    if report is None:
        return
    structures = current.patient.atlas.name.lower()
    st.markdown(load_text("debrief_intro").format(anatomy=structures))
    scores(report)
    safety_deductions(report)
    report_download(report)
    st.subheader("Anatomy")
    # On request: a 3D view drawn in software (a computer without a graphics card, a
    # headless browser) holds the page for seconds, and the scores above come first.
    # A widget's state is dropped while its page is away; keep the choice across pages.
    ss = st.session_state
    ss.setdefault("debrief_3d", ss.get("debrief_3d_kept", False))
    ss["debrief_3d_kept"] = st.toggle(
        "Show where the leads sit in 3D, with the tissue your program activates",
        key="debrief_3d",
    )
    if ss["debrief_3d_kept"]:
        with st.spinner("Drawing the leads and the tissue they activate…", show_time=True):
            anatomy(current, report)
    st.subheader("Programs")
    programs(current, report)
    signs_seen(current)
    st.subheader("Monopolar review: truth and yours")
    reviews(current, report)
    st.subheader("Your session")
    st.plotly_chart(viz.plot_timeline(current.to_records()), key="timeline_fig")
    observations.log_table(current, key="debrief_log")
