"""The expert optimiser: better than naive programs, safe, within the device; `dbssim optimize`."""

from __future__ import annotations

import json

import pytest

from dbssim.cli.main import main
from dbssim.patient.evaluation import check_program, evaluate_program
from dbssim.patient.expert import (
    HORIZON_S,
    SEARCH_FREQUENCIES_HZ,
    SEARCH_PULSE_WIDTHS_US,
    find_expert_program,
    list_candidates,
)
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program
from dbssim.physics.safety import CHARGE_DENSITY_LIMIT_UC_CM2
from tests.helpers import patient

SCENARIOS = list_scenario_ids()


def _naive(p, contact_index: int, amplitude_ma: float) -> Program:
    return Program.model_validate(
        {
            side: {
                "contacts": f"{model.lead.labels[contact_index]}-",
                "amplitude_ma": amplitude_ma,
                "pulse_width_us": 60,
                "frequency_hz": 130,
            }
            for side, model in p.sides.items()
        }
    )


def _has_side_effect(outcome) -> bool:
    return any(se["severity"] >= 1 for se in outcome["side_effects"])


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_expert_is_safe_and_within_the_device(scenario_id):
    p = patient(scenario_id)
    program = find_expert_program(p)
    check_program(p, program)  # raises if outside the device or naming an absent lead
    outcome = evaluate_program(p, program, HORIZON_S)
    assert not _has_side_effect(outcome), f"expert leaves side effects: {outcome['side_effects']}"
    assert outcome["charge_density_uc_cm2"] <= CHARGE_DENSITY_LIMIT_UC_CM2
    assert outcome["improvement_pct"] > 10, f"expert improves only {outcome['improvement_pct']} %"
    for side, setting in program.model_dump(exclude_none=True).items():
        assert side in p.sides
        assert setting["pulse_width_us"] in SEARCH_PULSE_WIDTHS_US
        assert setting["frequency_hz"] in SEARCH_FREQUENCIES_HZ
        if p.scenario.amplitude_mode == "voltage":
            assert "amplitude_v" in setting and "amplitude_ma" not in setting
            steps = setting["amplitude_v"] / p.device.amplitude_step_v
            assert steps == pytest.approx(round(steps), abs=1e-6), "volts off the device step"
        else:
            assert "amplitude_ma" in setting and "amplitude_v" not in setting


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_expert_beats_naive_programs(scenario_id):
    p = patient(scenario_id)
    expert = evaluate_program(p, find_expert_program(p), HORIZON_S)["improvement_pct"]
    low = evaluate_program(p, _naive(p, 0, 1.0), HORIZON_S)
    assert _has_side_effect(low) or low["improvement_pct"] < expert, (
        f"first contact at 1 mA: {low['improvement_pct']} % vs expert {expert} %"
    )
    try:
        high = evaluate_program(p, _naive(p, 0, 5.0), HORIZON_S)
    except ValueError:
        return  # refused by the device: fine
    assert _has_side_effect(high) or high["improvement_pct"] < expert, (
        f"deepest contact at 5 mA: {high['improvement_pct']} % vs expert {expert} %"
    )


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_optimize_json_contract(scenario_id, capsys):
    assert main(["optimize", scenario_id, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"program", "outcome"}
    p = patient(scenario_id)
    program = Program.model_validate(out["program"])
    assert set(out["program"]) <= set(p.sides)
    for setting in out["program"].values():
        assert set(setting) in (
            {"contacts", "amplitude_ma", "pulse_width_us", "frequency_hz"},
            {"contacts", "amplitude_v", "pulse_width_us", "frequency_hz"},
        )
    assert out["outcome"]["after_days"] == 182
    assert out["outcome"] == json.loads(json.dumps(evaluate_program(p, program, HORIZON_S)))


def test_optimize_unknown_scenario_is_one_line_error(capsys):
    assert main(["optimize", "no-such-case", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: scenario:") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("lead", "device", "level"),
    [
        ("bsci-vercise-directed", "bsci-vercise-genus", "2-,3-,4-"),
        ("medtronic-b33005", "medtronic-percept-pc", "1-"),
        ("abbott-6172", "abbott-infinity", "2-"),
    ],
)
def test_directional_leads_search_segments_and_whole_levels(lead, device, level):
    base = load_scenario("dystonia-generalized-gpi")
    leads = {
        s: base.leads[s].model_dump() | {"model": lead, "impedances_ohm": [1500] * 8}
        for s in base.leads
    }
    p = VirtualPatient.from_scenario(base.revalidated(leads=leads, device=device))
    specs = [c.contacts for c in list_candidates(p.sides["left"], "current")]
    assert len(specs) == 8 + 2, f"8 contacts and 2 segmented levels expected, got {specs}"
    assert level in specs
    outcome = evaluate_program(p, find_expert_program(p), HORIZON_S)
    assert not _has_side_effect(outcome)
    assert outcome["charge_density_uc_cm2"] <= CHARGE_DENSITY_LIMIT_UC_CM2
    assert outcome["improvement_pct"] > 10
