"""Educator page: write a case in a form or upload a YAML file; both validated strictly.

The form starts from a base case and changes what a teaching case needs: where the lead
really sits (offsets of the true tip), the anatomy (offsets of one structure), the symptom
profile (baseline scores, responsiveness) and the texts. The result goes through the same
checks as an upload (:mod:`dbssim.ui.case_files`); problems are shown beside the part of
the form they concern, escaped. Saved cases are offered on the Class and Demonstration pages.
"""

from __future__ import annotations

from typing import Any, get_args

import streamlit as st

from dbssim.errors import InputError
from dbssim.patient.anatomy import load_atlas
from dbssim.patient.scales import load_scale
from dbssim.patient.scenario import FILE_FIELD, MAX_SCENARIO_BYTES, Scenario, ScenarioError
from dbssim.physics.devices import device_registry
from dbssim.physics.leads import lead_registry
from dbssim.ui import case_files, storage
from dbssim.ui.pages.case import scenario_titles
from dbssim.ui.state import PREFERRED_SCENARIO
from dbssim.ui.text import load_text, plain

AXES = ("x", "y", "z")
AXIS_HELP = {"x": "lateral + / medial −", "y": "anterior + / posterior −", "z": "up + / down −"}
OFFSET_LIMIT_MM = 5.0  # a teaching case moves a lead or a structure by a few mm at most
OFFSET_STEP_MM = 0.5
NO_STRUCTURE = "(none)"
SEXES = list(get_args(Scenario.model_fields["sex"].annotation))
DEVICES = {d.id: d.name for d in device_registry().values()}
LEADS = {lead.id: lead.name for lead in lead_registry().values()}
TEXTS = ("history", "examination", "hardware", "question")
# Form part -> the field paths whose errors are shown there.
PARTS = {
    "id": ("id",),
    "title": ("title",),
    "patient": ("age_years", "sex", "weeks_since_surgery"),
    "leads": ("leads", "device", "amplitude_mode"),
    "anatomy": ("anatomy_offsets_mm", "threshold_scales"),
    "profile": ("baseline", "relief_scale", "index_component", "component_weights"),
    "texts": ("case",),
}


def _bounds(name: str) -> tuple[float, float]:
    """(lowest, highest) allowed by the scenario schema for a numeric field."""
    low, high = 0.0, float("inf")
    for rule in Scenario.model_fields[name].metadata:
        for attr in ("gt", "ge"):
            if getattr(rule, attr, None) is not None:
                low = float(getattr(rule, attr))
        for attr in ("lt", "le"):
            if getattr(rule, attr, None) is not None:
                high = float(getattr(rule, attr))
    return low, high


def _fill_from_base() -> None:
    """Put the base case's values into the form (when the base case changes)."""
    ss = st.session_state
    base = case_files.load_case(storage.get_store(), ss["au_base"])
    ss["au_id"] = f"{base.id}-variant"
    ss["au_title"] = f"{base.title} (variant)"
    ss["au_age"] = int(base.age_years)
    ss["au_sex"] = base.sex
    ss["au_weeks"] = float(base.weeks_since_surgery)
    ss["au_device"] = base.device
    ss["au_lead_model"] = next(iter(base.leads.values())).model
    for side in ("left", "right"):
        for axis in AXES:
            ss[f"au_lead_{side}_{axis}"] = 0.0
    for axis in AXES:
        ss[f"au_anat_{axis}"] = 0.0
    ss["au_structure"] = NO_STRUCTURE
    ss["au_imaging"] = True
    for item in load_scale(base.scale).items:
        ss[f"au_item_{item.id}"] = float(base.baseline.get(item.id, 0.0))
    ss["au_relief"] = float(base.relief_scale)
    for name in TEXTS:
        ss[f"au_text_{name}"] = getattr(base.case, name)
    ss["au_filled_from"] = base.id


def _form_values(base: Scenario) -> dict[str, Any]:
    ss = st.session_state
    structure = ss["au_structure"]
    return {
        "id": str(ss["au_id"]).strip(),
        "title": str(ss["au_title"]).strip(),
        "age_years": int(ss["au_age"]),
        "sex": ss["au_sex"],
        "weeks_since_surgery": float(ss["au_weeks"]),
        "device": ss["au_device"],
        "lead_model": ss["au_lead_model"],
        "case": {name: ss[f"au_text_{name}"] for name in TEXTS},
        "lead_offsets_mm": {
            side: tuple(ss[f"au_lead_{side}_{a}"] for a in AXES) for side in base.leads
        },
        "imaging_shows_plan": bool(ss["au_imaging"]),
        "anatomy_offsets_mm": (
            {structure: tuple(ss[f"au_anat_{a}"] for a in AXES)}
            if structure != NO_STRUCTURE
            else {}
        ),
        "baseline": {i.id: ss[f"au_item_{i.id}"] for i in load_scale(base.scale).items},
        "relief_scale": float(ss["au_relief"]),
    }


