"""Educator page: project a case and reveal its hidden truth layer by layer, programming live.

Layers, revealed in order: the anatomy with the lead where it really sits, the volume
activated by the program now on, the true (noise-free) monopolar review with its
therapeutic windows, and the expert program. This page shows the hidden truth of an
unfinished session, so it exists only for a signed-in educator (navigation checks it on
every run, and so does :func:`render`); nothing it computes goes into session state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from dbssim import viz
from dbssim.patient.expert import find_expert_program
from dbssim.patient.review import compute_review
from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Setting
from dbssim.physics.vta import compute_vta
from dbssim.session.engine import Session
from dbssim.session.setting_text import describe_setting
from dbssim.ui import (
    case_files,
    clinic,
    control_errors,
    educator,
    observations,
    program_editor,
    program_fields,
    safety_panels,
    state,
    storage,
    threshold_rows,
)
from dbssim.ui.pages.classes import case_choices
from dbssim.ui.pages.debrief import review_cells, review_columns
from dbssim.ui.state import PREFERRED_SCENARIO
from dbssim.ui.text import plain

LAYERS = ("Anatomy", "Activated volume", "True monopolar review", "Expert program")
DEMO_TRAINEE = "Demonstration"
# The star beside the window it marks; the long side-effect text last.
DEMO_REVIEW_ORDER = (
    "contact", "efficacy", "efficacy_now", "side_effect", "window", "note", "first side effect"
)  # fmt: skip
WIDEST_COLUMN = st.column_config.TextColumn(
    "Widest", width="small", help="★ the widest window, never a zero or negative one"
)


def _start() -> None:
    ss = st.session_state
    try:
        scenario = case_files.load_case(storage.get_store(), ss["demo_case"])
        new = storage.get_store().start_session(
            scenario, scenario.seed, DEMO_TRAINEE, kind="demonstration"
        )
    except (ScenarioError, *storage.STORE_ERRORS) as exc:
        ss["errors"]["demo_start"] = storage.database_message(exc)
        return
    state.install(new)
    ss["demo_layer"] = 0


def _step(delta: int) -> None:
    layer = int(st.session_state.get("demo_layer", 0)) + delta
    st.session_state["demo_layer"] = min(max(layer, 0), len(LAYERS))


def _reopen() -> None:
    """Reopen one of the educator's unfinished demonstrations (no code: by this page only)."""
    ss = st.session_state
    if not educator.signed_in():
        return
    try:
        new = storage.get_store().open_session(str(ss.get("demo_reopen_pick")), educator=True)
    except storage.STORE_ERRORS as exc:
        ss["errors"]["demo_start"] = storage.database_message(exc)
        return
    state.install(new)
    ss["demo_layer"] = 0


@st.cache_data(show_spinner=False, max_entries=32)
def true_review(session_id: str, side: str, _patient: VirtualPatient) -> Any:
    """The noise-free review of a demonstrated patient (once per session and side)."""
    return compute_review(_patient, side)


@st.cache_data(show_spinner=False, max_entries=64)
def anatomy_figure(
    session_id: str,
    side: str,
    polarity: tuple[tuple[str, str], ...],
    vta_key: str,
    projector: bool,
    _current: Session,
) -> go.Figure:
    """The 3D anatomy of one side, rebuilt only when the program or the layer changes.

    A reveal re-runs the page; the meshes of a figure already drawn come from here.
    """
    model = _current.patient.sides[side]
    vtas = {}
    if vta_key:
        mesh = live_vta(_current, side)
        if mesh is not None:
            vtas["live"] = mesh
    fig = viz.plot_anatomy_3d(
        _current.patient.atlas,
        model.lead,
        model.pose,
        dict(polarity),
        vtas,
        title=f"{side.capitalize()} lead where it really sits",
    )
    if projector:
        fig.update_layout(
            height=PROJECTOR_FIGURE_PX,
            font={"size": 20},
            legend={"font": {"size": 18}},
            title={"font": {"size": 24}},
            margin={"l": 0, "r": 0, "t": 50, "b": 0},
        )
        # The scene takes the whole width and the legend runs in rows beneath it: beside
        # the scene it squeezes the view to half the screen at 150 % zoom, over it it
        # hides the lead.
        fig.update_layout(
            legend={"orientation": "h", "x": 0.0, "y": 0.0, "xanchor": "left",
                    "yanchor": "top", "font": {"size": 18}},
        )  # fmt: skip
        # Closer than the page's camera: the legend's rows take height from the scene.
        fig.update_scenes(
            domain={"x": [0.0, 1.0], "y": [0.0, 1.0]},
            camera={"eye": {"x": -1.2, "y": -1.0, "z": 0.42}, "center": {"z": -0.1}},
        )
        fig.update_scenes(xaxis_tickfont_size=13, yaxis_tickfont_size=13, zaxis_tickfont_size=13)
    return fig


