"""Authored case texts in the HTML report: the app's subset (paragraphs and bold), escaped."""

from __future__ import annotations

from dbssim.report.html import authored_html


def test_bold_pairs_become_strong_and_everything_else_is_escaped() -> None:
    html = authored_html('off: **MDS-UPDRS part III 43/132**. <img src="http://h/t.png"> **a')
    assert "<strong>MDS-UPDRS part III 43/132</strong>" in html
    assert "<img" not in html and "&lt;img" in html
    assert html.endswith("**a"), "an unpaired ** stays as typed"


def test_bold_never_spans_lines() -> None:
    assert "<strong>" not in authored_html("**one\ntwo**")
