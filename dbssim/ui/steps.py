"""The device's step grid in number inputs (pure Python, no Streamlit).

A Streamlit number input shows its value with its ``format`` but sends what was typed:
typed 1.23 in a ``%.1f`` field shows 1.2 and sends 1.23. The UI therefore formats every
device value with as many decimals as the device's step has and, before sending, rounds
what was typed the way the field shows it. What the trainee sees is what the engine gets;
a value still off the grid (1.23 mA on a 0.05 mA device shows as 1.23) is refused by the
engine, whose message is shown beside the control.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dbssim.physics.devices import Device


def decimals(step: float) -> int:
    """Decimals needed to show every multiple of ``step`` (0.05 → 2, 0.1 → 1, 10 → 0)."""
    exponent = Decimal(repr(float(step))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def number_format(step: float) -> str:
    """The printf format of a field stepping by ``step`` (``%.1f`` for 0.1)."""
    return f"%.{decimals(step)}f"


def as_shown(value: float, step: float) -> float:
    """``value`` rounded as the field shows it (half away from zero, as JavaScript's toFixed)."""
    quantum = Decimal(1).scaleb(-decimals(step))
    return float(Decimal(float(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Grid:
    """One programmable quantity of a device: engine field name, range, step and unit."""

    field: str
    low: float
    high: float
    step: float
    unit: str

    @property
    def format(self) -> str:
        return number_format(self.step)

    def help(self, device: Device) -> str:
        return (
            f"{device.name}: {self.low:g} to {self.high:g} {self.unit} "
            f"in steps of {self.step:g} {self.unit}"
        )

    def problem(self, value: float) -> str | None:
        """Why ``value`` cannot be programmed (outside the range), or None."""
        if self.low <= value <= self.high:
            return None
        return (
            f"{self.field}: {value:g} {self.unit} is outside the range of the device "
            f"({self.low:g} to {self.high:g} {self.unit})"
        )


def amplitude_grid(device: Device, voltage: bool) -> Grid:
    if voltage:
        return Grid("amplitude_v", 0.0, device.amplitude_max_v, device.amplitude_step_v, "V")
    return Grid("amplitude_ma", 0.0, device.amplitude_max_ma, device.amplitude_step_ma, "mA")


def pulse_width_grid(device: Device) -> Grid:
    return Grid(
        "pulse_width_us",
        float(device.pulse_width_min_us),
        float(device.pulse_width_max_us),
        float(device.pulse_width_step_us),
        "µs",
    )


def frequency_grid(device: Device) -> Grid:
    return Grid(
        "frequency_hz",
        float(device.frequency_min_hz),
        float(device.frequency_max_hz),
        float(device.frequency_step_hz),
        "Hz",
    )


def device_grids(device: Device, voltage: bool) -> dict[str, Grid]:
    """The grids of a program draft's fields (``amplitude``, ``pulse_width_us``, ...)."""
    return {
        "amplitude": amplitude_grid(device, voltage),
        "pulse_width_us": pulse_width_grid(device),
        "frequency_hz": frequency_grid(device),
    }
