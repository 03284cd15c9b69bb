"""Errors shown beside the control they are about: a callback leaves one, the next run shows it."""

from __future__ import annotations

import streamlit as st

from dbssim.errors import InputError


def error_message(exc: Exception) -> str:
    """The message of an engine error, naming the field it is about."""
    if isinstance(exc, InputError):
        return f"{exc.field}: {exc.message}"
    return str(exc) or exc.__class__.__name__


def set_error(key: str, exc: Exception) -> None:
    st.session_state["errors"][key] = error_message(exc)


def pop_error(key: str) -> str | None:
    message: str | None = st.session_state["errors"].pop(key, None)
    return message


def show_error(key: str) -> None:
    """Show (once) the error a callback left for this control."""
    message = pop_error(key)
    if message:
        st.error(message, icon=":material/error:")
