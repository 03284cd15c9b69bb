"""Educator mode: a passphrase from ``DBSSIM_EDUCATOR_PASSPHRASE``, checked with care.

- The variable is read on every request: unset (or empty), the educator pages do not
  exist, and a browser session that signed in before loses them at once.
- The comparison is constant-time (:func:`hmac.compare_digest` on SHA-256 digests, so
  the length of the passphrase does not show either).
- Failed attempts are throttled on the server (one throttle per server process) per
  *client*: the browser session, with its address where Streamlit knows it. After
  :data:`FREE_FAILURES` failures a client waits for a lock-out that doubles with each
  further failure, up to :data:`MAX_LOCKOUT_S`. One client's failures never delay another
  (a trainee's guesses once locked the educator out: a classroom shares one address).
- A global rate limit bounds guessing from many clients (new tabs): while more than
  :data:`GLOBAL_MAX_FAILURES` attempts failed in the last :data:`GLOBAL_WINDOW_S` seconds,
  server-wide, a failure gives no free tries and locks its client out for at least
  :data:`GLOBAL_LOCKOUT_S`. The limit lengthens the waits of clients that fail; it never
  refuses a client whose own wait is over, so the correct passphrase always works then.
- Every failed attempt is logged (client, address, count, lock-out), never the phrase.
- The passphrase is never logged, shown or stored: the form clears its field on submit,
  and the browser session keeps only an HMAC of it under a key that lives in this
  process's memory (so a changed passphrase signs everybody out).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

import streamlit as st

from dbssim.ui import state

ENV_PASSPHRASE = "DBSSIM_EDUCATOR_PASSPHRASE"
FREE_FAILURES = 3  # typos before the lock-out starts (teaching value, not from literature)
BASE_LOCKOUT_S = 5.0  # after the 3rd failure; doubles with each further failure
MAX_LOCKOUT_S = 60.0  # one client's cap: the educator who mistyped waits a minute at most
GLOBAL_WINDOW_S = 60.0  # the global limit counts failures over the last minute
GLOBAL_MAX_FAILURES = 20  # a class of 20 mistyping once each (teaching value)
GLOBAL_LOCKOUT_S = 30.0  # each failure beyond that locks its client this long at least
ANYONE = "*"  # the client's address when Streamlit does not know it
LOG = logging.getLogger("dbssim.ui.educator")


def configured_passphrase() -> str | None:
    """The passphrase now in the environment; None when educator mode is off."""
    return os.environ.get(ENV_PASSPHRASE) or None


def enabled() -> bool:
    return configured_passphrase() is not None


class Throttle:
    """Failed sign-ins per client, and a global rate limit on failures (see the module)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._recent: deque[float] = deque()  # times of failures, all clients

    def wait_s(self, who: str) -> float:
        """Seconds before ``who`` may try again (0: now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(who, 0.0) - self._clock())

    def recent_failures(self) -> int:
        """Failures, all clients together, in the last :data:`GLOBAL_WINDOW_S` seconds."""
        with self._lock:
            self._forget_old()
            return len(self._recent)

    def _forget_old(self) -> None:
        while self._recent and self._recent[0] <= self._clock() - GLOBAL_WINDOW_S:
            self._recent.popleft()

    def failed(self, who: str) -> float:
        """Count a failure; return the lock-out it starts (0 while failures are free)."""
        with self._lock:
            self._forget_old()
            self._recent.append(self._clock())
            flooded = len(self._recent) > GLOBAL_MAX_FAILURES
            n = self._failures.get(who, 0) + 1
            self._failures[who] = n
            lockout = 0.0
            if n >= FREE_FAILURES:
                lockout = min(MAX_LOCKOUT_S, BASE_LOCKOUT_S * 2.0 ** (n - FREE_FAILURES))
            if flooded:
                lockout = max(lockout, GLOBAL_LOCKOUT_S)
            if lockout:
                self._locked_until[who] = self._clock() + lockout
            return lockout

    def failures(self, who: str) -> int:
        with self._lock:
            return self._failures.get(who, 0)

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


def _address() -> str:
    try:
        address = st.context.ip_address
    except Exception:  # no request context (e.g. a test harness)
        address = None
    return address if isinstance(address, str) and address else ANYONE


def _client() -> str:
    """This browser session at its address: the unit the per-client wait applies to."""
    # A random id kept in this session's server-side state (no widget has this key, so
    # the browser cannot set it); Streamlit's own session id is not public API.
    client = st.session_state.setdefault("edu_client", secrets.token_hex(6))
    return f"{_address()}/{client}"


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
        LOG.warning(
            "failed educator sign-in: client %s, failure %d, lock-out %.0f s, "
            "%d failures on this server in the last %.0f s",
            who,
            guard.failures(who),
            lockout,
            guard.recent_failures(),
            GLOBAL_WINDOW_S,
        )
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
