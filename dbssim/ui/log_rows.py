"""The session log arranged for display: the log table, exams, the effects map, the trend.

Nothing here models the patient: these helpers re-read what the trainee did and
observed, through :func:`dbssim.session.log.walk` wherever what was switched on matters
(pure Python, no Streamlit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dbssim.patient.scales import Scale
from dbssim.patient.virtual_patient import BODY_SIDE_OF_LEAD
from dbssim.physics.leads import Lead
from dbssim.session.attribution import signs_for_lead
from dbssim.session.engine import SessionError
from dbssim.session.log import ExamEntry, LogEntry, walk
from dbssim.session.threshold_names import threshold_contact
from dbssim.ui import threshold_rows


def log_rows(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for the log table from ``Session.to_records()``, newest first."""
    rows = [
        {
            "step": r["index"],
            "day": r["day"],
            "minute": round(float(r["minute"]), 1),
            "action": str(r["action"]).replace("_", " "),
            "what happened": r["summary"],
        }
        for r in records
    ]
    return rows[::-1]


def last_result(log: Sequence[Mapping[str, Any]], kind: str) -> Mapping[str, Any] | None:
    """The most recent entry of one action kind in the plain-dict log (``Session.log``)."""
    for entry in reversed(log):
        if entry.get("action", {}).get("action") == kind:
            return entry
    return None


def exam_rows(result: Mapping[str, Any], scale: Scale) -> list[dict[str, Any]]:
    """Rows of an exam table: item name, score given, maximum."""
    items = result.get("items", {})
    return [
        {"item": item.name, "score": items.get(item.id), "max": item.max_score}
        for item in scale.items
        if item.id in items
    ]


def _side_items(scale: Scale, side: str) -> list[str]:
    body = BODY_SIDE_OF_LEAD.get(side, "none")
    return [item.id for item in scale.items if item.side == body]


# Two standard deviations of the sum of independent per-item rater errors: a change smaller
# than this between two exams is as likely noise as effect (teaching value, not from literature).
NOISE_SIGMAS = 2.0


def noise_points(scale: Scale, items: list[str]) -> float:
    """How many scale points two exams of these items differ by from rater noise alone."""
    return NOISE_SIGMAS * scale.sum_noise_sd(items)


def _when(entry: LogEntry) -> str:
    return f"day {entry.day}, minute {entry.minute:.0f}"


def map_contacts(contacts: str, lead: Lead | None) -> str:
    """A program's row on the effects map: its cathodes named as a threshold names them
    (``2-`` for a whole level, ``2a-:70,2b-:30`` for a split); bipolar programs as written."""
    if lead is None or "+" in contacts:
        return contacts
    try:
        return threshold_rows.map_row(threshold_contact(lead, contacts))
    except SessionError:
        return contacts


def observations(
    entries: Sequence[LogEntry],
    side: str,
    scale: Scale,
    baseline: Mapping[str, float],
    lead: Lead | None = None,
) -> list[dict[str, Any]]:
    """The trainee's exams with this side's program on, for the clinical-effects map.

    ``benefit_pct`` is the improvement of the items this lead serves (contralateral body
    side) against the case sheet's baseline exam, in %; all items if that side has none.
    ``change_points`` is the same improvement in scale points, signed (negative: worse).
    """
    items = _side_items(scale, side) or [item.id for item in scale.items]
    base = sum(float(baseline.get(i, 0.0)) for i in items)
    noise = noise_points(scale, items)
    out = []
    for step in walk(entries):
        exam, setting = step.entry, step.delivered.get(side)
        if not isinstance(exam, ExamEntry) or setting is None:
            continue
        total = sum(float(exam.items.get(i, 0.0)) for i in items)
        benefit = 100.0 * (base - total) / base if base > 0 else 0.0
        out.append(
            {
                "contacts": map_contacts(setting.contacts, lead),
                "amplitude": float(
                    setting.amplitude_ma
                    if setting.amplitude_ma is not None
                    else setting.amplitude_v or 0.0
                ),
                "benefit_pct": round(max(0.0, benefit), 1),
                "change_points": round(base - total, 2),
                "within_noise": abs(base - total) <= noise,
                "noise_points": round(noise, 1),
                "signs": [s.label() for s in signs_for_lead(step, side)],
                "when": _when(exam),
            }
        )
    return out


def trend_points(entries: Sequence[LogEntry]) -> list[dict[str, Any]]:
    """Every exam's total over session time, for the follow-up trend."""
    return [
        {
            "t_days": round(step.entry.t_days, 4),
            "total": float(step.entry.total),
            "label": f"{_when(step.entry)} — stimulation {'on' if step.stimulation_on else 'off'}",
        }
        for step in walk(entries)
        if isinstance(step.entry, ExamEntry)
    ]
