"""Fixtures for the Streamlit AppTest suite.

Every test gets its own SQLite store (``DBSSIM_DATABASE_URL``, which also keeps authored
cases) and working directory, educator mode off unless the test turns it
on, and fresh Streamlit caches (the store, the sign-in throttle): nothing leaks between
tests or into the repository.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 30  # the 3 s default is too short on this machine (TOOLCHAIN.md)
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A temporary store and working directory; caches cleared before and after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DBSSIM_DATABASE_URL", f"sqlite:///{tmp_path / 'test.sqlite3'}")
    monkeypatch.delenv("DBSSIM_EDUCATOR_PASSPHRASE", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # closes the test's store (on_release)


@pytest.fixture
def educator_mode(monkeypatch: pytest.MonkeyPatch) -> str:
    """Turn educator mode on (the app reads the variable on every request)."""
    monkeypatch.setenv("DBSSIM_EDUCATOR_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def new_app() -> Callable[..., AppTest]:
    """A factory of freshly run apps (each one a new browser session).

    ``new_app(session="CODE")`` opens the app with ``?session=CODE`` in its URL.
    """

    def make(**query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.query_params.update(query)
        at.run()
        assert not at.exception, f"app raised on first run: {at.exception}"
        return at

    return make
