"""Implantable pulse generator (IPG) profiles: allowed ranges and steps.

Sources are cited at each device. Where a manufacturer's range could not be
confirmed the value is marked as a teaching value.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from dbssim.errors import InputError
from dbssim.validation import StrictModel, lookup

AmplitudeMode = Literal["current", "voltage"]


# Battery drain follows delivered energy. The slope is the one published drain-per-energy
# estimate: the least-squares fit 1/months = 0.0226 + 9.1e-5 x P(µW) to the per-IPG table of
# an MDS 2016 abstract (Kinetra -> Activa PC replacements; mdsabstracts.org/?p=111;
# weak: n = 15, r = -0.52), i.e. 1 / 9.1e-5 = 10 989 µW x months of delivered energy.
# That fit's intercept (248 µW) describes replacement IPGs with short lives, so the
# housekeeping power is instead set once so that the STN-PD cohort mean of 51.5 months
# (J Neural Transm 2016, doi 10.1007/s00702-016-1562-1, 464 dual-channel IPGs) is met at an
# assumed typical bilateral PD setting of 2.5 V / 60 µs / 130 Hz into 1 kohm (97.5 µW; the
# setting is a teaching value): 10 989 / 51.5 - 97.5 = 116 µW.
PRIMARY_BUDGET_UW_MONTHS = 1.0 / 9.1e-5
_PD_TYPICAL_TEED_UW, _PD_MEAN_MONTHS = 97.5, 51.5
HOUSEKEEPING_UW = PRIMARY_BUDGET_UW_MONTHS / _PD_MEAN_MONTHS - _PD_TYPICAL_TEED_UW
# Rechargeable Medtronic Activa RC: replaced after 15 years (Medtronic UK patient information,
# "Replacing your device"). Energy of one full charge: teaching value (no device figure found),
# giving about 9 days at the PD setting above and 4–5 days at high dystonia settings; a
# dystonia/Tourette cohort recharged every 4.3 days on average (Front Neurol 2021,
# doi 10.3389/fneur.2021.662383), a habit rather than a limit, so it is not used to set it.
ACTIVA_RC_SERVICE_LIFE_MONTHS = 15 * 12
ACTIVA_RC_RECHARGE_BUDGET_UW_DAYS = 2000.0


class Device(StrictModel):
    """What one IPG can deliver."""

    id: str
    name: str
    modes: tuple[AmplitudeMode, ...] = Field(description="Amplitude control modes offered")
    amplitude_max_ma: float = Field(gt=0, description="Highest current per program, mA")
    amplitude_step_ma: float = Field(gt=0, description="Current step, mA")
    amplitude_max_v: float = Field(ge=0, description="Highest voltage (0 = no voltage mode), V")
    amplitude_step_v: float = Field(gt=0, description="Voltage step, V")
    contact_max_ma: float = Field(gt=0, description="Highest current on one contact, mA")
    pulse_width_min_us: float = Field(gt=0)
    pulse_width_max_us: float = Field(gt=0)
    pulse_width_step_us: float = Field(gt=0)
    frequency_min_hz: float = Field(gt=0)
    frequency_max_hz: float = Field(gt=0)
    frequency_step_hz: float = Field(gt=0)
    ramp_s: float = Field(ge=0, description="Soft-start ramp when amplitude changes, s")
    rechargeable: bool = False
    battery_budget_uw_months: float = Field(
        default=PRIMARY_BUDGET_UW_MONTHS,
        gt=0,
        description="Primary cell: delivered-energy budget, µW x months (life = budget / drain)",
    )
    housekeeping_uw: float = Field(
        default=HOUSEKEEPING_UW, ge=0, description="Drain with stimulation off, µW equivalent"
    )
    service_life_months: float | None = Field(
        default=None, gt=0, description="Rechargeable: rated service life, months"
    )
    recharge_budget_uw_days: float | None = Field(
        default=None, gt=0, description="Rechargeable: energy of one full charge, µW x days"
    )

    @model_validator(mode="after")
    def _check_battery(self) -> Device:
        if self.rechargeable and (
            self.service_life_months is None or self.recharge_budget_uw_days is None
        ):
            raise ValueError(
                f"device {self.id}: a rechargeable device needs service_life_months and "
                "recharge_budget_uw_days"
            )
        return self

    def check_amplitude_ma(self, amplitude_ma: float, field: str = "amplitude_ma") -> None:
        """Reject a current this device cannot deliver.

        Parameters
        ----------
        amplitude_ma : float
            Total programmed current, mA; allowed 0 to ``amplitude_max_ma``.
        field : str
            Field path named in the error, so the UI can show it beside the right widget.

        Raises
        ------
        dbssim.errors.InputError
            If the current is negative or above the device maximum.
        """
        if not 0 <= amplitude_ma <= self.amplitude_max_ma:
            raise InputError(
                field,
                f"{amplitude_ma:g} mA is outside what {self.name} allows "
                f"(0 to {self.amplitude_max_ma:g} mA)",
            )

    def check_amplitude_v(self, amplitude_v: float, field: str = "amplitude_v") -> None:
        """Reject a voltage this device cannot deliver.

        Parameters
        ----------
        amplitude_v : float
            Programmed voltage, V; allowed 0 to ``amplitude_max_v``.
        field : str
            Field path named in the error.

        Raises
        ------
        dbssim.errors.InputError
            If the device has no voltage mode, or the voltage is out of range.
        """
        if "voltage" not in self.modes:
            raise InputError(field, f"{self.name} is current-controlled; give mA instead")
        if not 0 <= amplitude_v <= self.amplitude_max_v:
            raise InputError(
                field,
                f"{amplitude_v:g} V is outside what {self.name} allows "
                f"(0 to {self.amplitude_max_v:g} V)",
            )

    def check_on_grid(self, value: float, field: str) -> None:
        """Reject a value that is not a step the clinician programmer offers.

        A real programmer moves in fixed steps (e.g. 0.1 mA, 10 µs, 5 Hz), so a setting
        between two steps cannot be entered at the bedside either.

        Parameters
        ----------
        value : float
            The programmed value, in the unit the field name ends with.
        field : str
            Field path whose last part is the quantity: ``amplitude_ma``, ``amplitude_v``,
            ``pulse_width_us`` or ``frequency_hz`` (e.g. ``"left.pulse_width_us"``).

        Raises
        ------
        dbssim.errors.InputError
            If the value is off the grid; the message gives the two nearest settings.
        """
        grids = {
            "amplitude_ma": (0.0, self.amplitude_step_ma, "mA"),
            "amplitude_v": (0.0, self.amplitude_step_v, "V"),
            "pulse_width_us": (self.pulse_width_min_us, self.pulse_width_step_us, "µs"),
            "frequency_hz": (self.frequency_min_hz, self.frequency_step_hz, "Hz"),
        }
        start, step, unit = grids[field.rsplit(".", 1)[-1]]
        steps = (value - start) / step
        if abs(steps - round(steps)) > 1e-6 and abs(value - round(value / step) * step) > 1e-6:
            below = start + math.floor(steps) * step
            raise InputError(
                field,
                f"{value:g} {unit} is not a setting of {self.name}, which steps by "
                f"{step:g} {unit}; nearest: {below:g} or {below + step:g} {unit}",
            )

    def check_pulse_width_us(self, pulse_width_us: float, field: str = "pulse_width_us") -> None:
        """Reject a pulse width outside the device range.

        Parameters
        ----------
        pulse_width_us : float
            Pulse width, µs; allowed ``pulse_width_min_us`` to ``pulse_width_max_us``.
        field : str
            Field path named in the error.

        Raises
        ------
        dbssim.errors.InputError
            If the pulse width is out of range.
        """
        if not self.pulse_width_min_us <= pulse_width_us <= self.pulse_width_max_us:
            raise InputError(
                field,
                f"{pulse_width_us:g} µs is outside what {self.name} allows "
                f"({self.pulse_width_min_us:g} to {self.pulse_width_max_us:g} µs)",
            )

    def check_frequency_hz(self, frequency_hz: float, field: str = "frequency_hz") -> None:
        """Reject a frequency outside the device range.

        Parameters
        ----------
        frequency_hz : float
            Pulse rate, Hz; allowed ``frequency_min_hz`` to ``frequency_max_hz``.
        field : str
            Field path named in the error.

        Raises
        ------
        dbssim.errors.InputError
            If the frequency is out of range.
        """
        if not self.frequency_min_hz <= frequency_hz <= self.frequency_max_hz:
            raise InputError(
                field,
                f"{frequency_hz:g} Hz is outside what {self.name} allows "
                f"({self.frequency_min_hz:g} to {self.frequency_max_hz:g} Hz)",
            )


@cache
def device_registry() -> dict[str, Device]:
    """Build every IPG profile the simulator knows, keyed by id.

    Built once and cached, so the same dict is returned each call: treat it as
    read-only.

    Returns
    -------
    dict of str to Device
        Device id (e.g. ``"medtronic-percept-pc"``) to its ranges, steps and battery.

    Notes
    -----
    Ranges are manufacturers' figures where a source confirmed them (Vercise Genus:
    programming manual 91053785-17) and teaching values otherwise; each entry's comment
    says which.
    """
    devices = [
        # Medtronic Kinetra: 0–10.5 V in 0.1 V steps, 60–450 µs, 2–250 Hz (textbook
        # excerpt). Voltage-controlled only; the mA ceiling is the current the
        # top voltage drives into 500 ohm, a teaching value.
        Device(id="medtronic-kinetra", name="Medtronic Kinetra", modes=("voltage",),
               amplitude_max_ma=21.0, amplitude_step_ma=0.1, amplitude_max_v=10.5,
               amplitude_step_v=0.1, contact_max_ma=21.0, pulse_width_min_us=60,
               pulse_width_max_us=450, pulse_width_step_us=30, frequency_min_hz=2,
               frequency_max_hz=250, frequency_step_hz=5,
               ramp_s=0.0),  # teaching value: no soft start modelled on this older IPG
        # Medtronic Percept PC: 0–10.5 V or 0–25.5 mA, 20/60–450 µs, 2–250 Hz: not
        # confirmed in a source; teaching values.
        Device(id="medtronic-percept-pc", name="Medtronic Percept PC",
               modes=("current", "voltage"), amplitude_max_ma=25.5, amplitude_step_ma=0.1,
               amplitude_max_v=10.5, amplitude_step_v=0.1, contact_max_ma=25.5,
               pulse_width_min_us=20, pulse_width_max_us=450, pulse_width_step_us=10,
               frequency_min_hz=2, frequency_max_hz=250, frequency_step_hz=5,
               ramp_s=4.0),  # teaching value
        # Boston Scientific Vercise Genus: 0.1–20 mA total, ≤12.7 mA per contact,
        # 10–450 µs, 2–255 Hz, ramp 1–10 s (Vercise programming manual 91053785-17, p. 20).
        Device(id="bsci-vercise-genus", name="Boston Scientific Vercise Genus",
               modes=("current",), amplitude_max_ma=20.0, amplitude_step_ma=0.1,
               amplitude_max_v=0.0, amplitude_step_v=0.1, contact_max_ma=12.7,
               pulse_width_min_us=10, pulse_width_max_us=450, pulse_width_step_us=10,
               frequency_min_hz=2, frequency_max_hz=255, frequency_step_hz=5, ramp_s=2.0),
        # Abbott Infinity: 0–12.75 mA, 20–500 µs, 2–240 Hz: not confirmed in a
        # source; teaching values.
        Device(id="abbott-infinity", name="Abbott Infinity", modes=("current",),
               amplitude_max_ma=12.75, amplitude_step_ma=0.05, amplitude_max_v=0.0,
               amplitude_step_v=0.1, contact_max_ma=12.75, pulse_width_min_us=20,
               pulse_width_max_us=500, pulse_width_step_us=10, frequency_min_hz=2,
               frequency_max_hz=240, frequency_step_hz=5, ramp_s=2.0),
        # Medtronic Activa RC (rechargeable): ranges as the Percept PC, teaching values
        # (not confirmed in a source); battery as stated at ACTIVA_RC_SERVICE_LIFE_MONTHS.
        Device(id="medtronic-activa-rc", name="Medtronic Activa RC (rechargeable)",
               modes=("current", "voltage"), amplitude_max_ma=25.5, amplitude_step_ma=0.1,
               amplitude_max_v=10.5, amplitude_step_v=0.1, contact_max_ma=25.5,
               pulse_width_min_us=60, pulse_width_max_us=450, pulse_width_step_us=10,
               frequency_min_hz=2, frequency_max_hz=250, frequency_step_hz=5,
               ramp_s=4.0, rechargeable=True,
               service_life_months=ACTIVA_RC_SERVICE_LIFE_MONTHS,
               recharge_budget_uw_days=ACTIVA_RC_RECHARGE_BUDGET_UW_DAYS),
    ]  # fmt: skip
    # Battery: the Medtronic primary-cell budget and housekeeping power (above) apply to the
    # Kinetra and Percept PC; for the Vercise Genus and Infinity primary cells no published
    # drain figure was found, so they use the same values as teaching values.
    return {d.id: d for d in devices}


def get_device(device_id: str) -> Device:
    """Look up a device profile by id.

    Parameters
    ----------
    device_id : str
        One of the ids in `device_registry`, e.g. ``"medtronic-percept-pc"``.

    Returns
    -------
    Device
        The IPG's ranges, steps and battery figures.

    Raises
    ------
    dbssim.errors.InputError
        For an unknown id; the message lists the known ids.
    """
    return lookup(device_registry(), device_id, "device", "devices")
