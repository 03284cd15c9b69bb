"""The stacked evaluation gives the numbers of the plain matrix formula it speeds up."""

import numpy as np
import pytest

from dbssim.patient.scenario import load_scenario
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.activation import _logit, _sd, polarity_weighted


@pytest.fixture(scope="module")
def stack():
    patient = VirtualPatient.from_scenario(load_scenario("dystonia-cervical-gpi"))
    return next(iter(patient.sides.values())).structures


def _plain(stack, currents_ma, pulse_width_us):
    """The formula written as whole-matrix products (the implementation before issue 13)."""
    e = np.linalg.norm(stack.region_efield @ currents_ma, axis=1)
    e[stack.region_inside] = 0.0
    if np.any(currents_ma > 0):
        e = polarity_weighted(e, stack.region_potential @ currents_ma)
    th = stack.region_threshold * _sd(pulse_width_us, stack.region_chronaxie)
    regions = np.add.reduceat(_logit(e, th) * stack.region_weight, stack.region_starts)
    peak = np.maximum.reduceat(stack.tract_af @ currents_ma, stack.fibre_starts)
    fth = stack.fibre_threshold * _sd(pulse_width_us, stack.fibre_chronaxie)
    tracts = np.add.reduceat(_logit(peak, fth), stack.tract_starts) / stack.tract_sizes
    return np.concatenate([regions, tracts])


def test_monopolar_settings_give_exactly_the_plain_numbers(stack):
    n_contacts = stack.region_efield.shape[2]
    for contact in range(n_contacts):
        for amplitude_ma in (0.5, 2.5, 6.0):
            for pulse_width_us in (30.0, 60.0, 90.0):
                currents = np.zeros(n_contacts)
                currents[contact] = -amplitude_ma
                got = stack.activations(currents, pulse_width_us)
                assert np.array_equal(got, _plain(stack, currents, pulse_width_us))


def test_several_contacts_and_anodes_agree_to_rounding(stack):
    rng = np.random.default_rng(3)
    n_contacts = stack.region_efield.shape[2]
    seen_active = False
    for _ in range(200):
        currents = np.round(rng.uniform(-4, 4, n_contacts) * (rng.random(n_contacts) < 0.5), 1)
        pulse_width_us = float(rng.choice([40.0, 60.0, 120.0]))
        got = stack.activations(currents, pulse_width_us)
        want = _plain(stack, currents, pulse_width_us)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)
        seen_active |= bool(want.max() > 0.05)
    assert seen_active, "no sampled program activated anything: the test would be empty"


def test_no_current_activates_nothing(stack):
    got = stack.activations(np.zeros(stack.region_efield.shape[2]), 60.0)
    assert got.shape == (len(stack.ids),)
    assert not got.any()


def test_cached_thresholds_follow_the_pulse_width(stack):
    currents = np.zeros(stack.region_efield.shape[2])
    currents[1] = -3.0
    for pulse_width_us in (60.0, 120.0, 60.0, 120.0):
        got = stack.activations(currents, pulse_width_us)
        assert np.array_equal(got, _plain(stack, currents, pulse_width_us))
    assert not np.array_equal(stack.activations(currents, 60.0), stack.activations(currents, 120.0))