def _keep(scenario: Scenario) -> None:
    warnings = case_files.case_warnings(scenario)
    case_files.save_case(storage.get_store(), scenario)
    st.session_state["au_saved"] = scenario.id
    st.session_state["au_warnings"] = warnings
    st.session_state["au_distances"] = case_files.lead_distances(scenario)


def _save_form() -> None:
    st.session_state["au_saved"] = None
    st.session_state["au_warnings"] = []
    st.session_state["au_errors"] = []
    try:
        base = case_files.load_case(storage.get_store(), st.session_state["au_base"])
        _keep(case_files.build_case(base, _form_values(base)))
    except InputError as exc:  # the case (ScenarioError) or the store (StoreError)
        st.session_state["au_errors"] = _pairs(exc)


def _save_upload() -> None:
    ss = st.session_state
    ss["au_saved"] = None
    ss["au_warnings"] = []
    ss["au_upload_errors"] = []
    upload = ss.get("au_upload")
    if upload is None:
        ss["au_upload_errors"] = [(FILE_FIELD, "choose a YAML file first")]
        return
    try:
        if upload.size > MAX_SCENARIO_BYTES:  # refused before reading it
            raise ScenarioError.at(
                FILE_FIELD, f"{upload.size // 1000} kB; at most {MAX_SCENARIO_BYTES // 1000} kB"
            )
        _keep(case_files.parse_upload(upload.read(MAX_SCENARIO_BYTES + 1)))
    except InputError as exc:  # the case (ScenarioError) or the store (StoreError)
        ss["au_upload_errors"] = _pairs(exc)


def _pairs(exc: InputError) -> list[tuple[str, str]]:
    """Each problem as (field path, message), kept for the next run of the page."""
    problems = exc.problems if isinstance(exc, ScenarioError) else [exc]
    return [(p.field, p.message) for p in problems]


def _shown(problem: tuple[str, str]) -> str:
    """One validation problem as Markdown: its field path in bold, user text escaped."""
    field, message = problem
    return f"**{plain(field)}**: {plain(message)}"


def error_line(problem: tuple[str, str]) -> None:
    st.error(_shown(problem), icon=":material/error:")


def show_errors(part: str | None) -> None:
    """The form's problems in one part of it (None: those belonging to no part)."""
    for problem in st.session_state.get("au_errors", []):
        mine = [p for p, prefixes in PARTS.items() if problem[0].startswith(prefixes)]
        if (part is None and not mine) or (part is not None and part in mine):
            error_line(problem)


def _xyz(prefix: str, label: str) -> None:
    st.caption(label)
    for col, axis in zip(st.columns(3), AXES, strict=True):
        col.number_input(
            f"{axis} (mm)",
            min_value=-OFFSET_LIMIT_MM,
            max_value=OFFSET_LIMIT_MM,
            step=OFFSET_STEP_MM,
            key=f"{prefix}_{axis}",
            help=AXIS_HELP[axis],
        )


def patient_fields() -> None:
    """Age, sex and weeks since surgery: what the case sheet shows the trainee."""
    c1, c2, c3 = st.columns(3)
    low, high = _bounds("age_years")
    c1.number_input("Age (years)", min_value=int(low), max_value=int(high), step=1, key="au_age")
    c2.selectbox("Sex", SEXES, key="au_sex")
    low, high = _bounds("weeks_since_surgery")
    c3.number_input("Weeks since surgery", min_value=low, max_value=high, step=1.0, key="au_weeks")


