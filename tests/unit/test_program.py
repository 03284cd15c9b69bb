"""Contact specifications and the currents they drive."""

import numpy as np
import pytest

from dbssim.physics.leads import get_lead
from dbssim.physics.program import Program, Setting, compute_currents_ma, parse_contacts

L3389 = get_lead("medtronic-3389")
LDIR = get_lead("medtronic-b33005")


def test_monopolar_current_mode():
    c = compute_currents_ma(parse_contacts("1-", L3389), 4, amplitude_ma=2.5)
    np.testing.assert_allclose(c, [0, -2.5, 0, 0])


def test_bipolar_current_balances():
    c = compute_currents_ma(parse_contacts("1-,2+", L3389), 4, amplitude_ma=2.0)
    np.testing.assert_allclose(c, [0, -2.0, 2.0, 0])
    assert c.sum() == pytest.approx(0.0)


def test_whole_level_splits_evenly_over_segments():
    c = compute_currents_ma(parse_contacts("2-", LDIR), 8, amplitude_ma=3.0)
    np.testing.assert_allclose(c[4:7], [-1.0, -1.0, -1.0])
    assert c.sum() == pytest.approx(-3.0)


def test_steering_percentages():
    c = compute_currents_ma(parse_contacts("2a-:70,2b-:30", LDIR), 8, amplitude_ma=2.0)
    np.testing.assert_allclose(c[4:6], [-1.4, -0.6])


def test_voltage_mode_uses_impedance():
    z = np.full(4, 1000.0)
    c = compute_currents_ma(parse_contacts("1-", L3389), 4, amplitude_v=3.0, impedances_ohm=z)
    np.testing.assert_allclose(c, [0, -3.0, 0, 0])
    c2 = compute_currents_ma(parse_contacts("1-,2+", L3389), 4, amplitude_v=3.0, impedances_ohm=z)
    np.testing.assert_allclose(c2, [0, -1.5, 1.5, 0])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("7-", "'7' is not a contact"),
        ("1", "cannot read '1'"),
        ("1-,1-", "appears twice"),
        ("2a-:70,2b-:20", "add up to 90"),
        ("", "empty"),
    ],
)
def test_bad_specs_are_refused_with_clear_message(spec, message):
    lead = LDIR if "a" in spec else L3389
    with pytest.raises(ValueError, match=message):
        parse_contacts(spec, lead)


def test_steering_refused_in_voltage_mode():
    terms = parse_contacts("2a-:70,2b-:30", LDIR)
    with pytest.raises(ValueError, match="current mode"):
        compute_currents_ma(terms, 8, amplitude_v=1.0, impedances_ohm=np.full(8, 1000.0))


def test_setting_refuses_unknown_key_and_two_amplitudes():
    with pytest.raises(ValueError, match="frequency_hzz"):
        Setting.model_validate({"contacts": "1-", "amplitude_ma": 1, "frequency_hzz": 60})
    with pytest.raises(ValueError, match="exactly one"):
        Setting(contacts="1-", amplitude_ma=1.0, amplitude_v=1.0)
    prog = Program.model_validate({"left": {"contacts": "1-", "amplitude_ma": 2.5}})
    assert prog.right is None
    assert prog.left is not None and prog.left.frequency_hz == 130
