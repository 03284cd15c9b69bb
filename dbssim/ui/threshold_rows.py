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
