"""Clinical direction: the levodopa dose matters, and stimulation lets it come down.

After STN surgery the dose is usually lowered (a validation target, not an input): a lower
dose must give a worse medication-on exam, and stimulation must make up for it.
"""

from dbssim.patient.exam import true_exam
from dbssim.patient.response import HOUR_S
from dbssim.patient.time_course import PatientState, advance, set_medication, steady_state
from tests.helpers import patient, review_program

PD = "pd-stn"


def _on_medication_total(dose_fraction: float, stimulation: bool) -> float:
    p = patient(PD)
    program = review_program(p)
    settings = {s: getattr(program, s) for s in p.sides} if stimulation else {}
    state = steady_state(p, settings) if stimulation else PatientState()
    dose = dose_fraction * p.scenario.preop_ledd_mg_day
    state = advance(p, set_medication(state, True, dose), settings, 3 * HOUR_S)
    return true_exam(p, state).total


def test_half_the_levodopa_dose_worsens_the_medication_on_exam():
    full, half = _on_medication_total(1.0, False), _on_medication_total(0.5, False)
    base = sum(patient(PD).baseline.values())
    assert half > full + 2.0, (half, full)  # worse by more than a trivial amount
    assert half < base, "half the dose still helps"


def test_stimulation_makes_up_for_half_the_dose():
    full_without_stimulation = _on_medication_total(1.0, False)
    half_with_stimulation = _on_medication_total(0.5, True)
    assert half_with_stimulation < full_without_stimulation, (
        half_with_stimulation,
        full_without_stimulation,
    )
    # ...and stimulation still helps at half the dose.
    assert half_with_stimulation < _on_medication_total(0.5, False)
