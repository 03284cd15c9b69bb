"""Issue 12, finding 3: authored texts render as plain text (bold only), everywhere shown.

A title or history holding ``![t](http://host/t.png)`` made every trainee's browser fetch
that URL; links, colour directives and LaTeX rendered; the sidebar title was unescaped.
Each test reads the raw Markdown Streamlit sends for one place and checks that, once the
escaped characters are taken out, no markup but ``**bold**`` is left.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dbssim.patient.scenario import load_scenario
from dbssim.ui.text import authored
from tests.app.helpers import click
from tests.app.test_classroom import join, store
from tests.app.test_educator import sign_in

MakeApp = Callable[..., AppTest]
IMAGE = "![t](http://host.invalid/t.png)"
HOSTILE = f"{IMAGE} [link](http://host.invalid) :red[red] $x^2$ :material/home: **kept bold**"
CASE_ID = "hostile-texts"


def markup_left(markdown: str) -> list[str]:
    """What Markdown could still interpret: escaped characters removed, bold allowed."""
    bare = re.sub(r"\\.", "", markdown).replace("**", "")
    found = [m for m in ("![", "](", "[", "$", ":red", ":material", "<") if m in bare]
    return found


@pytest.fixture
def hostile_class() -> str:
    """A class on a single-lead case whose title and four texts all hold markup."""
    base = load_scenario("et-vim")
    case = {k: f"{k}: {HOSTILE}" for k in ("history", "examination", "hardware", "question")}
    scenario = base.revalidated(id=CASE_ID, title=f"Title {HOSTILE}", case=case)
    store().save_case(scenario)
    return store().create_class("Texts", CASE_ID, seed=1).join_code


def test_the_safe_subset_keeps_bold_only() -> None:
    shown = authored(HOSTILE)
    assert markup_left(shown) == []
    assert "**kept bold**" in shown
    assert markup_left(HOSTILE), "the check itself finds raw markup"


def _holding(elements: object, needle: str) -> list[str]:
    return [e.value for e in elements if needle in str(e.value).replace("\\", "")]  # type: ignore[attr-defined]


def test_case_page_title_and_texts(new_app: MakeApp, hostile_class: str) -> None:
    at = join(new_app(), hostile_class)
    at.sidebar.radio(key="nav").set_value("Case").run()
    titles = _holding(at.subheader, "Title")
    assert titles and all(markup_left(t) == [] for t in titles), titles
    for name in ("history", "examination", "hardware", "question"):
        texts = _holding(at.markdown, f"{name}: ")
        assert texts, f"{name} not shown"
        assert all(markup_left(t) == [] for t in texts), (name, texts)
        assert any("**kept bold**" in t for t in texts)


def test_sidebar_title(new_app: MakeApp, hostile_class: str) -> None:
    at = join(new_app(), hostile_class)
    titles = _holding(at.sidebar.markdown, "Title")
    assert titles and all(markup_left(t) == [] for t in titles), titles


def test_programming_page_question(new_app: MakeApp, hostile_class: str) -> None:
    at = join(new_app(), hostile_class)
    assert at.session_state["page"] == "Programming"
    questions = _holding(at.markdown, "question: ")
    assert questions and all(markup_left(q) == [] for q in questions), questions


def test_demonstration_caption(new_app: MakeApp, educator_mode: str, hostile_class: str) -> None:
    at = sign_in(new_app(), educator_mode)
    at.sidebar.radio(key="nav_edu").set_value("Demonstration").run()
    at.selectbox(key="demo_case").set_value(CASE_ID).run()
    click(at, "demo_start")
    captions = _holding(at.caption, "Demonstrating")
    assert captions and all(markup_left(c) == [] for c in captions), captions
