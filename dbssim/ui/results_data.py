"""Rows, CSV and reports for the educator's Results page (pure Python, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dbssim.report.html import render_report
from dbssim.store.results_table import csv_text, score_values
from dbssim.store.service import ClassRecord, SessionRecord, Store

NO_CLASS = "—"


def result_row(
    record: SessionRecord, classes: Mapping[int, ClassRecord], titles: Mapping[str, str]
) -> dict[str, Any]:
    """One session: who, which class and case, how far, its scores (None until finished)."""
    scores = score_values(record)
    values = [v for v in scores.values() if v is not None]
    klass = classes.get(record.class_id) if record.class_id is not None else None
    return {
        "trainee": record.trainee,
        "class": klass.name if klass is not None else NO_CLASS,
        "case": titles.get(record.scenario_id, record.scenario_id),
        "status": "finished" if record.finished else "in progress",
        "started": record.created_at.strftime("%Y-%m-%d %H:%M"),
        "minutes": round(record.duration_s / 60, 1),
        "actions": record.n_actions,
        **scores,
        "mean": round(sum(values) / len(values), 1) if values else None,
        "code": record.code,
        "session_id": record.id,
    }


def ranked(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Finished sessions first, best mean score first; then sessions in progress."""
    return sorted(
        (dict(r) for r in rows),
        key=lambda r: (r["mean"] is None, -(r["mean"] or 0.0), r["started"]),
    )


def results_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """The rows as CSV (formula-safe), one line per session."""
    return csv_text(rows)


def report_html(store: Store, session_id: str) -> str:
    """A finished session's debrief report (the debrief refuses an unfinished one)."""
    record, _ = store.load_session(session_id)
    session = store.resume(record.id)
    return render_report(
        session,
        trainee=record.trainee,
        session_id=record.id,
        started_at=record.created_at,
        finished_at=record.finished_at,
        debrief_data=store.load_debrief(record.id),  # as scored at the finish
    )
