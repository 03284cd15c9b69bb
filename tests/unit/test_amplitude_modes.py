"""mA ↔ V on a device with both modes keeps the cathodic current (issue 11, voltage mode)."""

from __future__ import annotations

import pytest

from dbssim.patient.virtual_patient import SideModel
from dbssim.physics.program import Setting
from dbssim.session.amplitude_modes import equivalent_amplitude
from dbssim.session.engine import Session


@pytest.fixture(scope="module")
def left() -> SideModel:
    return Session.start("pd-stn", 0).patient.sides["left"]


def _cathodic_ma(model: SideModel, setting: Setting) -> float:
    currents = model.currents_ma(setting)
    return float(-currents[currents < 0].sum())


@pytest.mark.parametrize("contacts", ["0-", "1a-", "2a-,2b-", "1a-,3+"])
def test_the_same_current_in_either_unit(left: SideModel, contacts: str) -> None:
    volts = equivalent_amplitude(left, contacts, 2.0, to_voltage=True)
    assert _cathodic_ma(left, Setting(contacts=contacts, amplitude_v=volts)) == pytest.approx(2.0)
    assert equivalent_amplitude(left, contacts, volts, to_voltage=False) == pytest.approx(2.0)


def test_one_contact_follows_ohms_law(left: SideModel) -> None:
    impedance_ohm = float(left.impedances_ohm[0])  # contact 0, against the case
    assert equivalent_amplitude(left, "0-", 2.0, True) == pytest.approx(2.0 * impedance_ohm / 1000)


@pytest.mark.parametrize(("contacts", "amplitude"), [("", 2.0), ("0-", 0.0), ("9-", 2.0)])
def test_nothing_to_convert_keeps_the_number(
    left: SideModel, contacts: str, amplitude: float
) -> None:
    assert equivalent_amplitude(left, contacts, amplitude, True) == amplitude
