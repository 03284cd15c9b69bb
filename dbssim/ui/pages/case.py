"""Case page: choose a scenario (or a random patient like it), read the case sheet, start."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dbssim.devices import get_device
from dbssim.leads import get_lead
from dbssim.scales import load_scale
from dbssim.scenario import Scenario, list_scenario_ids, load_scenario
from dbssim.ui import state, widgets
from dbssim.ui.text import load_text

SEED_MAX = 2**31 - 1


@st.cache_data(show_spinner=False)
def scenario_titles() -> dict[str, str]:
    return {sid: load_scenario(sid).title for sid in list_scenario_ids()}


@st.cache_data(show_spinner=False)
def scenario_seed(scenario_id: str) -> int:
    return load_scenario(scenario_id).seed


def _sync_case(field: str, key: str) -> None:
    st.session_state["case"][field] = st.session_state[key]
    if field == "scenario_id":
        st.session_state["case"]["seed"] = scenario_seed(st.session_state[key])


def _bound(widget: Any, field: str, key: str, label: str, **kwargs: Any) -> Any:
    st.session_state[key] = st.session_state["case"][field]
    return widget(label, key=key, on_change=_sync_case, args=(field, key), **kwargs)


def hardware_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """What the programmer shows about the hardware: lead, device, measured impedances."""
    device = get_device(scenario.device)
    return [
        {
            "side": side,
            "lead": get_lead(placement.model).name,
            "device": device.name,
            "control": scenario.amplitude_mode,
            "impedances (ohm)": ", ".join(
                f"{label}: {z:.0f}"
                for label, z in zip(
                    get_lead(placement.model).labels, placement.impedances_ohm, strict=True
                )
            ),
        }
        for side, placement in scenario.leads.items()
    ]


def case_sheet(scenario: Scenario) -> None:
    scale = load_scale(scenario.scale)
    baseline = sum(scenario.baseline.values())
    st.subheader(scenario.title)
    st.caption(
        f"{scenario.age_years}-year-old {scenario.sex} · {scenario.weeks_since_surgery:g} weeks "
        f"after surgery · {scale.name}: baseline {baseline:g} / {scale.total_max:g}"
    )
    tabs = st.tabs(["History", "Examination", "Hardware", "Your task"])
    with tabs[0]:
        st.markdown(scenario.case.history)
    with tabs[1]:
        st.markdown(scenario.case.examination)
    with tabs[2]:
        st.markdown(scenario.case.hardware)
        st.dataframe(hardware_rows(scenario), hide_index=True, key="hardware_table")
    with tabs[3]:
        st.markdown(scenario.case.question)


def render() -> None:
    st.header("Case")
    st.markdown(load_text("case_intro"))
    titles = scenario_titles()
    c1, c2, c3 = st.columns([3, 1.3, 1])
    with c1:
        _bound(
            st.selectbox,
            "scenario_id",
            "case_scenario",
            "Patient",
            options=list(titles),
            format_func=lambda sid: titles.get(sid, sid),
        )
    with c2:
        _bound(st.checkbox, "random_patient", "case_random", "A random patient like this one")
    with c3:
        _bound(
            st.number_input,
            "seed",
            "case_seed",
            "Seed",
            min_value=0,
            max_value=SEED_MAX,
            step=1,
            help="Same seed and same actions give the same session",
        )
    current = state.session()
    if current is not None and not current.finished:
        st.caption("Starting a new session ends the one in progress.")
    st.button("Start session", key="start", type="primary", on_click=state.start_session)
    widgets.show_error("start")
    case = st.session_state["case"]
    shown = (
        current.scenario
        if current is not None
        and current.scenario.id in (case["scenario_id"], f"{case['scenario_id']}-draw")
        else load_scenario(case["scenario_id"])
    )
    st.divider()
    case_sheet(shown)
