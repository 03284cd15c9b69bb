"""Issue 12 in the report: no identifier that grants control, readable side-effect names,
the vignette, an anatomy picture and the educator's comment; no safety credit for a
session that never stimulated."""

from __future__ import annotations

import re
import uuid

from dbssim.report.html import render_report, report_reference
from dbssim.session.engine import Session
from dbssim.session.scoring import debrief

CASE = "dystonia-generalized-gpi"
SET_LEFT = {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 6.0,
            "pulse_width_us": 60, "frequency_hz": 130}  # fmt: skip


def finished(*actions: dict) -> Session:
    s = Session.start(CASE, seed=1)
    for action in (*actions, {"action": "finish"}):
        s.apply(action)
    return s


def test_report_prints_no_session_id_and_a_reference_that_is_not_it() -> None:
    session_id = str(uuid.uuid4())
    html = render_report(finished(), trainee="Fellow A", session_id=session_id)
    assert session_id not in html and session_id.replace("-", "") not in html
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", html)
    ref = report_reference(session_id)
    assert ref in html and ref[2:].lower() not in session_id


def test_report_has_vignette_anatomy_and_comment_escaped() -> None:
    session = finished(SET_LEFT, {"action": "stim_on"})
    html = render_report(session, trainee="A", comment="Well bracketed.\n<b>Next</b>: capsule")
    scenario = session.scenario
    assert f"{scenario.age_years}-year-old {scenario.sex}" in html
    assert scenario.case.history.split("\n")[0][:40].replace("'", "&#x27;") in html
    assert html.count("<svg") >= 3, "scores, current steps and at least one anatomy view"
    assert "coronal view" in html and "sagittal view" in html
    assert "Well bracketed." in html and "&lt;b&gt;Next&lt;/b&gt;" in html


def test_report_uses_readable_side_effect_names() -> None:
    session = finished(SET_LEFT, {"action": "stim_on"})  # 6 mA on contact 1: capsular effects
    names = session.patient.atlas.effect_names()
    assert names["muscle_contraction_face"].startswith("tonic contraction")
    html = render_report(session, trainee="A")
    ids = [i for i in names if re.search(rf"\b{i}\b", html)]
    assert not ids, f"internal side-effect ids printed: {ids}"


def test_the_scores_the_app_shows_name_side_effects_in_words() -> None:
    """The debrief's score cards and deductions come straight from the scorer: the ids must
    not reach them (they did, though the report translated them)."""
    session = finished(SET_LEFT, {"action": "stim_on"})  # 6 mA on contact 1: capsular effects
    scores = debrief(session)["scores"]
    names = session.patient.atlas.effect_names()
    texts = [scores["safety"]["explanation"]] + [d["what"] for d in scores["safety"]["deductions"]]
    assert any("tonic contraction" in t for t in texts), texts
    ids = [i for i in names for t in texts if re.search(rf"\b{i}\b", t)]
    assert not ids, f"internal side-effect ids in the scores: {ids}"


def test_finish_only_session_gets_no_safety_credit() -> None:
    scores = debrief(finished())["scores"]
    assert scores["safety"]["score"] == 0, scores["safety"]
    assert "No current was ever delivered" in scores["safety"]["explanation"]
    careful = debrief(
        finished({**SET_LEFT, "amplitude_ma": 0.5}, {"action": "stim_on"}, {"action": "examine"})
    )["scores"]
    assert careful["safety"]["score"] > 0
