"""Educator mode: a passphrase from ``DBSSIM_EDUCATOR_PASSPHRASE``, checked with care.

- The variable is read on every request: unset (or empty), the educator pages do not
  exist, and a browser session that signed in before loses them at once.
- The comparison is constant-time (:func:`hmac.compare_digest` on SHA-256 digests, so
  the length of the passphrase does not show either).
- Failed attempts are throttled on the server (one throttle per server process, shared by
  all browser sessions, per client address where Streamlit knows it): after
  :data:`FREE_FAILURES` failures every attempt waits for a lock-out that doubles with
  each further failure, up to :data:`MAX_LOCKOUT_S`.
- The passphrase is never logged, shown or stored: the form clears its field on submit,
  and the browser session keeps only an HMAC of it under a key that lives in this
  process's memory (so a changed passphrase signs everybody out).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import threading
import time
from collections.abc import Callable

import streamlit as st

from dbssim.ui import state

ENV_PASSPHRASE = "DBSSIM_EDUCATOR_PASSPHRASE"
FREE_FAILURES = 3  # typos before the lock-out starts (teaching value)
BASE_LOCKOUT_S = 5.0  # after the 3rd failure; doubles with each further failure
MAX_LOCKOUT_S = 900.0  # a quarter of an hour: a guesser gets ~100 tries a day
ANYONE = "*"  # the throttle key when the client's address is unknown


def configured_passphrase() -> str | None:
    """The passphrase now in the environment; None when educator mode is off."""
    return os.environ.get(ENV_PASSPHRASE) or None


def enabled() -> bool:
    return configured_passphrase() is not None


class Throttle:
    """Failed sign-ins per client; a lock-out that doubles after ``FREE_FAILURES``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}

    def wait_s(self, who: str) -> float:
        """Seconds before ``who`` may try again (0: now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(who, 0.0) - self._clock())

    def failed(self, who: str) -> float:
        """Count a failure; return the lock-out it starts (0 while failures are free)."""
        with self._lock:
            n = self._failures.get(who, 0) + 1
            self._failures[who] = n
            if n < FREE_FAILURES:
                return 0.0
            lockout = min(MAX_LOCKOUT_S, BASE_LOCKOUT_S * 2.0 ** (n - FREE_FAILURES))
            self._locked_until[who] = self._clock() + lockout
            return lockout

    def succeeded(self, who: str) -> None:
        with self._lock:
            self._failures.pop(who, None)
            self._locked_until.pop(who, None)


@st.cache_resource(show_spinner=False)
def throttle() -> Throttle:
    """The server-wide throttle (one per process, whatever the browser session)."""
    return Throttle()


@st.cache_resource(show_spinner=False)
def _process_key() -> bytes:
    return secrets.token_bytes(32)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def passphrase_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (digests first: equal lengths whatever was typed)."""
    return hmac.compare_digest(_digest(given), _digest(expected))


def _mark(passphrase: str) -> str:
    return hmac.new(_process_key(), passphrase.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_in() -> bool:
    """True while educator mode is on and this browser session signed in with its passphrase."""
    expected = configured_passphrase()
    mark = st.session_state.get("educator")
    if expected is None or not isinstance(mark, str):
        return False
    return hmac.compare_digest(mark, _mark(expected))


def _client() -> str:
    try:
        address = st.context.ip_address
    except Exception:  # no request context (e.g. a test harness)
        address = None
    return address if isinstance(address, str) and address else ANYONE


def sign_in() -> None:
    """Form callback: check the typed passphrase (the form has already cleared the field)."""
    given = str(st.session_state.get("edu_pass") or "")
    st.session_state["edu_pass"] = ""  # never kept, never sent back to the browser
    errors = st.session_state["errors"]
    expected = configured_passphrase()
    if expected is None:
        errors["edu_sign_in"] = "Educator mode is off on this server."
        return
    who, guard = _client(), throttle()
    wait = guard.wait_s(who)
    if wait > 0:
        errors["edu_sign_in"] = (
            f"Too many failed attempts: wait {math.ceil(wait)} s, then try again."
        )
        return
    if not passphrase_matches(given, expected):
        lockout = guard.failed(who)
        errors["edu_sign_in"] = "Wrong passphrase." + (
            f" Too many failed attempts: wait {math.ceil(lockout)} s before the next one."
            if lockout
            else ""
        )
        return
    guard.succeeded(who)
    st.session_state["educator"] = _mark(expected)
    errors.pop("edu_sign_in", None)
    state.go_to("Class")


def sign_out() -> None:
    st.session_state["educator"] = None
    state.go_to("Case")
