"""Checks of a ``set`` action against the patient's hardware, and what a program delivers.

Kept apart from the session engine so the engine holds the session's state and its log
only; the Programming page's live charge density (``preview_setting``) and the safety
panel (``safety_status``) use the same checks a ``set`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from dbssim.errors import InputError
from dbssim.patient.evaluation import battery_fields, check_program, compute_side_delivery
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program, Setting
from dbssim.physics.safety import CHARGE_DENSITY_LIMIT_UC_CM2
from dbssim.session.actions import SessionError, SetAction, _Action, parse_action


def check_setting(patient: VirtualPatient, a: SetAction) -> Setting:
    """A ``set`` action checked against the patient's leads and device, as a setting.

    Parameters
    ----------
    patient : VirtualPatient
        The patient (its implanted sides and device).
    a : SetAction
        The parsed action.

    Returns
    -------
    Setting
        The setting the action asks for.

    Raises
    ------
    SessionError
        Naming the action key, the value and what the device allows.
    """
    if a.side not in patient.sides:
        raise SessionError(
            "side",
            f"'{a.side}': this patient has no {a.side} lead; implanted: {', '.join(patient.sides)}",
        )
    if (a.amplitude_ma is None) == (a.amplitude_v is None):
        raise SessionError(
            "amplitude_ma",
            "give exactly one of amplitude_ma or amplitude_v (got "
            f"amplitude_ma={a.amplitude_ma!r}, amplitude_v={a.amplitude_v!r})",
        )
    device = patient.device
    if a.amplitude_ma is not None and "current" not in device.modes:
        raise SessionError(
            "amplitude_ma", f"{device.name} is voltage-controlled; give amplitude_v in V"
        )
    setting = Setting(**a.model_dump(exclude={"action", "side"}))
    try:
        check_program(patient, Program.model_validate({a.side: setting.model_dump()}))
        for name in ("amplitude_ma", "amplitude_v", "pulse_width_us", "frequency_hz"):
            value = getattr(setting, name)
            if value is not None:
                device.check_on_grid(value, f"{a.side}.{name}")
    except InputError as exc:
        raise SessionError(action_key(exc.field, SetAction), exc.message) from None
    currents = patient.sides[a.side].currents_ma(setting)
    if np.abs(currents).max() > device.contact_max_ma + 1e-9:
        field = "amplitude_ma" if a.amplitude_ma is not None else "amplitude_v"
        raise SessionError(
            field,
            f"{np.abs(currents).max():.2f} mA on one contact exceeds what {device.name} "
            f"allows per contact ({device.contact_max_ma:g} mA)",
        )
    return setting


def safety_status(
    patient: VirtualPatient, programs: Mapping[str, Setting | None]
) -> dict[str, dict[str, Any]]:
    """Per implanted side: charge density of its program, the limit, TEED and battery.

    Values describe the programs as set (what switching on delivers);
    ``battery_months`` is the estimate for both sides together.
    """
    rows: dict[str, dict[str, Any]] = {}
    for side, program in programs.items():
        density, teed, over = 0.0, 0.0, False
        if program is not None:
            delivery = compute_side_delivery(patient.sides[side], program)
            density, teed = delivery.charge_density_uc_cm2, delivery.teed_uw
            over = delivery.over_limit
        rows[side] = {
            "charge_density_uc_cm2": round(density, 3),
            "limit": CHARGE_DENSITY_LIMIT_UC_CM2,  # µC/cm² per phase
            "over_limit": over,
            "teed_uw": round(teed, 2),
        }
    battery = battery_fields(patient, sum(r["teed_uw"] for r in rows.values()))
    for r in rows.values():
        r.update(battery)
    return rows


def preview_setting(
    patient: VirtualPatient, side: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """What a program would deliver if applied, without applying it (nothing changes).

    ``fields`` are a ``set`` action's fields without ``action`` and ``side``. Returns the
    charge density of the contact with the most charge, the limit and whether it is
    over; raises :class:`SessionError` exactly as ``set`` would refuse the program.
    """
    action = parse_action({"action": "set", "side": side, **fields})
    assert isinstance(action, SetAction)
    setting = check_setting(patient, action)
    density = compute_side_delivery(patient.sides[side], setting).charge_density_uc_cm2
    return {
        "charge_density_uc_cm2": round(density, 3),
        "limit": CHARGE_DENSITY_LIMIT_UC_CM2,
        "over_limit": density > CHARGE_DENSITY_LIMIT_UC_CM2,
    }


def action_key(path: str, model: type[_Action]) -> str:
    """The action key a core error's field path is about (``left.amplitude_ma`` → amplitude_ma)."""
    last = path.rsplit(".", 1)[-1]
    if last in ("left", "right"):
        return "side"
    return last if last in model.model_fields else "action"
