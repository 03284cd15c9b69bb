"""Random dystonia patients: some respond poorly, a minority respond within a review.

The seeds are simply 0 … 99 (not chosen to pass). The inputs are published spreads
(dbssim.patient.patient_draws); the outcomes asserted here are what they produce.
"""

from __future__ import annotations

import pytest

from dbssim.patient.cohort import simulate_patient, summarise
from dbssim.patient.expert import find_expert_program
from dbssim.patient.patient_draws import draw_patient_for_seed, is_acute_responder
from dbssim.patient.review import compute_review
from dbssim.patient.scenario_library import load_scenario
from dbssim.patient.virtual_patient import VirtualPatient

DYSTONIA = "dystonia-generalized-gpi"
SEEDS = range(100)


@pytest.mark.slow
def test_some_random_dystonia_patients_respond_poorly_and_some_acutely():
    """The typical patient's expert program, given to 100 random patients like her."""
    scenario = load_scenario(DYSTONIA)
    program = find_expert_program(VirtualPatient.from_scenario(scenario))
    cohort = [simulate_patient(scenario, seed, program) for seed in SEEDS]
    summary = summarise(cohort)
    assert summary["poor_fraction"] > 0, f"no patient below 25 % at 12 months: {summary}"
    assert 0 < summary["acute_fraction"] < 0.5, f"acute responders not a minority: {summary}"
    assert summary["median_pct"] > 25, f"the typical random patient does not respond: {summary}"
    for p in cohort:  # only the drawn acute phasic responders improve within minutes
        assert p.acute <= p.acute_phasic, f"seed {p.seed} improved within minutes"


def test_the_true_review_separates_what_a_review_sees_from_the_long_term():
    scenario = load_scenario(DYSTONIA)
    draws = {seed: draw_patient_for_seed(scenario, seed) for seed in range(20)}
    acute_seed = next(s for s, d in draws.items() if is_acute_responder(d))
    delayed_seed = next(s for s, d in draws.items() if not is_acute_responder(d))
    for seed, acute in ((acute_seed, True), (delayed_seed, False)):
        rows = compute_review(VirtualPatient.from_scenario(draws[seed]), "left")
        long_term = [r["efficacy_threshold_ma"] for r in rows]
        seen = [r["acute_efficacy_threshold_ma"] for r in rows]
        assert any(t is not None for t in long_term), f"seed {seed}: no long-term efficacy"
        if acute:
            assert any(t is not None for t in seen), f"seed {seed}: acute benefit not shown"
        else:
            assert seen == [None] * len(rows), f"seed {seed}: delayed benefit shown as acute"
