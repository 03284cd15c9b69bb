"""Educator page: every stored session (all, or one class's) with scores, CSV and reports."""

from __future__ import annotations

import functools
import statistics
from typing import Any

import streamlit as st

from dbssim.report.html import report_reference
from dbssim.store.service import SessionRecord, Store
from dbssim.store.sql_tables import MAX_COMMENT_CHARS
from dbssim.ui import cell_text, control_errors, results_data, storage
from dbssim.ui.pages.classes import case_choices
from dbssim.ui.text import load_text

ALL, NONE = "all", "none"
SCORE_TITLES = {"outcome": "Outcome", "safety": "Safety", "efficiency": "Efficiency"}
SCORE_TITLES |= {"process": "Process"}


def columns() -> dict[str, Any]:
    score = {
        n: st.column_config.ProgressColumn(
            t, min_value=0, max_value=100, format="%.0f", width="small"
        )
        for n, t in SCORE_TITLES.items()
    }
    return {
        "trainee": st.column_config.TextColumn("Trainee", width=110),
        "class": st.column_config.TextColumn("Class", width=110),
        "case": st.column_config.TextColumn("Case", width="medium"),
        "status": st.column_config.TextColumn("Status", width=90),
        "started": None,  # in the CSV, not on screen
        "clinic_minutes": st.column_config.NumberColumn(
            "Clinic min", format="%.0f", width=70, help="Simulated clinic time, not wall clock"
        ),
        "wall_minutes": None,  # in the CSV, not on screen
        "actions": st.column_config.NumberColumn("Steps", width=55),
        **score,
        "mean": st.column_config.TextColumn("Mean", width=60, alignment="right"),
        "code": None,
        "session_id": None,
    }


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the table shows them: the mean as a whole number, "—" until finished.

    (An unfinished session's score bars are simply empty.)
    """
    return [
        r | {"mean": cell_text.MISSING if r["mean"] is None else f"{r['mean']:.0f}"} for r in rows
    ]


def summary(rows: list[dict[str, Any]]) -> None:
    done = [r for r in rows if r["mean"] is not None]
    cols = st.columns(2 + len(SCORE_TITLES))
    cols[0].metric("Sessions", len(rows))
    cols[1].metric("Finished", len(done))
    for col, (name, title) in zip(cols[2:], SCORE_TITLES.items(), strict=True):
        values = [r[name] for r in done if r[name] is not None]
        col.metric(f"{title} (median)", f"{statistics.median(values):.0f}" if values else "—")


def reports(store: Store, rows: list[dict[str, Any]]) -> None:
    finished = {r["session_id"]: r for r in rows if r["status"] == "finished"}
    if not finished:
        st.caption("Reports appear here once a session is finished.")
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(
        "Session",
        list(finished),
        key="results_report_pick",
        format_func=lambda sid: (
            f"{finished[sid]['trainee']} — {finished[sid]['case']} ({report_reference(sid)})"
        ),
    )
    comment_box(store, chosen)
    c2.download_button(
        "Download report (HTML)",
        data=functools.partial(results_data.report_html, store, chosen),
        file_name=f"dbssim-debrief-{report_reference(chosen)}.html",
        mime="text/html",
        key="results_report",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


def _save_comment(session_id: str) -> None:
    ss = st.session_state
    try:
        storage.get_store().set_comment(session_id, str(ss.get("results_comment") or ""))
    except storage.STORE_ERRORS as exc:
        ss["errors"]["results_comment"] = storage.database_message(exc)
        return
    ss["results_comment_saved"] = session_id


def comment_box(store: Store, session_id: str) -> None:
    """The educator's comment on the chosen session; it is printed in its report."""
    record, _ = store.load_session(session_id)
    if st.session_state.get("results_comment_for") != session_id:
        st.session_state["results_comment"] = record.comment or ""
        st.session_state["results_comment_for"] = session_id
    st.text_area(
        "Your comment (printed in this session's report)",
        key="results_comment",
        max_chars=MAX_COMMENT_CHARS,
        height=90,
    )
    st.button(
        "Save the comment", key="results_comment_save", on_click=_save_comment, args=(session_id,)
    )
    if st.session_state.pop("results_comment_saved", None) == session_id:
        st.success("Comment saved.", icon=":material/check:")
    control_errors.show_error("results_comment")


@st.cache_data(show_spinner=False, max_entries=2000)
def replayed(session_id: str, n_actions: int, _store: Store) -> dict[str, Any]:
    """A session's replay summary, once per number of saved actions."""
    return results_data.replayed(_store, session_id)


def side_by_side(records: list[SessionRecord], summaries: dict[str, dict[str, Any]]) -> None:
    st.subheader("Side by side: final programs and recorded thresholds")
    st.container(key="results_compare").dataframe(
        results_data.comparison_rows(records, summaries), hide_index=True, width="stretch"
    )


def demonstrations(records: list[SessionRecord], titles: dict[str, str]) -> None:
    """Demonstrations, apart from trainees (not in the table, the medians or the CSV)."""
    if not records:
        return
    st.subheader("Demonstrations")
    st.caption("The educator's own sessions: not counted with the trainees.")
    st.container(key="results_demos").dataframe(
        [
            {
                "case": titles.get(r.scenario_id, r.scenario_id),
                "status": "finished" if r.finished else "in progress",
                "started (UTC)": r.created_at.strftime("%Y-%m-%d %H:%M"),
                "steps": r.n_actions,
            }
            for r in records
        ],
        hide_index=True,
        width="stretch",
    )


def render() -> None:
    st.header("Results")
    st.markdown(load_text("results_help"))
    try:
        store = storage.get_store()
        classes = {k.id: k for k in store.list_classes()}
    except storage.STORE_ERRORS as exc:
        st.error(storage.database_message(exc))
        return
    options: list[Any] = [ALL, NONE, *classes]
    labels = {ALL: "All sessions", NONE: "Sessions outside a class"}
    pick = st.selectbox(
        "Show",
        options,
        key="results_class",
        format_func=lambda o: labels.get(o) or f"Class {classes[o].name} ({classes[o].join_code})",
    )
    records = store.list_sessions(pick if isinstance(pick, int) else None)
    if pick == NONE:
        records = [r for r in records if r.class_id is None]
    titles = case_choices()
    demos = [r for r in records if r.demonstration]
    records = [r for r in records if not r.demonstration]
    summaries = {r.id: replayed(r.id, r.n_actions, store) for r in records}
    rows = results_data.ranked(
        [
            results_data.result_row(r, classes, titles, summaries[r.id]["clinic_minutes"])
            for r in records
        ]
    )
    if not rows:
        st.info("No session here yet.", icon=":material/hourglass_empty:")
        demonstrations(demos, titles)
        return
    summary(rows)
    st.container(key="results_table").dataframe(
        shown(rows), hide_index=True, width="stretch", column_config=columns()
    )
    st.download_button(
        "Download the table (CSV)",
        data=results_data.results_csv(rows),
        file_name="dbssim-results.csv",
        mime="text/csv",
        key="results_csv",
        icon=":material/table:",
        on_click="ignore",
    )
    side_by_side(records, summaries)
    st.subheader("Debrief reports")
    reports(store, rows)
    demonstrations(demos, titles)
