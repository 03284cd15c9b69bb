"""Every UI action goes through here: applied to the running session and saved, or refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dbssim.session.engine import SessionError
from dbssim.store.service import StoredSession, StoreError
from dbssim.ui import storage
from dbssim.ui.control_errors import set_error
from dbssim.ui.state import install, stored


def apply_action(
    action: dict[str, Any], error_key: str, field_keys: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """Apply one action to the running session and save it; on a refusal remember the error.

    Every action of the UI comes through here, so every action is stored before it counts
    (:meth:`dbssim.store.service.StoredSession.apply` undoes it in memory if the save fails).
    ``field_keys`` maps an engine field (``pulse_width_us``) to the control that shows its
    refusals; other refusals are shown beside ``error_key``.
    """
    current = stored()
    if current is None:
        st.session_state["errors"][error_key] = "No session is running: start one on the Case page."
        return None
    try:
        entry: dict[str, Any] = current.apply(action)
    except StoreError as exc:
        if exc.field == "index":  # the same session moved on in another window
            _reload(current, error_key)
        else:
            set_error(error_key, exc)
        return None
    except SessionError as exc:
        set_error((field_keys or {}).get(exc.field, error_key), exc)
        return None
    except ValueError as exc:
        set_error(error_key, exc)
        return None
    except SQLAlchemyError as exc:
        st.session_state["errors"][error_key] = (
            f"Not saved, so not done: {storage.database_message(exc)}. Try again."
        )
        return None
    st.session_state["errors"].pop(error_key, None)
    return entry


def _reload(current: StoredSession, error_key: str) -> None:
    try:
        fresh = storage.get_store().open_session(current.id, educator=current.record.demonstration)
    except storage.STORE_ERRORS as exc:
        st.session_state["errors"][error_key] = storage.database_message(exc)
        return
    install(fresh)
    st.session_state["errors"][error_key] = (
        "This session went on in another window: its latest state is shown now. "
        "Check it and repeat your last step if it is still needed."
    )


def act(action: dict[str, Any], error_key: str) -> None:
    """Callback form of :func:`apply_action` (buttons' ``on_click``)."""
    apply_action(action, error_key)
