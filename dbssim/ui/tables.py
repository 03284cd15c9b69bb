"""Turn the session log into rows for tables and figures (pure Python, no Streamlit).

Nothing here models the patient: these helpers only re-read what the trainee did and
observed (the log entries the engine returned) and arrange it for display.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from dbssim.patient.scales import Scale
from dbssim.patient.virtual_patient import BODY_SIDE_OF_LEAD

MINUTES_PER_DAY = 1440.0
MISSING = "—"  # what an empty table cell shows (never "None")
WIDEST = "★"
POLARITY_CYCLE = {"off": "cathode", "cathode": "anode", "anode": "off"}
_SIGN = {"cathode": "-", "anode": "+"}


# --- contact specifications <-> per-contact polarity ----------------------------------------
def polarity_to_spec(polarity: Mapping[str, str], labels: Sequence[str]) -> str:
    """Contact specification (``1-``, ``1-,2+``) from per-contact polarity, lead order."""
    cathodes = [f"{label}-" for label in labels if polarity.get(label) == "cathode"]
    anodes = [f"{label}+" for label in labels if polarity.get(label) == "anode"]
    return ",".join(cathodes + anodes)


def spec_to_polarity(spec: str, labels: Sequence[str]) -> dict[str, str]:
    """Per-contact polarity from a specification; unknown labels and steering are ignored."""
    out = dict.fromkeys(labels, "off")
    by_lower = {label.lower(): label for label in labels}
    for term in spec.split(","):
        term = term.split(":")[0].strip()
        if len(term) < 2 or term[-1] not in "+-":
            continue
        label = by_lower.get(term[:-1].strip().lower())
        if label is not None:
            out[label] = "cathode" if term[-1] == "-" else "anode"
    return out


def setting_dict(setting: Any) -> dict[str, Any] | None:
    """A side's program as a plain dict (accepts a pydantic model, a dict or None)."""
    if setting is None:
        return None
    if hasattr(setting, "model_dump"):
        data: dict[str, Any] = setting.model_dump()
        return data
    return dict(setting)


def describe_setting(setting: Any) -> str:
    """``1- · 2.5 mA · 60 µs · 130 Hz`` (or ``off``)."""
    s = setting_dict(setting)
    if not s:
        return "off"
    amp = (
        f"{s['amplitude_ma']:g} mA"
        if s.get("amplitude_ma") is not None
        else f"{s.get('amplitude_v', 0):g} V"
    )
    return f"{s['contacts']} · {amp} · {s['pulse_width_us']:g} µs · {s['frequency_hz']:g} Hz"


# --- log entries ---------------------------------------------------------------------------
def session_time_days(entry: Mapping[str, Any]) -> float:
    """Session time of a log entry in days (day + minute of the visit)."""
    return float(entry.get("day", 0)) + float(entry.get("minute", 0)) / MINUTES_PER_DAY


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
    """The most recent log entry of one action kind."""
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


# --- replay: which program was on at each exam ------------------------------------------------
def replay(
    log: Sequence[Mapping[str, Any]],
) -> Iterator[tuple[Mapping[str, Any], dict[str, Mapping[str, Any]], bool]]:
    """Each log entry with the programs and the stimulation state in force at that moment.

    Stimulation starts off, as at a first programming visit.
    """
    programs: dict[str, Mapping[str, Any]] = {}
    stim_on = False
    for entry in log:
        action = entry.get("action", {})
        kind = action.get("action")
        if kind == "set":
            programs[str(action["side"])] = action
        elif kind == "stim_on":
            stim_on = True
        elif kind == "stim_off":
            stim_on = False
        yield entry, dict(programs), stim_on


def amplitude_of(record: Mapping[str, Any]) -> float:
    """The amplitude of a setting or threshold, in whichever unit it was given (mA or V)."""
    value = record.get("amplitude_ma")
    if value is None:
        value = record.get("amplitude_v")
    return float(value or 0.0)


def _side_items(scale: Scale, side: str) -> list[str]:
    body = BODY_SIDE_OF_LEAD.get(side, "none")
    return [item.id for item in scale.items if item.side == body]


def _signs_for_side(signs: Sequence[str], side: str) -> list[str]:
    """Signs on the body side this lead serves (signs naming no side are kept)."""
    body = BODY_SIDE_OF_LEAD.get(side, "")
    other = "left" if body == "right" else "right"
    return [s for s in signs if body in s.lower() or other not in s.lower()]


