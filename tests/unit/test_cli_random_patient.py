"""``--random-patient SEED``: the app's "a random patient like this one" on the ground-truth CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dbssim.cli.main import main
from dbssim.patient.evaluation import evaluate_program
from dbssim.patient.review import compute_review
from dbssim.physics.program import Program
from dbssim.session.engine import Session

SCENARIO = "dystonia-generalized-gpi"
SEED = 11


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def the_apps_patient(seed: int):
    return Session.start(SCENARIO, seed=seed, random_patient=True).patient


def test_review_shows_the_apps_random_patient(capsys):
    code, rows, err = run(capsys, "review", SCENARIO, "--side", "left", "--random-patient", "11")
    assert code == 0, err
    expected = compute_review(the_apps_patient(SEED), "left")
    assert [{k: v for k, v in r.items() if k != "patient_seed"} for r in rows] == expected
    assert {r["patient_seed"] for r in rows} == {SEED}
    _, plain, _ = run(capsys, "review", SCENARIO, "--side", "left")
    assert "patient_seed" not in plain[0], "the bundled patient's answer gained a field"
    assert plain != [{k: v for k, v in r.items() if k != "patient_seed"} for r in rows]


def test_evaluate_shows_the_apps_random_patient(capsys):
    args = ["--side", "both", "--contacts", "1-", "--amplitude-ma", "3", "--pulse-width-us"]
    args += ["60", "--frequency-hz", "130", "--after-days", "365"]
    code, answer, err = run(capsys, "evaluate", SCENARIO, *args, "--random-patient", "11")
    assert code == 0, err
    setting = {"contacts": "1-", "amplitude_ma": 3, "pulse_width_us": 60, "frequency_hz": 130}
    program = Program.model_validate({"left": setting, "right": setting})
    expected = evaluate_program(the_apps_patient(SEED), program, 365 * 86400.0)
    assert answer == expected | {"patient_seed": SEED}


@pytest.mark.slow
def test_optimize_adds_only_the_patient_seed(capsys):
    code, answer, err = run(capsys, "optimize", "et-vim", "--random-patient", "4")
    assert code == 0, err
    assert set(answer) == {"program", "outcome", "patient_seed"} and answer["patient_seed"] == 4
    code, plain, _ = run(capsys, "optimize", "et-vim")
    assert set(plain) == {"program", "outcome"}


def test_a_negative_seed_is_refused_naming_the_option(capsys):
    code, _, err = run(capsys, "review", SCENARIO, "--random-patient", "-1")
    assert code == 2 and "--random-patient" in err and "-1" in err, err
