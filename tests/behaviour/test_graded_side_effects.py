"""Side effects grade with amplitude and show in the items they affect (issue 10 item 6)."""

from dbssim.patient.evaluation import evaluate_program
from dbssim.patient.exam import ask_patient, true_exam
from dbssim.patient.side_effects import severity_grade
from dbssim.patient.time_course import steady_state
from dbssim.physics.program import Program
from tests.helpers import patient

GPI = "dystonia-generalized-gpi"


def _program(amplitude_ma: float) -> Program:
    return Program.model_validate({"left": {"contacts": "1-", "amplitude_ma": amplitude_ma}})


def _face(amplitude_ma: float) -> dict:
    out = evaluate_program(patient(GPI), _program(amplitude_ma))
    return next(se for se in out["side_effects"] if se["name"] == "muscle_contraction_face")


def test_patient_words_and_grade_differ_at_4_and_6_ma():
    low, high = _face(4.0), _face(6.0)
    assert high["severity"] > low["severity"]
    assert high["grade"] != low["grade"]
    assert high["report"] != low["report"]


def test_examiner_sign_names_the_grade():
    p = patient(GPI)
    state = steady_state(p, {"left": _program(6.0).left})
    assert any("(moderate)" in sign for sign in true_exam(p, state).signs)
    assert any("strong" in words for words in ask_patient(p, state))


def test_dysarthria_raises_the_bfmdrs_speech_item():
    p = patient(GPI)
    below = evaluate_program(p, _program(4.0))
    above = evaluate_program(p, _program(6.0))
    assert "dysarthria" not in {se["name"] for se in below["side_effects"]}
    assert "dysarthria" in {se["name"] for se in above["side_effects"]}
    assert above["items"]["speech_swallowing"] > below["items"]["speech_swallowing"] + 1.0


def test_grades_follow_severity():
    words = [severity_grade(s) for s in (1.0, 2.0, 3.0, 4.0)]
    assert words == ["slight", "mild", "moderate", "severe"]
