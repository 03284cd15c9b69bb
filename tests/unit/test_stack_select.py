"""A stack restricted to some structures gives exactly the numbers of the whole stack."""

import numpy as np
import pytest

from dbssim.patient.scenario import load_scenario
from dbssim.patient.virtual_patient import VirtualPatient


@pytest.fixture(scope="module")
def stack():
    patient = VirtualPatient.from_scenario(load_scenario("pd-stn"))
    return patient.sides["left"].structures


def test_selected_structures_have_identical_curves(stack):
    amps = np.round(np.arange(1, 60) * 0.1, 2)
    full = stack.activation_curves(1, amps, 90.0)
    chosen = [stack.ids[k] for k in (0, 4, len(stack.ids) - 2, len(stack.ids) - 1)]
    part = stack.select(chosen).activation_curves(1, amps, 90.0)
    columns = [stack.ids.index(sid) for sid in chosen]
    assert np.array_equal(part, full[:, columns]), "selected curves differ from the full stack"


def test_select_keeps_order_and_handles_regions_or_tracts_only(stack):
    regions = stack.select([stack.ids[1], stack.ids[0]])
    assert regions.ids == (stack.ids[0], stack.ids[1])
    tracts_only = stack.select([stack.ids[-1]])
    curves = tracts_only.activation_curves(1, np.array([1.0, 3.0]), 60.0)
    assert curves.shape == (2, 1)
    full = stack.activation_curves(1, np.array([1.0, 3.0]), 60.0)
    assert np.array_equal(curves[:, 0], full[:, -1])
    assert stack.select([]).activation_curves(1, np.array([1.0]), 60.0).shape == (1, 0)
