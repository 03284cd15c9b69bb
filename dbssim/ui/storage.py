"""The session store as the UI sees it: one open :class:`~dbssim.store.service.Store` per database.

``DBSSIM_DATABASE_URL`` is read on every request (``default_url``), so a test or an
operator can point the app elsewhere without a restart; each URL gets one store (a
connection pool) shared by every browser session of this server process.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dbssim.session.scoring import debrief
from dbssim.store.service import Store, StoreError, default_url


def _close(store: Store) -> None:
    store.close()


@st.cache_resource(show_spinner=False, on_release=_close)
def _open_store(url: str) -> Store:
    return Store.open(url, scorer=debrief)  # a finish is scored once, stored with it


def get_store() -> Store:
    """The store at ``DBSSIM_DATABASE_URL`` (default ``data/dbssim.sqlite3``), opened once."""
    return _open_store(default_url())


def database_message(exc: Exception) -> str:
    """One line about a database failure; driver messages never hold the password."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return f"database: {text[0] if text else exc.__class__.__name__}"
    return str(exc) or exc.__class__.__name__


STORE_ERRORS = (StoreError, SQLAlchemyError, OSError)
