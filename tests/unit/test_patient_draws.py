"""Random patients: published input spreads, one stream per source, one seed -> one patient."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dbssim.patient.patient_draws import (
    ACUTE_PHASIC_PROBABILITY,
    ACUTE_PHASIC_TAU_S,
    PLACEMENT_ERROR_SD_MM,
    draw_patient_for_seed,
    draw_similar_patient,
    is_acute_responder,
)
from dbssim.patient.scenario_files import ScenarioError, parse_scenario
from dbssim.patient.scenario_library import load_scenario, scenarios_dir
from dbssim.session.engine import Session

DYSTONIA = "dystonia-generalized-gpi"
N_DRAWS = 600


@pytest.fixture(scope="module")
def dystonia_draws():
    scenario = load_scenario(DYSTONIA)
    return scenario, [draw_patient_for_seed(scenario, seed) for seed in range(N_DRAWS)]


def test_the_session_and_the_cli_draw_the_same_patient_for_a_seed():
    for seed in (0, 7, 123456789):
        drawn = draw_patient_for_seed(load_scenario(DYSTONIA), seed)
        in_app = Session.start(DYSTONIA, seed=seed, random_patient=True).patient.scenario
        assert drawn == in_app, f"seed {seed}: the session drew another patient"


def test_placement_error_matches_the_published_mean_absolute_errors(dystonia_draws):
    """Bot 2015 (Leksell frame): mean |error| 1.4, 1.2, 1.3 mm per axis; vector 2.5 mm."""
    scenario, draws = dystonia_draws
    tip = np.array(scenario.leads["left"].tip_mm)
    errors = np.array([d.leads["left"].tip_mm for d in draws]) - tip
    mean_abs = np.abs(errors).mean(axis=0)
    # Sampling error of a mean |x| over 600 draws is ~0.05 mm; 0.15 mm is three of them.
    assert np.allclose(mean_abs, [1.4, 1.2, 1.3], atol=0.15), mean_abs
    vector = np.linalg.norm(errors, axis=1).mean()
    assert abs(vector - 2.5) < 0.3, f"mean vector error {vector:.2f} mm, published 2.5"
    assert PLACEMENT_ERROR_SD_MM[0] > PLACEMENT_ERROR_SD_MM[1]


def test_a_minority_of_dystonia_patients_respond_acutely(dystonia_draws):
    _, draws = dystonia_draws
    acute = [is_acute_responder(d) for d in draws]
    share = float(np.mean(acute))
    sd = math.sqrt(ACUTE_PHASIC_PROBABILITY * (1 - ACUTE_PHASIC_PROBABILITY) / N_DRAWS)
    assert abs(share - ACUTE_PHASIC_PROBABILITY) < 4 * sd, share
    fast = [d.onset_tau_s["dystonia_phasic"] for d, a in zip(draws, acute, strict=True) if a]
    assert set(fast) == {ACUTE_PHASIC_TAU_S}
    tonic = np.array([d.onset_tau_s["dystonia_tonic"] for d in draws])
    assert tonic.min() > 1e5, "a tonic onset came within a day: tonic dystonia is delayed"


def test_no_acute_draw_outside_dystonia():
    scenario = load_scenario("pd-stn")
    assert not any(draw_patient_for_seed(scenario, s).onset_tau_s for s in range(50))


def test_benefit_spread_never_exceeds_the_whole_score(dystonia_draws):
    _, draws = dystonia_draws
    relief = np.array([d.relief_scale for d in draws])
    assert relief.max() * 0.62 <= 1.0 + 1e-9, "a component would relieve more than everything"
    assert relief.min() < 0.7 < 1.3 < relief.max(), "the benefit does not spread"


def test_each_noise_source_has_its_own_stream():
    """Changing one source's spread leaves every other draw untouched."""
    scenario = load_scenario(DYSTONIA)
    narrow = scenario.revalidated(variability={"threshold_cv": 0.0})
    a = draw_similar_patient(scenario, np.random.default_rng(5))
    b = draw_similar_patient(narrow, np.random.default_rng(5))
    assert a.leads == b.leads and a.relief_scale == b.relief_scale
    assert a.onset_tau_s == b.onset_tau_s
    assert set(b.threshold_scales.values()) == {1.0} != set(a.threshold_scales.values())


def test_a_case_may_override_the_published_placement_spread():
    scenario = load_scenario(DYSTONIA).revalidated(variability={"lead_offset_sd_mm": 0.0})
    drawn = draw_patient_for_seed(scenario, 3)
    assert drawn.leads["left"].tip_mm == scenario.leads["left"].tip_mm


def test_onset_constants_are_checked_by_name_and_range():
    text = (scenarios_dir() / f"{DYSTONIA}.yaml").read_text("utf-8")
    with pytest.raises(ScenarioError, match=r"onset_tau_s: unknown component 'phasic'"):
        parse_scenario(text + "onset_tau_s: {phasic: 60}\n")
    with pytest.raises(ScenarioError, match=r"onset_tau_s\.dystonia_tonic: -1 s is outside"):
        parse_scenario(text + "onset_tau_s: {dystonia_tonic: -1}\n")