@st.cache_data(show_spinner="Searching for the expert program…", max_entries=16)
def expert_program(session_id: str, _patient: VirtualPatient) -> dict[str, Any]:
    """The expert program of a demonstrated patient (one search per session)."""
    return find_expert_program(_patient).model_dump(exclude_none=True)


def live_vta(current: Session, side: str) -> tuple[np.ndarray, np.ndarray] | None:
    setting = current.programs.get(side)
    if setting is None or not current.stimulation_on:
        return None
    model = current.patient.sides[side]
    program = Setting.model_validate(program_fields.setting_dict(setting))
    vta = compute_vta(
        model.lead,
        model.currents_ma(program),
        program.pulse_width_us,
        conductivity_s_m=current.patient.scenario.conductivity_s_m,
        with_mesh=True,
    )
    return model.pose.to_atlas(vta.vertices_mm), vta.faces


def projector_toggle(short: bool = False) -> None:
    st.toggle(
        "Projector" if short else "Projector mode",
        key="demo_projector",
        help="Large type, no sidebar and no codes, the 3D view across the whole screen",
    )


def stepper(shown: int, projector: bool = False, sides: tuple[str, ...] = ()) -> str:
    """The reveal buttons and layer names; on the projector also the lead and the toggle,
    all in one row. Returns the side shown."""
    widths = [1.3, 1, 1, 2.6, 1.2, 1.1] if projector else [1.2, 1, 1, 4]
    row = st.container(key="demo_stepper")
    c1, c2, c3, c4, *rest = row.columns(widths, vertical_alignment="center")
    side = sides[0] if sides else ""
    if rest:
        if len(sides) > 1:
            side = rest[0].radio(
                "Lead", sides, key="demo_side", horizontal=True, label_visibility="collapsed"
            )
        with rest[1]:
            projector_toggle(short=True)
    c1.button(
        "Reveal next" if projector else "Reveal next layer",
        key="demo_next",
        type="primary",
        icon=":material/visibility:",
        on_click=_step,
        args=(1,),
        disabled=shown >= len(LAYERS),
        width="stretch",
    )
    c2.button("Hide last", key="demo_back", on_click=_step, args=(-1,), disabled=shown == 0)
    c3.button("Hide all", key="demo_hide", on_click=_step, args=(-len(LAYERS),))
    (c4.caption if projector else c4.markdown)(
        " · ".join(
            f"**{n + 1}. {name}**" if n < shown else f":gray[{n + 1}. {name}]"
            for n, name in enumerate(LAYERS)
        )
    )
    return side


def anatomy(current: Session, side: str, shown: int, projector: bool) -> None:
    """The anatomy layer (with the activated volume from layer 2 on)."""
    model = current.patient.sides[side]
    applied = program_fields.setting_dict(current.programs.get(side))
    polarity = (
        program_fields.spec_to_polarity(applied["contacts"], model.lead.labels) if applied else {}
    )
    vta_key = ""
    if shown >= 2 and applied and current.stimulation_on:
        vta_key = repr(sorted(applied.items()))
    stored = st.session_state["stored"]
    fig = anatomy_figure(
        stored.id, side, tuple(sorted(polarity.items())), vta_key, projector, current
    )
    st.plotly_chart(fig, key="demo_anatomy", width="stretch")
    if shown >= 2 and not vta_key:
        st.caption("No volume activated on this side: no program applied or stimulation off.")


