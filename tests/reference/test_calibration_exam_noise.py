"""Calibration residual: exam noise against the SEM derived from each scale's reliability.

Each scale's rater noise is SET from a published ICC and a published between-patient SD
(dbssim/data/scales/*.yaml, ``reliability``; ``Scale.sem_total`` = SD × √(1 − ICC)). This
is therefore a calibration, not evidence: it checks that the simulated exam still
delivers the noise it was built to deliver after the rounding and clipping of
``exam.examine``.

Tolerance ±15 % of the SEM of the items that carry noise (a rater finds nothing in a
region with true score 0, so those items are left out of the expectation):
- rounding to the scores a rater can give adds up to step²/12 per item where the noise
  is comparable to the step (MDS-UPDRS-III: σ 0.63 on steps of 1 point gives
  √(0.63² + 1/12) / 0.63 = 1.10, +10 %);
- clipping at 0 removes part of the noise of items whose true score is within about one
  σ of 0 (BFMDRS mouth 2 points with σ 1.9), which lowers the SD;
- sampling: the SD of 2000 exams is known to about 1/√(2·2000) = 1.6 %.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dbssim.patient.exam import examine
from dbssim.patient.time_course import PatientState
from tests.helpers import patient

N_EXAMS = 2000
TOLERANCE = 0.15

SCENARIOS = {
    "bfmdrs": "dystonia-generalized-gpi",
    "twstrs": "dystonia-cervical-gpi",
    "updrs3": "pd-stn",
    "tetras": "et-vim",
}


def _noisy_items_sem(p) -> float:
    scale = p.scale
    noisy = [i.id for i in scale.items if p.baseline.get(i.id, 0.0) > 0]
    return math.sqrt(sum(scale.item_noise_sd(i) ** 2 for i in noisy))


@pytest.mark.parametrize("scale_id", list(SCENARIOS))
def test_calibration_residual_exam_noise_matches_derived_sem(scale_id):
    p = patient(SCENARIOS[scale_id])
    assert p.scale.id == scale_id
    rng = np.random.default_rng(20260101)
    totals = np.array([examine(p, PatientState(), rng).total for _ in range(N_EXAMS)])
    simulated_sd = float(totals.std(ddof=1))
    expected = _noisy_items_sem(p)
    ratio = simulated_sd / expected
    assert abs(ratio - 1.0) <= TOLERANCE, (
        f"{scale_id}: simulated SD of the untreated total {simulated_sd:.2f} points over "
        f"{N_EXAMS} exams, derived SEM of the noisy items {expected:.2f} "
        f"(whole scale {p.scale.sem_total:.2f}); ratio {ratio:.3f} outside 1 ± {TOLERANCE}"
    )
    # Noise must not bias the exam: the mean stays at the noise-free total.
    baseline = sum(p.baseline.values())
    assert abs(float(totals.mean()) - baseline) <= 0.1 * expected + 3 * simulated_sd / math.sqrt(
        N_EXAMS
    ), f"{scale_id}: mean {totals.mean():.2f} against baseline {baseline:.2f}"


def test_calibration_residual_sem_is_the_published_arithmetic():
    # The derivation itself, against the arithmetic written in the YAML comments.
    from dbssim.patient.scales import load_scale

    expected = {"bfmdrs": 10.0, "twstrs": 1.45, "updrs3": 3.6, "tetras": 1.6}
    for scale_id, sem in expected.items():
        scale = load_scale(scale_id)
        assert scale.sem_total == pytest.approx(sem, abs=0.01), scale_id
        per_item = [scale.item_noise_sd(i.id) for i in scale.items]
        assert math.sqrt(sum(s**2 for s in per_item)) == pytest.approx(scale.sem_total)
