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


def initial_drafts(current: Session) -> dict[str, dict[str, Any]]:
    """Drafts for every implanted side: the applied program if any, else a safe start."""
    device = current.patient.device
    voltage = current.scenario.amplitude_mode == "voltage"
    drafts = {}
    for side, model in current.patient.sides.items():
        labels = model.lead.labels
        applied = setting_dict(current.programs.get(side))
        if applied:
            amplitude = applied.get("amplitude_v" if voltage else "amplitude_ma") or 0.0
            drafts[side] = {
                "polarity": spec_to_polarity(str(applied["contacts"]), labels),
                "shares": spec_to_shares(str(applied["contacts"]), labels),
                "amplitude": float(amplitude),
                "pulse_width_us": float(applied["pulse_width_us"]),
                "frequency_hz": float(applied["frequency_hz"]),
            }
            continue
        drafts[side] = {
            "polarity": dict.fromkeys(labels, "off"),
            "shares": {},
            "amplitude": 0.0,
            "pulse_width_us": _clamp(
                DEFAULT_PULSE_WIDTH_US, device.pulse_width_min_us, device.pulse_width_max_us
            ),
            "frequency_hz": _clamp(
                DEFAULT_FREQUENCY_HZ, device.frequency_min_hz, device.frequency_max_hz
            ),
        }
    return drafts
