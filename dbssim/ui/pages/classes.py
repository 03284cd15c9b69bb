"""Educator page: create a class on a case (one patient for all, or a draw each) and list them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import streamlit as st

from dbssim.patient.scenario import ScenarioError
from dbssim.store.records import MAX_ATTEMPTS, check_name
from dbssim.store.service import ClassRecord, Store
from dbssim.ui import case_admin, case_files, control_errors, storage
from dbssim.ui.case_admin import case_label
from dbssim.ui.pages.case import SEED_MAX, scenario_titles
from dbssim.ui.text import load_text, plain

MODES = {
    False: "Everyone gets the same patient (fixed seed)",
    True: "Each trainee gets a random patient like this one",
}


def case_choices() -> dict[str, str]:
    """Bundled and authored cases: id → label for a picker."""
    bundled = {sid: case_label(sid, title) for sid, title in scenario_titles().items()}
    authored = {
        sid: case_label(sid, title) + " · authored"
        for sid, title in case_files.list_authored(storage.get_store()).items()
    }
    return bundled | authored


def _create() -> None:
    ss = st.session_state
    try:
        name = str(ss.get("class_name") or "").strip()
        check_name("class name", name)  # named as the form names it (not the store's "name")
        klass = storage.get_store().create_class(
            name,
            ss["class_case"],
            int(ss["class_seed"]),
            per_trainee_draw=bool(ss["class_draw"]),
            max_attempts=int(ss.get("class_attempts") or 1),
        )
    except (ScenarioError, *storage.STORE_ERRORS) as exc:
        ss["errors"]["class_create"] = storage.database_message(exc)
        return
    ss["class_created"] = klass.id
    ss["errors"].pop("class_create", None)


def create_form(choices: dict[str, str]) -> None:
    with st.form("class_form", border=True, clear_on_submit=True):
        st.markdown("**New class**")
        c1, c2 = st.columns([1, 2])
        # No max_chars: a longer value sent by the browser would be dropped silently and
        # reported as an empty name; check_name says how long it is instead.
        c1.text_input("Class name", key="class_name", placeholder="e.g. Fellows 2025")
        c2.selectbox(
            "Case", list(choices), key="class_case", format_func=lambda c: choices.get(c, c)
        )
        c3, c4 = st.columns([2, 1])
        c3.radio("Patients", list(MODES), key="class_draw", format_func=MODES.__getitem__)
        c4.number_input(
            "Seed",
            min_value=0,
            max_value=SEED_MAX,
            value=1,
            step=1,
            key="class_seed",
            help="The fixed patient's seed (ignored when each trainee draws a patient)",
        )
        c4.number_input(
            "Attempts per trainee",
            min_value=1,
            max_value=MAX_ATTEMPTS,
            value=1,
            step=1,
            key="class_attempts",
            help="Sessions one pseudonym may start in this class",
        )
        st.form_submit_button("Create class", key="class_submit", type="primary", on_click=_create)
    control_errors.show_error("class_create")


def class_rows(
    classes: list[ClassRecord], counts: Counter[int | None], choices: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "Class": k.name,
            "Join code": k.join_code if k.open else "—",
            "Case": choices.get(k.scenario_id, k.scenario_id),
            "Patients": "a draw each" if k.per_trainee_draw else f"fixed (seed {k.seed})",
            "Status": k.status,
            "Attempts": k.max_attempts,
            "Sessions": counts.get(k.id, 0),
            "Created (UTC)": k.created_at.strftime("%Y-%m-%d %H:%M"),
        }
        for k in classes
    ]


def render() -> None:
    st.header("Class")
    st.markdown(load_text("class_help"))
    choices = case_choices()
    create_form(choices)
    try:
        store = storage.get_store()
        classes = store.list_classes()
        counts = Counter(r.class_id for r in store.list_sessions())
    except storage.STORE_ERRORS as exc:
        st.error(storage.database_message(exc))
        return
    created = next((k for k in classes if k.id == st.session_state.get("class_created")), None)
    if created is not None:
        with st.container(border=True, key="class_join_code"):
            st.markdown(f"Class **{plain(created.name)}** is open. Trainees join with the code")
            st.markdown(f"# `{created.join_code}`")
            st.caption("Case page → *Join a class*. Show this code on the projector.")
    st.subheader("Classes")
    if not classes:
        st.caption("No class yet.")
    else:
        st.container(key="class_table").dataframe(
            class_rows([k for k in classes if k.status != "archived"], counts, choices),
            hide_index=True,
            width="stretch",
        )
        manage(classes)
    with st.expander("Authored cases: edit, archive, delete"):
        case_admin.render()


def _set_status(status: str) -> None:
    _change(lambda store, cid: store.set_class_status(cid, status))


def _set_attempts() -> None:
    n = int(st.session_state.get("class_manage_attempts") or 1)
    _change(lambda store, cid: store.set_max_attempts(cid, n))


def _change(step: Callable[[Store, int], None]) -> None:
    ss = st.session_state
    try:
        step(storage.get_store(), int(ss["class_manage_pick"]))
    except (KeyError, TypeError, *storage.STORE_ERRORS) as exc:
        ss["errors"]["class_manage"] = storage.database_message(exc)


def manage(classes: list[ClassRecord]) -> None:
    """Close, reopen or archive a class; allow its trainees more attempts."""
    if not classes:
        return
    by_id = {k.id: k for k in classes}
    st.markdown("**Manage a class**")
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    pick = c1.selectbox(
        "Class",
        list(by_id),
        key="class_manage_pick",
        format_func=lambda cid: f"{by_id[cid].name} ({by_id[cid].status})",
    )
    klass = by_id[pick]
    if klass.open:
        c2.button(
            "Close (no more joins)", key="class_close", on_click=_set_status, args=("closed",)
        )
    else:
        c2.button("Reopen", key="class_reopen", on_click=_set_status, args=("open",))
    c3.button(
        "Archive",
        key="class_archive",
        on_click=_set_status,
        args=("archived",),
        disabled=klass.status == "archived",
    )
    st.session_state["class_manage_attempts"] = klass.max_attempts
    c4.number_input(
        "Attempts per trainee",
        min_value=1,
        max_value=MAX_ATTEMPTS,
        step=1,
        key="class_manage_attempts",
        on_change=_set_attempts,
    )
    control_errors.show_error("class_manage")