def case_form(base: Scenario) -> None:
    atlas = load_atlas(base.target)
    names = {r.id: r.name for r in atlas.regions} | {t.id: t.name for t in atlas.tracts}
    with st.form("author_form", border=True):
        c1, c2 = st.columns([1, 2])
        c1.text_input("Case id", key="au_id", max_chars=case_files.MAX_ID_CHARS)
        c2.text_input("Title", key="au_title", max_chars=120)
        show_errors("id")
        show_errors("title")
        patient_fields()
        show_errors("patient")
        st.markdown(
            "**Hardware and lead placement** — move the true tip (the imaging report can stay put)"
        )
        d1, d2 = st.columns(2)
        d1.selectbox("Device", list(DEVICES), key="au_device", format_func=lambda d: DEVICES[d])
        d2.selectbox(
            "Lead model (every lead)",
            list(LEADS),
            key="au_lead_model",
            format_func=lambda m: LEADS[m],
            help="Impedances are kept if the contact count is the same, else typical values",
        )
        for col, side in zip(st.columns(len(base.leads), gap="large"), base.leads, strict=True):
            with col:
                _xyz(f"au_lead_{side}", f"{side.capitalize()} lead, true tip offset")
        st.checkbox("The imaging report still shows the planned position", key="au_imaging")
        show_errors("leads")
        st.markdown("**Anatomy** — move one structure (added to the base case's own offsets)")
        st.selectbox(
            "Structure",
            [NO_STRUCTURE, *names],
            key="au_structure",
            format_func=lambda s: names.get(s, s),
        )
        _xyz("au_anat", "Structure offset")
        show_errors("anatomy")
        scale = load_scale(base.scale)
        st.markdown(f"**Symptom profile** — baseline {scale.name} item scores")
        cols = st.columns(3)
        for n, item in enumerate(scale.items):
            cols[n % 3].number_input(
                f"{item.name} (0–{item.max_score:g})",
                min_value=0.0,
                max_value=float(item.max_score),
                step=0.5,
                key=f"au_item_{item.id}",
            )
        low, high = _bounds("relief_scale")
        st.number_input(
            "Responsiveness (1 = as the base case)",
            min_value=max(low, 0.1),
            max_value=high,
            step=0.05,
            key="au_relief",
            help=Scenario.model_fields["relief_scale"].description,
        )
        show_errors("profile")
        st.markdown("**Case texts** — shown as plain text; only `**bold**` is kept")
        for name in TEXTS:
            st.text_area(name.capitalize(), key=f"au_text_{name}", height=110)
        show_errors("texts")
        st.form_submit_button("Check and save", key="au_save", type="primary", on_click=_save_form)


def write_tab() -> None:
    titles = scenario_titles()
    options = list(titles)
    st.selectbox(
        "Start from",
        options,
        index=options.index(PREFERRED_SCENARIO) if PREFERRED_SCENARIO in options else 0,
        key="au_base",
        format_func=lambda c: titles.get(c, c),
        on_change=_fill_from_base,
    )
    if st.session_state.get("au_filled_from") != st.session_state["au_base"]:
        _fill_from_base()
    case_form(case_files.load_case(storage.get_store(), st.session_state["au_base"]))


def upload_tab() -> None:
    st.markdown(load_text("upload_help"))
    st.file_uploader("Scenario file", type=["yaml", "yml"], key="au_upload", max_upload_size=1)
    st.button("Check and save", key="au_upload_save", type="primary", on_click=_save_upload)
    problems = st.session_state.get("au_upload_errors", [])
    if problems:
        st.markdown(f"**The file was not saved** — {len(problems)} problem(s):")
        st.error("\n".join(f"- {_shown(p)}" for p in problems), icon=":material/error:")


def authored_tab() -> None:
    authored = case_files.list_authored(storage.get_store())
    if not authored:
        st.caption("No authored case yet.")
        return
    rows = [{"id": cid, "title": title} for cid, title in authored.items()]
    st.container(key="au_table").dataframe(rows, hide_index=True, width="stretch")
    chosen = st.selectbox("Download", list(authored), key="au_pick")
    st.download_button(
        "Download as YAML",
        data=case_files.scenario_yaml(case_files.load_case(storage.get_store(), chosen)),
        file_name=f"{chosen}.yaml",
        mime="application/x-yaml",
        key="au_download",
        on_click="ignore",
    )


def render() -> None:
    st.header("Case authoring")
    st.markdown(load_text("authoring_help"))
    saved = st.session_state.get("au_saved")
    if saved:
        st.success(
            f"Saved the case **{plain(saved)}**: pick it on the Class or Demonstration page.",
            icon=":material/check_circle:",
        )
        distances = st.session_state.get("au_distances") or {}
        if distances:
            st.caption(
                "Nearest contact to the target's centre: "
                + ", ".join(f"{side} lead {mm:.1f} mm" for side, mm in distances.items())
            )
        for line in st.session_state.get("au_warnings", []):
            field, _, message = line.partition(": ")  # warnings are "field: message" lines
            st.warning(_shown((field, message)), icon=":material/warning:")
    write, upload, authored = st.tabs(["Write a case", "Upload a YAML file", "Authored cases"])
    with write:
        show_errors(None)
        write_tab()
    with upload:
        upload_tab()
    with authored:
        authored_tab()
