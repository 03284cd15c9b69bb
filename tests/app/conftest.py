"""Fixtures for the Streamlit AppTest suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 30  # the 3 s default is too short on this machine (TOOLCHAIN.md)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """st.cache_data outlives an AppTest within one process: start and end each test clean."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def new_app() -> Callable[[], AppTest]:
    """A factory of freshly run apps (each one a new browser session)."""

    def make() -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.run()
        assert not at.exception, f"app raised on first run: {at.exception}"
        return at

    return make
