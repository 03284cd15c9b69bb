"""Educator tools for authored cases: replace (edit), archive, bring back, delete.

An edit is a download of the case's YAML, changed in any editor, uploaded again under
the same id; the upload passes the same checks as a new case. Classes and sessions keep
their own copy of a case, so none of these changes what a class or a stored session plays.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dbssim.patient.scenario import ScenarioError
from dbssim.store.service import Store, StoreError
from dbssim.ui import case_files, control_errors, storage

MAX_UPLOAD_BYTES = 200_000  # well above a case file (a few kB); parse_upload checks the limit


def case_label(case_id: str, title: str, archived: bool = False) -> str:
    """A case in a picker: its title and its id (two uploads with one title differ)."""
    return f"{title} — {case_id}" + (" (archived)" if archived else "")


def _replace() -> None:
    ss, errors = st.session_state, st.session_state["errors"]
    upload = ss.get("case_admin_upload")
    case_id = str(ss.get("case_admin_pick") or "")
    if upload is None:
        errors["case_admin"] = "file: choose the edited case file first"
        return
    try:
        scenario = case_files.parse_upload(upload.read(MAX_UPLOAD_BYTES + 1))
        if scenario.id != case_id:
            raise StoreError(
                "id", f"the file is case '{scenario.id}'; an edit keeps the id '{case_id}'"
            )
        storage.get_store().update_case(scenario)
    except (ScenarioError, *storage.STORE_ERRORS) as exc:
        errors["case_admin"] = control_errors.error_message(exc)
        return
    ss["case_admin_done"] = f"Case '{case_id}' replaced."


def _archive(archived: bool) -> None:
    _change(
        lambda store, cid: store.archive_case(cid, archived), "archived" if archived else "back"
    )


def _delete() -> None:
    if not st.session_state.get("case_admin_sure"):
        st.session_state["errors"]["case_admin"] = "delete: tick the box to confirm first"
        return
    _change(lambda store, cid: store.delete_case(cid), "deleted")


def _change(step: Callable[[Store, str], None], what: str) -> None:
    case_id = str(st.session_state.get("case_admin_pick") or "")
    try:
        step(storage.get_store(), case_id)
    except storage.STORE_ERRORS as exc:
        st.session_state["errors"]["case_admin"] = storage.database_message(exc)
        return
    st.session_state["case_admin_done"] = f"Case '{case_id}' {what}."


def render() -> None:
    """The Authored cases panel (on the Class page)."""
    try:
        store = storage.get_store()
        titles = store.list_cases(include_archived=True)
        archived = store.archived_cases()
    except storage.STORE_ERRORS as exc:
        st.error(storage.database_message(exc))
        return
    if not titles:
        st.caption("No authored case yet (Case authoring page).")
        return
    done = st.session_state.pop("case_admin_done", None)
    if done:
        st.success(done)
    pick = st.selectbox(
        "Authored case",
        list(titles),
        key="case_admin_pick",
        format_func=lambda cid: case_label(cid, titles[cid], cid in archived),
    )
    if pick is None:
        return
    scenario = store.load_case(pick)
    c1, c2, c3 = st.columns(3, vertical_alignment="bottom")
    c1.download_button(
        "Download to edit (YAML)",
        data=case_files.scenario_yaml(scenario),
        file_name=f"{pick}.yaml",
        mime="text/yaml",
        key="case_admin_download",
        on_click="ignore",
    )
    if pick in archived:
        c2.button("Bring back", key="case_admin_unarchive", on_click=_archive, args=(False,))
    else:
        c2.button("Archive", key="case_admin_archive", on_click=_archive, args=(True,))
    with c3:
        st.checkbox("I am sure", key="case_admin_sure")
        st.button("Delete", key="case_admin_delete", on_click=_delete)
    st.file_uploader("Edited case file (same id)", type=["yaml", "yml"], key="case_admin_upload")
    st.button("Replace the case", key="case_admin_replace", on_click=_replace)
    control_errors.show_error("case_admin")
