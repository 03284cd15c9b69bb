"""The few unit conversions dbssim needs, in one place.

Internally the model works in millimetres, milliamperes, microseconds and
siemens per metre. With these units the point-source formulas come out
without scale factors: a current of I mA in a medium of conductivity
sigma S/m gives a potential I / (4 pi sigma r) in volts at r mm and a field
I / (4 pi sigma r^2) in V/mm.
"""

from __future__ import annotations

MM2_PER_CM2 = 100.0
UC_PER_MA_US = 1e-3  # 1 mA for 1 µs carries 1 nC = 1e-3 µC


def volts_to_milliamperes(amplitude_v: float, impedance_ohm: float) -> float:
    """Current in mA that a voltage in V drives through an impedance in ohm (Ohm's law)."""
    return amplitude_v / impedance_ohm * 1e3


def charge_per_phase_uc(amplitude_ma: float, pulse_width_us: float) -> float:
    """Charge per phase in µC of a rectangular pulse."""
    return amplitude_ma * pulse_width_us * UC_PER_MA_US


def mm2_to_cm2(area_mm2: float) -> float:
    """Area conversion, mm² to cm²."""
    return area_mm2 / MM2_PER_CM2
