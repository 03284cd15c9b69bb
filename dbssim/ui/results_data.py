"""Rows, CSV and reports for the educator's Results page (pure Python, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dbssim.report.html import render_report
from dbssim.session.log import ThresholdEntry, entries_of
from dbssim.session.setting_text import describe_amplitude, describe_setting
from dbssim.store.results_table import csv_text, score_values
from dbssim.store.service import ClassRecord, SessionRecord, Store

NO_CLASS = "—"


def replayed(store: Store, session_id: str) -> dict[str, Any]:
    """What a session's replay tells the Results page: clinic minutes, final programs and
    recorded thresholds per side (as text). Replaying is cheap (milliseconds) once warm."""
    session = store.resume(session_id)
    recorded = entries_of(session.entries, ThresholdEntry)
    sides = list(session.patient.sides)
    return {
        "clinic_minutes": round(float(session.clinic_minutes), 1),
        "programs": {s: describe_setting(session.programs.get(s), compact=True) for s in sides},
        "thresholds": {
            s: "; ".join(
                f"{t.contact} {t.kind.replace('_', ' ')} "
                f"{describe_amplitude(t.amplitude_ma, t.amplitude_v)}"
                for t in recorded
                if t.side == s
            )
            or NO_CLASS
            for s in sides
        },
    }


def comparison_rows(
    records: Sequence[SessionRecord], summaries: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Each trainee's final program and recorded thresholds, one row per lead, side by side."""
    rows = []
    for record in records:
        summary = summaries[record.id]
        for side, program in summary["programs"].items():
            rows.append(
                {
                    "trainee": record.trainee,
                    "status": "finished" if record.finished else "in progress",
                    "side": side,
                    "final program": program,
                    "thresholds recorded": summary["thresholds"][side],
                }
            )
    return rows


def result_row(
    record: SessionRecord,
    classes: Mapping[int, ClassRecord],
    titles: Mapping[str, str],
    clinic_minutes: float | None = None,
) -> dict[str, Any]:
    """One session: who, which class and case, how far, its scores (None until finished).

    ``clinic_minutes`` is the simulated clinic time (from :func:`replayed`); the wall-clock
    minutes stay in the CSV only.
    """
    scores = score_values(record)
    values = [v for v in scores.values() if v is not None]
    klass = classes.get(record.class_id) if record.class_id is not None else None
    return {
        "trainee": record.trainee,
        "class": klass.name if klass is not None else NO_CLASS,
        "case": titles.get(record.scenario_id, record.scenario_id),
        "status": "finished" if record.finished else "in progress",
        "started": record.created_at.strftime("%Y-%m-%d %H:%M"),
        "clinic_minutes": clinic_minutes,
        "wall_minutes": round(record.duration_s / 60, 1),
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
        comment=record.comment,
    )
