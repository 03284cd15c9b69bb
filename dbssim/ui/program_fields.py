"""One side's program as the editor handles it: contact polarity, the program as a dict,
its amplitude (pure Python, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

POLARITY_CYCLE = {"off": "cathode", "cathode": "anode", "anode": "off"}


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


def amplitude_of(record: Mapping[str, Any]) -> float:
    """The amplitude of a setting or threshold, in whichever unit it was given (mA or V)."""
    value = record.get("amplitude_ma")
    if value is None:
        value = record.get("amplitude_v")
    return float(value or 0.0)
