"""Relief targets: the shared-per-body-part computation gives the per-item rule's numbers."""

import numpy as np
import pytest

from dbssim.patient.response import (
    COMPONENTS,
    component_relief,
    dose_response,
    mean_drive,
    worsening_dose,
)
from dbssim.patient.scenario import load_scenario
from dbssim.patient.virtual_patient import SIDES, VirtualPatient
from dbssim.physics.program import Program


def _per_item(patient, activations, settings):
    """The rule of relief_targets written item by item, as it was before the sharing."""
    body_side = {"left": "right", "right": "left"}
    out = {}
    for item in patient.scale.items:
        hemis = [h for h in SIDES if item.side == "none" or body_side[h] == item.side]
        for name in patient.item_components(item):
            total = 0.0
            for h in hemis:
                if h not in activations:
                    continue
                subs = patient.atlas.substrates[item.body_part]
                drive = float(np.mean([activations[h][s] for s in subs]))
                total += float(
                    component_relief(
                        COMPONENTS[name],
                        patient.scenario.relief_scale,
                        settings[h].frequency_hz,
                        drive,
                    )
                )
            out[(item.id, name)] = total / len(hemis)
    return out


@pytest.mark.parametrize("scenario_id", ["pd-stn", "dystonia-generalized-gpi"])
def test_relief_targets_equal_the_per_item_rule(scenario_id):
    patient = VirtualPatient.from_scenario(load_scenario(scenario_id))
    sides = list(patient.sides)
    label = patient.sides[sides[0]].lead.labels[1]
    for amplitude_ma, frequency_hz in ((1.5, 130.0), (3.5, 60.0), (4.0, 20.0)):
        setting = {"contacts": f"{label}-", "amplitude_ma": amplitude_ma}
        setting["frequency_hz"] = frequency_hz
        for on in (sides, sides[:1]):  # both sides, then one side off
            program = Program.model_validate({s: setting for s in on})
            settings = {s: getattr(program, s) for s in on}
            activations = patient.compute_activations(settings)
            got = patient.relief_targets(activations, settings)
            assert got == _per_item(patient, activations, settings)
            assert any(v != 0 for v in got.values())


def test_mean_is_numpys_mean_bit_for_bit():
    rng = np.random.default_rng(0)
    for n in range(1, 13):
        for _ in range(500):
            values = list(rng.random(n) * rng.choice([1e-3, 1.0, 1e3]))
            assert mean_drive(values) == float(np.mean(values))


def test_one_value_dose_curves_equal_the_array_ones():
    values = np.concatenate(
        [[-0.1, 0.0, 1e-9, 0.3, 1.0, 1.2], np.random.default_rng(1).random(2000)]
    )
    for value in values.tolist():
        assert dose_response(value) == dose_response(np.array([value]))[0]
        assert worsening_dose(value) == worsening_dose(np.array([value]))[0]
