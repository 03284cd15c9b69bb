"""Educator sign-in (only when ``DBSSIM_EDUCATOR_PASSPHRASE`` is set; see ``ui/educator``)."""

from __future__ import annotations

import streamlit as st

from dbssim.ui import control_errors, educator
from dbssim.ui.text import load_text

MAX_PASSPHRASE_CHARS = 200


def render() -> None:
    st.header("Educator sign-in")
    if not educator.enabled():  # navigation never shows this page then; be sure anyway
        st.info("Educator mode is off on this server.", icon=":material/lock:")
        return
    st.markdown(load_text("educator_intro"))
    _, middle, _ = st.columns([1, 2, 1])
    with middle, st.form("edu_form", clear_on_submit=True, border=True):
        st.text_input(
            "Educator passphrase",
            type="password",
            key="edu_pass",
            max_chars=MAX_PASSPHRASE_CHARS,
            autocomplete="current-password",
        )
        st.form_submit_button(
            "Sign in", key="edu_submit", type="primary", on_click=educator.sign_in
        )
        control_errors.show_error("edu_sign_in")
