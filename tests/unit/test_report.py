"""The HTML debrief report: self-contained, everything typed by a user escaped."""

from __future__ import annotations

import base64
import re

import pytest

from dbssim.report.html import render_report, report_reference
from dbssim.report.svg import delivered_current, svg_current_steps
from dbssim.session.engine import Session, SessionError

HOSTILE_NOTE = '<img src=x onerror="alert(1)"> & more'
HOSTILE_NAME = "</title><script>alert('name')</script>"
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def finished_session() -> Session:
    s = Session.start("dystonia-generalized-gpi", seed=1)
    for action in [
        {"action": "stim_on"},
        {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 1.0,
         "pulse_width_us": 60, "frequency_hz": 130},
        {"action": "examine"},
        {"action": "record_threshold", "side": "left", "contact": "1", "kind": "efficacy",
         "amplitude_ma": 1.0, "note": HOSTILE_NOTE},
        {"action": "stim_off"},
        {"action": "finish"},
    ]:  # fmt: skip
        s.apply(action)
    return s


def test_user_text_is_escaped_and_nothing_runs() -> None:
    html = render_report(finished_session(), trainee=HOSTILE_NAME, figures=[("fig <1>", PNG_1X1)])
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more" in html
    assert 'alt="fig &lt;1&gt;"' in html and "data:image/png;base64," in html
    assert "default-src 'none'" in html, "no Content-Security-Policy"
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html), "outside resource"


def test_report_shows_scores_programs_review_and_timeline() -> None:
    html = render_report(finished_session(), trainee="A", session_id="abc")
    for text in ("outcome", "safety", "efficiency", "process", "expert program",
                 "efficacy threshold (mA)", "stimulation off", report_reference("abc"),
                 "<svg"):  # fmt: skip
        assert text in html, f"report lacks {text!r}"


def test_report_refuses_an_unfinished_session_and_non_png_figures() -> None:
    s = Session.start("pd-stn", seed=0)
    with pytest.raises(SessionError, match="finish"):
        render_report(s, trainee="A")
    with pytest.raises(ValueError, match="figures: 'x' is not PNG data"):
        render_report(finished_session(), trainee="A", figures=[("x", b"<svg/>")])


def test_delivered_current_is_zero_while_stimulation_is_off() -> None:
    log = finished_session().entries
    series = delivered_current(log)
    assert list(series) == ["left"]
    assert series["left"] == [0.0, 1.0, 1.0, 1.0, 0.0, 0.0], series
    assert "<polyline" in svg_current_steps(log)
    assert "No stimulation" in svg_current_steps(log[:1])
