"""Programs being edited, not yet applied: one draft per implanted side."""

from __future__ import annotations

from typing import Any

from dbssim.session.engine import Session
from dbssim.ui.program_fields import setting_dict, spec_to_polarity, spec_to_shares

# Where a first programming visit usually starts (DESIGN §1: 60 µs, 130 Hz).
DEFAULT_PULSE_WIDTH_US = 60.0
DEFAULT_FREQUENCY_HZ = 130.0


def _clamp(value: float, low: float, high: float) -> float:
    return float(min(max(value, low), high))


def draft_of(current: Session, side: str, applied: dict[str, Any] | None) -> dict[str, Any]:
    """One side's draft: the given program (a setting's dict) if any, else a safe start.

    ``mode`` is ``voltage`` when the program is in V, ``current`` when in mA, else the
    case's own amplitude mode.
    """
    device = current.patient.device
    labels = current.patient.sides[side].lead.labels
    if applied:
        voltage = applied.get("amplitude_v") is not None
        amplitude = applied.get("amplitude_v" if voltage else "amplitude_ma") or 0.0
        return {
            "polarity": spec_to_polarity(str(applied["contacts"]), labels),
            "shares": spec_to_shares(str(applied["contacts"]), labels),
            "amplitude": float(amplitude),
            "pulse_width_us": float(applied["pulse_width_us"]),
            "frequency_hz": float(applied["frequency_hz"]),
            "mode": "voltage" if voltage else "current",
        }
    return {
        "polarity": dict.fromkeys(labels, "off"),
        "shares": {},
        "amplitude": 0.0,
        "pulse_width_us": _clamp(
            DEFAULT_PULSE_WIDTH_US, device.pulse_width_min_us, device.pulse_width_max_us
        ),
        "frequency_hz": _clamp(
            DEFAULT_FREQUENCY_HZ, device.frequency_min_hz, device.frequency_max_hz
        ),
        "mode": current.scenario.amplitude_mode,
    }


def initial_drafts(current: Session) -> dict[str, dict[str, Any]]:
    """Drafts for every implanted side: the applied program if any, else a safe start."""
    return {
        side: draft_of(current, side, setting_dict(current.programs.get(side)))
        for side in current.patient.sides
    }


def is_voltage(current: Session, draft: dict[str, Any]) -> bool:
    """Whether a draft's amplitude is in V (its own mode, else the case's)."""
    return bool(draft.get("mode", current.scenario.amplitude_mode) == "voltage")
