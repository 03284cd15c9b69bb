"""Monopolar-review rows: the trainee's recorded thresholds beside the true review.

Thresholds come as the plain dicts of :attr:`dbssim.session.engine.Session.thresholds`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dbssim.ui.program_fields import amplitude_of

WIDEST = "★"


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


def ring_label(level: str) -> str:
    """How a whole level in ring mode is shown: ``2 (ring)``."""
    return f"{level} (ring)"


def map_row(contact: str) -> str:
    """The effects-map row of a threshold's contact: the program as written (``2-``,
    ``2a-:70,2b-:30``), so a threshold sits on the row of the program that found it."""
    return contact if contact.endswith("-") or ":" in contact or "," in contact else f"{contact}-"


def threshold_marks(thresholds: Sequence[Mapping[str, Any]], side: str) -> list[dict[str, Any]]:
    """The latest recorded thresholds of one side, as marks for the clinical-effects map."""
    return [
        {"contact": map_row(contact), "kind": kind, "amplitude": amplitude}
        for (contact, kind), amplitude in latest_thresholds(thresholds, side).items()
    ]


def trainee_review_rows(
    thresholds: Sequence[Mapping[str, Any]],
    side: str,
    labels: Sequence[str],
    rings: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Per contact, then per whole level (``rings``, ring mode), then per steered setting
    recorded: the latest efficacy and side-effect thresholds and the window."""
    latest = latest_thresholds(thresholds, side)
    names = list(dict.fromkeys([*labels, *rings, *(c for c, _ in latest)]))
    rows = []
    for label in names:
        eff = latest.get((label, "efficacy"))
        se = latest.get((label, "side_effect"))
        rows.append(
            {
                "contact": ring_label(label) if label in rings else label,
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


def mark_highest_side_effect(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with a ``note`` starring the highest side-effect threshold (when benefit is
    delayed, as in dystonia, and no window can be measured in clinic)."""
    found = [float(r["side_effect"]) for r in rows if r.get("side_effect") is not None]
    highest = max(found, default=None)
    return [
        dict(r)
        | {"note": WIDEST if highest is not None and r.get("side_effect") == highest else ""}
        for r in rows
    ]


def true_review_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The engine's noise-free review rows renamed like :func:`trainee_review_rows`.

    ``efficacy`` is the long-term expectation; ``efficacy_now`` what an exam during the
    review could see (None when the benefit only comes over days to months).
    """
    return [
        {
            "contact": ring_label(str(r["contact"]))
            if r.get("mode") == "ring"
            else str(r["contact"]),
            "efficacy": r.get("efficacy_threshold_ma"),
            "efficacy_now": r.get("acute_efficacy_threshold_ma"),
            "side_effect": r.get("side_effect_threshold_ma"),
            "window": r.get("window_ma"),
            "first side effect": (r.get("side_effect") or "").replace("_", " "),
        }
        for r in rows
    ]
