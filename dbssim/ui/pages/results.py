"""Educator page: every stored session (all, or one class's) with scores, CSV and reports."""

from __future__ import annotations

import functools
import statistics
from typing import Any

import streamlit as st

from dbssim.store.service import Store
from dbssim.ui import cell_text, results_data, storage
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
        "minutes": st.column_config.NumberColumn("Min", format="%.0f", width=50),
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
            f"{finished[sid]['trainee']} — {finished[sid]['case']} ({finished[sid]['code']})"
        ),
    )
    c2.download_button(
        "Download report (HTML)",
        data=functools.partial(results_data.report_html, store, chosen),
        file_name=f"dbssim-debrief-{finished[chosen]['code']}.html",
        mime="text/html",
        key="results_report",
        icon=":material/download:",
        on_click="ignore",
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
    rows = results_data.ranked([results_data.result_row(r, classes, titles) for r in records])
    if not rows:
        st.info("No session here yet.", icon=":material/hourglass_empty:")
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
    st.subheader("Debrief reports")
    reports(store, rows)