def observations(
    log: Sequence[Mapping[str, Any]],
    side: str,
    scale: Scale,
    baseline: Mapping[str, float],
) -> list[dict[str, Any]]:
    """The trainee's exams with this side's program on, for the clinical-effects map.

    ``benefit_pct`` is the improvement of the items this lead serves (contralateral body
    side) against the case sheet's baseline exam, in %; all items if that side has none.
    ``change_points`` is the same improvement in scale points, signed (negative: worse).
    """
    items = _side_items(scale, side) or [item.id for item in scale.items]
    base = sum(float(baseline.get(i, 0.0)) for i in items)
    out = []
    for entry, programs, stim_on in replay(log):
        if entry.get("action", {}).get("action") != "examine" or not stim_on:
            continue
        program = programs.get(side)
        result = entry.get("result") or {}
        if program is None or not program.get("contacts"):
            continue
        scores = result.get("items", {})
        total = sum(float(scores.get(i, 0.0)) for i in items)
        benefit = 100.0 * (base - total) / base if base > 0 else 0.0
        out.append(
            {
                "contacts": str(program["contacts"]),
                "amplitude": amplitude_of(program),
                "benefit_pct": round(max(0.0, benefit), 1),
                "change_points": round(base - total, 2),
                "signs": _signs_for_side(result.get("signs", []), side),
                "when": f"day {entry.get('day', 0)}, minute {float(entry.get('minute', 0)):.0f}",
            }
        )
    return out


def latest_thresholds(
    thresholds: Sequence[Mapping[str, Any]], side: str
) -> dict[tuple[str, str], float]:
    """(contact, kind) -> amplitude of the latest record of one side.

    The engine's log is append-only: recording a contact and kind again replaces the
    earlier value here, in the table and on the map.
    """
    latest: dict[tuple[str, str], float] = {}
    for t in thresholds:
        if t.get("side") == side:
            latest[(str(t["contact"]), str(t.get("kind")))] = amplitude_of(t)
    return latest


def threshold_marks(thresholds: Sequence[Mapping[str, Any]], side: str) -> list[dict[str, Any]]:
    """The latest recorded thresholds of one side, as marks for the clinical-effects map."""
    return [
        {"contact": f"{contact}-", "kind": kind, "amplitude": amplitude}
        for (contact, kind), amplitude in latest_thresholds(thresholds, side).items()
    ]


def trainee_review_rows(
    thresholds: Sequence[Mapping[str, Any]], side: str, labels: Sequence[str]
) -> list[dict[str, Any]]:
    """Per contact: the latest recorded efficacy and side-effect thresholds and the window."""
    latest = latest_thresholds(thresholds, side)
    rows = []
    for label in labels:
        eff = latest.get((label, "efficacy"))
        se = latest.get((label, "side_effect"))
        rows.append(
            {
                "contact": label,
                "efficacy": eff,
                "side_effect": se,
                "window": round(se - eff, 2) if eff is not None and se is not None else None,
            }
        )
    return rows


def mark_widest(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with a ``note`` starring the widest window.

    Never a missing, zero or negative window: a side effect at or below the efficacy
    threshold leaves no window at all.
    """
    windows = [float(r["window"]) for r in rows if r.get("window") is not None]
    widest = max((w for w in windows if w > 0), default=None)
    return [
        dict(r) | {"note": WIDEST if widest is not None and r.get("window") == widest else ""}
        for r in rows
    ]


def as_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for display: numbers of these columns as text (``2.5``), empty cells as "—"."""
    out = []
    for r in rows:
        row = dict(r)
        for name in columns:
            value = row.get(name)
            if value is None or (isinstance(value, float) and value != value):  # None or NaN
                row[name] = MISSING
            elif isinstance(value, int | float) and not isinstance(value, bool):
                row[name] = f"{value:g}"
        out.append(row)
    return out


def true_review_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The engine's noise-free review rows renamed like :func:`trainee_review_rows`.

    ``efficacy`` is the long-term expectation; ``efficacy_now`` what an exam during the
    review could see (None when the benefit only comes over days to months).
    """
    return [
        {
            "contact": str(r["contact"]),
            "efficacy": r.get("efficacy_threshold_ma"),
            "efficacy_now": r.get("acute_efficacy_threshold_ma"),
            "side_effect": r.get("side_effect_threshold_ma"),
            "window": r.get("window_ma"),
            "first side effect": (r.get("side_effect") or "").replace("_", " "),
        }
        for r in rows
    ]


def trend_points(log: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every exam's total over session time, for the follow-up trend."""
    out = []
    for entry, _programs, stim_on in replay(log):
        if entry.get("action", {}).get("action") != "examine":
            continue
        result = entry.get("result") or {}
        out.append(
            {
                "t_days": round(session_time_days(entry), 4),
                "total": float(result.get("total", 0.0)),
                "label": f"day {entry.get('day', 0)}, minute {float(entry.get('minute', 0)):.0f}"
                f" — stimulation {'on' if stim_on else 'off'}",
            }
        )
    return out