def layers(current: Session, side: str, shown: int, projector: bool = False) -> None:
    if shown == 0:
        st.info("Nothing revealed yet: program as the class suggests, then reveal the layers.")
        return
    if not projector:
        anatomy(current, side, shown, projector)
    if shown >= 3:
        stored = st.session_state["stored"]
        truth = threshold_rows.true_review_rows(true_review(stored.id, side, current.patient))
        labels = current.patient.sides[side].lead.labels
        mine = threshold_rows.trainee_review_rows(current.thresholds, side, labels)
        unit = "V" if current.scenario.amplitude_mode == "voltage" else "mA"
        st.plotly_chart(
            viz.plot_windows(truth, mine if unit == "mA" else [], "mA", title="True windows"),
            key="demo_windows",
        )
        # As on the review page: the widest window starred, never a zero or negative one.
        st.container(key="demo_review").dataframe(
            review_cells(threshold_rows.mark_widest(truth)),
            hide_index=True,
            width="stretch",
            column_config=review_columns("mA") | {"note": WIDEST_COLUMN},
            column_order=DEMO_REVIEW_ORDER,
        )
        st.caption(
            "★ the widest window. A zero or negative window is no window: the side effect "
            "comes at or before the benefit."
        )
    if shown >= 4:
        program = expert_program(st.session_state["stored"].id, current.patient)
        st.success(
            f"**Expert program, {side} lead:** {describe_setting(program.get(side), compact=True)}",
            icon=":material/star:",
        )


def exam_summary(current: Session) -> None:
    """The last exam in one line (the full table is on the Programming page)."""
    latest = observations.latest_exam(current)
    if latest is None:
        return
    entry, result = latest
    signs = ", ".join(result.get("signs") or []) or "no side effect seen"
    st.markdown(
        f"**Last exam**, day {entry.get('day', 0)}: {current.patient.scale.name} "
        f"**{float(result.get('total', 0)):g}** (baseline "
        f"{sum(current.patient.baseline.values()):g}); {signs}."
    )


def controls(current: Session, side: str) -> None:
    program_editor.program_editor(current, side, show_lead=False)
    safety_panels.safety_panel(current, side)
    exam_summary(current)
    observations.patient_words(current, n=1)


def reopen_picker() -> None:
    """The educator's unfinished demonstrations, reopened here (they have no code)."""
    try:
        demos = [
            r for r in storage.get_store().list_sessions() if r.demonstration and not r.finished
        ]
    except storage.STORE_ERRORS:
        return
    if not demos:
        return
    labels: dict[str, str] = {
        r.id: f"{r.scenario_id}, started {r.created_at:%Y-%m-%d %H:%M} UTC" for r in demos
    }
    with st.expander("Reopen an unfinished demonstration"):
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        c1.selectbox(
            "Demonstration",
            list(labels),
            key="demo_reopen_pick",
            format_func=lambda sid: labels.get(sid, sid),
        )
        c2.button("Reopen", key="demo_reopen", on_click=_reopen, width="stretch")


def case_picker() -> None:
    choices = case_choices()
    options = list(choices)
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.selectbox(
        "Case",
        options,
        index=options.index(PREFERRED_SCENARIO) if PREFERRED_SCENARIO in options else 0,
        key="demo_case",
        format_func=lambda c: choices.get(c, c),
    )
    c2.button("Start the demonstration", key="demo_start", on_click=_start, width="stretch")
    control_errors.show_error("demo_start")


