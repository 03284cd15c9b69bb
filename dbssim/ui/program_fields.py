"""One side's program as the editor handles it: contact polarity, the program as a dict,
its amplitude (pure Python, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

POLARITY_CYCLE = {"off": "cathode", "cathode": "anode", "anode": "off"}


def polarity_to_spec(
    polarity: Mapping[str, str],
    labels: Sequence[str],
    shares: Mapping[str, float] | None = None,
) -> str:
    """Contact specification (``1-``, ``1-,2+``, ``2a-:70,2b-:30``) from per-contact
    polarity, lead order.

    ``shares`` are the cathodes' percentages; they are written only when there are several
    cathodes and the split is uneven by more than a percent (an even split is the plain
    ``2a-,2b-``).
    """
    cathode_labels = [label for label in labels if polarity.get(label) == "cathode"]
    cathodes = [f"{label}-" for label in cathode_labels]
    split = cathode_shares(cathode_labels, shares)
    # 34/33/33 is how an even split of three shows in whole percent: still even.
    if len(cathode_labels) > 1 and max(split.values()) - min(split.values()) > 1:
        cathodes = [f"{label}-:{split[label]:g}" for label in cathode_labels]
    anodes = [f"{label}+" for label in labels if polarity.get(label) == "anode"]
    return ",".join(cathodes + anodes)


def even_split(n: int) -> list[float]:
    """Whole percentages adding up to 100 (``3`` → 34, 33, 33)."""
    base = 100 // n if n else 0
    return [float(base + (1 if i < 100 - base * n else 0)) for i in range(n)]


def cathode_shares(cathodes: Sequence[str], shares: Mapping[str, float] | None) -> dict[str, float]:
    """Each cathode's percentage: the given ones when they are for exactly these cathodes,
    else an even split (a cathode added or removed starts the split afresh)."""
    given = shares or {}
    if cathodes and set(given) == set(cathodes):
        return {label: float(given[label]) for label in cathodes}
    return dict(zip(cathodes, even_split(len(cathodes)), strict=True))


def spec_to_shares(spec: str, labels: Sequence[str]) -> dict[str, float]:
    """The cathodes' percentages written in a specification (``2a-:70`` → 70); {} if none."""
    out: dict[str, float] = {}
    by_lower = {label.lower(): label for label in labels}
    for term in spec.split(","):
        head, _, pct = term.partition(":")
        head = head.strip()
        label = by_lower.get(head[:-1].strip().lower()) if head.endswith("-") else None
        if label is not None and pct.strip():
            out[label] = float(pct.strip().rstrip("%"))
    return out


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


def amplitude_of(record: Mapping[str, Any]) -> float:
    """The amplitude of a setting or threshold, in whichever unit it was given (mA or V)."""
    value = record.get("amplitude_ma")
    if value is None:
        value = record.get("amplitude_v")
    return float(value or 0.0)
