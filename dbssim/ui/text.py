"""Trainee-facing prose, kept as Markdown files in ``dbssim/data/ui``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import streamlit as st

HEMISPHERE_TITLES = {"left": "Left lead (right body)", "right": "Right lead (left body)"}


@cache
def load_text(name: str) -> str:
    """The Markdown text ``dbssim/data/ui/<name>.md``, stripped."""
    path = resources.files("dbssim") / "data" / "ui" / f"{name}.md"
    return path.read_text(encoding="utf-8").strip()


_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: str) -> str:
    """User-typed text (a pseudonym, a class name) made inert inside Markdown.

    Streamlit already shows HTML tags as text; this also stops links, images, emphasis,
    icons (``:material/...:``) and LaTeX (``$``) from being interpreted.
    """
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in str(text))


_ESCAPED_BOLD = re.compile(r"\\\*\\\*([^\n]+?)\\\*\\\*")


def authored(text: str) -> str:
    """An author's case text (title, history, question…) as safe Markdown.

    The documented subset (docs/authoring.md): paragraphs and ``**bold**``, nothing else.
    Everything is escaped as :func:`plain` does, so images, links, HTML, LaTeX, colour
    directives and icons show as the characters typed; then escaped ``**…**`` pairs on one
    line are turned back into bold (their content stays escaped).
    """
    return _ESCAPED_BOLD.sub(r"**\1**", plain(text))


def show_text(name: str) -> None:
    st.markdown(load_text(name))
