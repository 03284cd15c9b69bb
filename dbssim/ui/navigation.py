"""Sidebar navigation (radios bound to the canonical ``page`` key) and page dispatch.

Trainee pages are always there. With ``DBSSIM_EDUCATOR_PASSPHRASE`` set, an educator
sign-in page appears; after signing in, the educator pages. The check is made again on
every run before a page is drawn, so an educator page cannot be reached by setting the
``page`` key: without the environment variable the educator pages do not exist at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from dbssim.session.engine import Session
from dbssim.session.setting_text import describe_setting
from dbssim.store.service import StoredSession
from dbssim.ui import boundary, clinic, control_errors, educator, session_lifecycle, state, warmup
from dbssim.ui.text import load_text, plain

SIGN_IN_PAGE = "Educator sign-in"
EDUCATOR_PAGES = ("Class", "Demonstration", "Case authoring", "Results")

PAGE_MODULES = {
    "Case": "case",
    "Programming": "programming",
    "Monopolar review": "review",
    "Follow-up": "followup",
    "Debrief": "debrief",
    SIGN_IN_PAGE: "sign_in",
    "Class": "classes",
    "Demonstration": "demonstration",
    "Case authoring": "authoring",
    "Results": "results",
}


FIRST_PAGE_MODULE = "case"  # drawn before the warm-up starts; needs neither plotly nor pandas


def _page(module: str) -> Callable[[], None]:
    """The ``render`` of ``dbssim.ui.pages.<module>``, imported when first drawn.

    A page module is imported with its figures' libraries (plotly, pandas), which the
    first page a trainee sees does not need; `warmup` imports the rest in the background
    once that page is drawn.
    """

    def render() -> None:
        if module != FIRST_PAGE_MODULE:
            # plotly looks pandas up in sys.modules without importing it: while the warm-up
            # thread is half-way through importing pandas, a figure here would fail.
            warmup.wait_for_imports()
        importlib.import_module(f"dbssim.ui.pages.{module}").render()

    return render


RENDERERS: dict[str, Callable[[], None]] = {page: _page(m) for page, m in PAGE_MODULES.items()}


def educator_pages() -> tuple[str, ...]:
    """The educator pages this browser session may see now (none when the mode is off)."""
    if not educator.enabled():
        return ()
    return EDUCATOR_PAGES if educator.signed_in() else (SIGN_IN_PAGE,)


def _follow(key: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        st.session_state["page"] = value


def _radio(label: str, options: tuple[str, ...], key: str) -> None:
    page = st.session_state["page"]
    st.session_state[key] = page if page in options else None
    st.radio(label, options, key=key, on_change=_follow, args=(key,))


def finish_controls(current: Session) -> None:
    """Confirm-and-finish, in the sidebar."""
    if current.finished:
        st.success("Session finished — see the Debrief.")
        return
    confirm = st.checkbox("I have finished programming", key="finish_confirm")
    st.button(
        "Finish session",
        key="finish",
        on_click=session_lifecycle.finish_session,
        disabled=not confirm,
        type="primary",
        width="stretch",
        help=load_text("finish_help"),
    )
    control_errors.show_error("finish")


def status_line(stored: StoredSession) -> None:
    current = stored.session
    st.markdown(f"**{plain(current.scenario.title)}**")
    if stored.record.demonstration:
        st.markdown("Demonstration · opened only from the Demonstration page")
    else:
        st.markdown(
            f"{plain(stored.record.trainee)} · resume code `{stored.code}`",
            help="Type this code on the Case page (or keep this page's link) to continue later",
        )
    stim = ":green[**on**]" if current.stimulation_on else "off"
    if current.stimulation_on and not clinic.delivering(current):
        stim = ":orange[**on, delivering nothing**]"
    lines = [
        f"Day **{current.day}**, minute **{float(current.minute):.0f}**",
        f"Stimulation {stim}",
    ]
    medication = clinic.medication_status(current)
    if medication:
        lines.append(medication)
    st.markdown("  \n".join(lines))
    for side in current.patient.sides:
        st.caption(f"{side}: {describe_setting(current.programs.get(side), compact=True)}")


def sidebar(extra: tuple[str, ...]) -> None:
    with st.sidebar:
        st.title("dbssim")
        st.caption("DBS programming simulator")
        _radio("Page", state.PAGES, "nav")
        if extra == EDUCATOR_PAGES:
            st.divider()
            _radio("Educator", extra, "nav_edu")
            st.button("Sign out", key="edu_sign_out", on_click=educator.sign_out)
        st.divider()
        current = state.stored()
        if current is None:
            st.caption("No session yet.")
        else:
            status_line(current)
            finish_controls(current.session)
        st.divider()
        if extra == (SIGN_IN_PAGE,):
            st.button(
                SIGN_IN_PAGE,
                key="edu_open",
                type="tertiary",
                icon=":material/school:",
                on_click=state.go_to,
                args=(SIGN_IN_PAGE,),
            )
        st.caption(load_text("disclaimer"))


def render() -> None:
    """Draw the sidebar, then the page the canonical state names (if it may be shown)."""
    extra = educator_pages()
    if st.session_state["page"] not in (*state.PAGES, *extra):
        st.session_state["page"] = state.PAGES[0]
    with st.sidebar:  # before the page is read: a finish opens the Debrief in this run
        boundary.guarded(session_lifecycle.run_requested_finish, "finishing the session")
    page = st.session_state["page"]
    boundary.guarded(lambda: sidebar(extra), "the sidebar")
    boundary.guarded(RENDERERS[page], f"the page {page!r}")
    warmup.start([f"dbssim.ui.pages.{m}" for m in PAGE_MODULES.values()])
