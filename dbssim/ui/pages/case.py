"""Case page: choose a scenario (or a random patient like it), read the case sheet, start."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dbssim.patient.scales import load_scale
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.physics.devices import get_device
from dbssim.physics.leads import get_lead
from dbssim.store.service import StoredSession
from dbssim.store.sql_tables import MAX_NAME_CHARS
from dbssim.ui import control_errors, session_lifecycle, state, storage
from dbssim.ui.text import authored, load_text, plain

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


def hardware_table(rows: list[dict[str, Any]]) -> str:
    """The hardware rows as a Markdown table, every cell shown as typed (`plain`)."""
    if not rows:
        return ""
    header = list(rows[0])
    lines = [
        "| " + " | ".join(plain(h) for h in header) + " |",
        "|" + " --- |" * len(header),
    ]
    lines += ["| " + " | ".join(plain(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines)


def case_sheet(scenario: Scenario) -> None:
    scale = load_scale(scenario.scale)
    baseline = sum(scenario.baseline.values())
    st.subheader(authored(scenario.title))
    st.caption(
        f"{scenario.age_years}-year-old {scenario.sex} · {scenario.weeks_since_surgery:g} weeks "
        f"after surgery · {scale.name}: baseline {baseline:g} / {scale.total_max:g}"
    )
    tabs = st.tabs(["History", "Examination", "Hardware", "Your task"])
    with tabs[0]:
        st.markdown(authored(scenario.case.history))
    with tabs[1]:
        st.markdown(authored(scenario.case.examination))
    with tabs[2]:
        st.markdown(authored(scenario.case.hardware))
        # A Markdown table, not st.dataframe: the first page a trainee opens then draws
        # without importing pandas and pyarrow (~0.4 s of a server's first load).
        st.container(key="hardware_table").markdown(hardware_table(hardware_rows(scenario)))
    with tabs[3]:
        st.markdown(authored(scenario.case.question))


def _bind_pseudonym() -> None:
    st.session_state["pseudonym"] = st.session_state["pseudonym_input"]


def pseudonym() -> None:
    st.session_state["pseudonym_input"] = st.session_state["pseudonym"]
    field, warning = st.columns([2, 3], vertical_alignment="bottom", gap="medium")
    field.text_input(
        "Your name or a pseudonym",
        key="pseudonym_input",
        max_chars=MAX_NAME_CHARS,
        on_change=_bind_pseudonym,
        placeholder="e.g. Fellow A",
        help="Shown to your educator with your results; a pseudonym is enough",
    )
    warning.caption(load_text("pseudonym_help"))


def practice_titles() -> dict[str, str]:
    """The cases open to practice: an open class's case stays hidden until it closes."""
    titles = scenario_titles()
    try:
        hidden = storage.get_store().open_class_cases()
    except storage.STORE_ERRORS:
        hidden = set()
    shown = {sid: t for sid, t in titles.items() if sid not in hidden}
    case = st.session_state["case"]
    if shown and case["scenario_id"] not in shown:
        first = next(iter(shown))
        st.session_state["case"] = {
            "scenario_id": first,
            "random_patient": False,
            "seed": scenario_seed(first),
        }
    return shown


def practise() -> None:
    titles = practice_titles()
    if not titles:
        st.info("Every case is in use by an open class: join your class instead.")
        return
    c1, c2, c3 = st.columns([3, 1.3, 1], vertical_alignment="bottom")
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
        st.caption("Starting a new session leaves the one in progress (its code resumes it).")
    st.button(
        "Start session", key="start", type="primary", on_click=session_lifecycle.start_session
    )
    control_errors.show_error("start")


def join() -> None:
    st.markdown(load_text("join_help"))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    c1.text_input("Class join code", key="join_code", max_chars=20, placeholder="e.g. 7KQ2MX")
    c2.button("Join the class", key="join", type="primary", on_click=session_lifecycle.join_class)
    control_errors.show_error("join")


def resume() -> None:
    st.markdown(load_text("resume_help"))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    c1.text_input("Session code", key="resume_code", max_chars=40, placeholder="e.g. 3F9KQ2MX")
    c2.button("Resume", key="resume", type="primary", on_click=session_lifecycle.resume_session)
    control_errors.show_error("resume")


def running_code(current: StoredSession) -> None:
    if current.record.demonstration:
        st.info("A demonstration is running in this browser; it has no code.")
        return
    what = "finished" if current.session.finished else "in progress"
    st.success(
        f"Your session ({what}): code **`{current.code}`**. Keep it, or this page's link, "
        "to continue after a reload, on another computer or another day.",
        icon=":material/bookmark:",
    )


def render() -> None:
    st.header("Case")
    st.markdown(load_text("case_intro"))
    running = state.stored()
    if running is not None:
        running_code(running)
    pseudonym()
    tabs = st.tabs(["Practise a case", "Join a class", "Resume with a code"])
    with tabs[0]:
        practise()
    with tabs[1]:
        join()
    with tabs[2]:
        resume()
    current = state.session()
    case = st.session_state["case"]
    if current is not None and not current.finished:
        shown, note = current.scenario, "The case of your session in progress."
    else:
        shown, note = load_scenario(case["scenario_id"]), None
    st.divider()
    case_sheet(shown)
    if note:
        st.caption(note)
