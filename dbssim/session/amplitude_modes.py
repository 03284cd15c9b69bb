"""Switching a side's amplitude between mA and V on a device that offers both.

A voltage-controlled program drives a current set by the contacts' impedances
(:func:`dbssim.physics.program.compute_currents_ma`); going from one mode to the other,
the program keeps the same cathodic current, so the trainee's setting does not jump
when they change the unit. The patient's side model does the physics; this only asks it.
"""

from __future__ import annotations

import numpy as np

from dbssim.errors import InputError
from dbssim.patient.virtual_patient import SideModel
from dbssim.physics.program import Setting

__all__ = ["equivalent_amplitude"]


def _cathodic_ma(model: SideModel, setting: Setting) -> float:
    currents = model.currents_ma(setting)
    return float(-currents[currents < 0].sum())


def equivalent_amplitude(
    model: SideModel, contacts: str, amplitude: float, to_voltage: bool
) -> float:
    """The amplitude in the other mode giving the same cathodic current on these contacts.

    Parameters
    ----------
    model : SideModel
        The side's model (its lead and contact impedances).
    contacts : str
        Contact specification without percentages (voltage mode cannot steer by share).
    amplitude : float
        The amplitude now: mA when ``to_voltage`` is True, else V.
    to_voltage : bool
        True: mA → V; False: V → mA.

    Returns
    -------
    float
        The amplitude in the new unit, unrounded (the caller rounds it to the device's
        step); the same number when the contacts cannot be read or no contact is active.
    """
    if not contacts or amplitude <= 0:
        return float(amplitude)
    try:
        if to_voltage:
            ma_per_v = _cathodic_ma(
                model, Setting(contacts=contacts, amplitude_v=1.0, pulse_width_us=60)
            )
            return float(amplitude / ma_per_v) if ma_per_v > 0 else float(amplitude)
        setting = Setting(contacts=contacts, amplitude_v=amplitude, pulse_width_us=60)
        return _cathodic_ma(model, setting)
    except (InputError, ValueError, np.linalg.LinAlgError):
        return float(amplitude)