def render() -> None:
    if not educator.signed_in():
        st.header("Demonstration")
        st.info("Sign in as an educator to use this page.", icon=":material/lock:")
        return
    current = state.session()
    demonstrating = current is not None and st.session_state["stored"].record.demonstration
    projector = demonstrating and bool(st.session_state.get("demo_projector"))
    if projector:
        projector_style()
        with st.expander("Case"):  # out of the way on the projector
            case_picker()
    else:
        st.header("Demonstration")
        case_picker()
    if current is None or not demonstrating:
        reopen_picker()
        st.info("Start a demonstration: a session of its own, saved like any other.")
        return
    if not projector:
        projector_toggle()
        st.caption(
            f"Demonstrating **{plain(current.scenario.title)}**. The layers show this case's "
            "hidden truth: reveal them after the class has had its turn."
        )
    st.session_state.setdefault("demo_layer", 0)
    shown = int(st.session_state["demo_layer"])
    sides = tuple(current.patient.sides)
    side = stepper(shown, projector, sides)
    if not projector and len(sides) > 1:
        side = st.radio("Lead", sides, key="demo_side", horizontal=True)
    if projector:
        if shown:
            anatomy(current, side, shown, projector=True)
        else:
            st.plotly_chart(placeholder_figure(), key="demo_anatomy", width="stretch")
        clinic.clinic_controls(current)
        left, right = st.columns([1, 1], gap="large")
        with left:
            controls(current, side)
        with right:
            layers(current, side, shown, projector=True)
        return
    clinic.clinic_controls(current)
    st.html(STACK_CSS)
    left, right = st.container(key="demo_split").columns([1, 2], gap="large")
    with left:
        controls(current, side)
    with right:
        layers(current, side, shown)


# On a tablet (under 1200 px) the controls and the revealed layers stack: beside the
# controls the true-review table was ~340 px wide and hid its Window column. Only the two
# outer columns (the program editor's own columns keep their layout).
STACK_CSS = """<style>
@media (max-width: 1200px) {
  .st-key-demo_split > div > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: 100%; }
}
</style>"""
PROJECTOR_FIGURE_PX = 560  # the 3D view fills a 1280x720 projector below the stepper
PROJECTOR_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMain"] .block-container, [data-testid="stMainBlockContainer"] {
  max-width: 100%; padding: 0.5rem 1.5rem 2rem;}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] button, [data-testid="stMain"] input {font-size: 1.35rem;}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: 1.15rem;}
/* A narrow screen (a projector at 150 % zoom is 853 px wide): the stepper's controls wrap
   onto a second line at their natural width instead of cutting their labels. */
@media (max-width: 1100px) {
  .st-key-demo_stepper [data-testid="stHorizontalBlock"] {flex-wrap: wrap;}
  .st-key-demo_stepper [data-testid="stColumn"] {
    flex: 1 1 auto !important; width: auto !important; min-width: max-content;}
}
</style>
"""


@st.cache_data(show_spinner=False)
def placeholder_figure() -> go.Figure:
    """An empty 3D scene where the anatomy will appear: it holds no data of the case, but
    the browser loads Plotly and its WebGL view before the first reveal, which then only
    updates the view in place (seconds faster on the projector's first reveal)."""
    # One tiny see-through triangle and one line, and axes styled as the anatomy's: the
    # browser compiles the mesh, line and axis-label drawing now (seconds in software
    # WebGL), so the reveal only replaces the data. No case data is in it.
    fig = go.Figure(
        [
            go.Mesh3d(x=[0, 0.01, 0], y=[0, 0, 0.01], z=[0, 0, 0], opacity=0.12,
                      color="#cccccc", hoverinfo="skip", showlegend=False),
            go.Scatter3d(x=[0, 0], y=[0, 0], z=[0, 0.01], mode="lines", opacity=0.7,
                         hoverinfo="skip", showlegend=False),
        ]
    )  # fmt: skip
    fig.update_layout(
        height=PROJECTOR_FIGURE_PX,
        title={"text": "Nothing revealed yet", "font": {"size": 24}},
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        scene={
            "xaxis": {"title": {"text": "x lateral (mm)"}, "tickfont": {"size": 13}},
            "yaxis": {"title": {"text": "y anterior (mm)"}, "tickfont": {"size": 13}},
            "zaxis": {"title": {"text": "z superior (mm)"}, "tickfont": {"size": 13}},
            "domain": {"x": [0.0, 1.0], "y": [0.0, 1.0]},
        },
    )
    return fig


def projector_style() -> None:
    """Large type, no sidebar (so no resume code either), the page edge to edge."""
    st.html(PROJECTOR_CSS)
