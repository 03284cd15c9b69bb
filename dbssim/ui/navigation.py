"""Sidebar navigation (a radio bound to the canonical ``page`` key) and page dispatch."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dbssim.ui import state, widgets
from dbssim.ui.pages import case, debrief, followup, programming, review
from dbssim.ui.text import load_text

RENDERERS: dict[str, Callable[[], None]] = {
    "Case": case.render,
    "Programming": programming.render,
    "Monopolar review": review.render,
    "Follow-up": followup.render,
    "Debrief": debrief.render,
}


def _follow_nav() -> None:
    st.session_state["page"] = st.session_state["nav"]


def sidebar() -> None:
    with st.sidebar:
        st.title("dbssim")
        st.caption("DBS programming simulator")
        st.session_state["nav"] = st.session_state["page"]
        st.radio("Page", state.PAGES, key="nav", on_change=_follow_nav)
        st.divider()
        current = state.session()
        if current is None:
            st.caption("No session yet.")
        else:
            widgets.status_line(current)
            widgets.finish_controls(current)
        st.divider()
        st.caption(load_text("disclaimer"))


def render() -> None:
    """Draw the sidebar, then the page the canonical state names."""
    sidebar()
    RENDERERS.get(st.session_state["page"], case.render)()
