"""Per-lead attribution of exam findings (issue 11, finding 1)."""

from __future__ import annotations

from dbssim.patient.exam import Finding
from dbssim.physics.program import Setting
from dbssim.session.attribution import leads_for, signs_for_lead
from dbssim.session.log import ExamEntry, LogStep, ReadOnlyMapping

SETTING = Setting(contacts="1-", amplitude_ma=2.0, pulse_width_us=60, frequency_hz=130)
SPEECH = Finding("Slurred speech.", "none")
LEFT_HAND = Finding("The left hand cramps.", "left")


def _step(current_ma: dict[str, float], stimulation_on: bool = True) -> LogStep:
    exam = ExamEntry(
        index=0, day=0, minute=1.0, given={"action": "examine"}, items={}, total=0.0,
        findings=(SPEECH, LEFT_HAND),
    )  # fmt: skip
    settings = dict.fromkeys(current_ma, SETTING)
    return LogStep(
        exam, ReadOnlyMapping(settings), ReadOnlyMapping(current_ma), stimulation_on, False
    )


def test_a_lateral_sign_belongs_to_the_contralateral_lead_only() -> None:
    step = _step({"left": 2.0, "right": 2.0})
    assert leads_for(LEFT_HAND, step) == ["right"]
    assert [s.sign for s in signs_for_lead(step, "left")] == ["Slurred speech."]


def test_a_sign_without_body_side_is_never_put_on_a_lead_at_0_ma() -> None:
    step = _step({"left": 0.0, "right": 3.0})
    assert leads_for(SPEECH, step) == ["right"]
    assert signs_for_lead(step, "left") == []
    right = signs_for_lead(step, "right")
    assert [(s.sign, s.shared) for s in right] == [
        ("Slurred speech.", False),
        ("The left hand cramps.", False),
    ]


def test_a_sign_without_body_side_is_shared_when_both_leads_deliver() -> None:
    step = _step({"left": 1.5, "right": 3.0})
    left = signs_for_lead(step, "left")
    assert [s.label() for s in left] == ["Slurred speech. (no body side: either lead)"]


def test_nothing_is_put_on_any_lead_while_stimulation_is_off() -> None:
    step = _step({"left": 2.0, "right": 2.0}, stimulation_on=False)
    assert leads_for(SPEECH, step) == [] and leads_for(LEFT_HAND, step) == []
