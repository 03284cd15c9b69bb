"""Issue 12, finding 4: a trainee cannot lock the educator out; failures are logged.

The throttle counted failures per client address; a classroom shares one address (or
Streamlit knows none), so six wrong guesses from a trainee's browser refused the real
educator, and the lock-out doubled up to 15 minutes. Failures were not logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dbssim.ui import educator
from tests.app.helpers import errors
from tests.app.test_educator import sign_in

MakeApp = Callable[..., AppTest]


def test_a_trainee_guessing_does_not_lock_out_the_educator(
    new_app: MakeApp, educator_mode: str
) -> None:
    trainee = new_app()
    for n in range(6):
        sign_in(trainee, f"guess {n}")
    assert any("wait" in e for e in errors(trainee)), "the guesser waits"
    teacher = sign_in(new_app(), educator_mode)
    assert teacher.session_state["educator"] is not None, errors(teacher)
    assert teacher.session_state["page"] == "Class"


def test_the_correct_phrase_works_after_the_clients_own_wait(
    new_app: MakeApp, educator_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(educator, "BASE_LOCKOUT_S", 0.3)
    at = new_app()
    for n in range(educator.FREE_FAILURES):
        sign_in(at, f"typo {n}")
    sign_in(at, educator_mode)
    assert at.session_state["educator"] is None, "refused during its own wait"
    time.sleep(0.4)
    sign_in(at, educator_mode)
    assert at.session_state["educator"] is not None, errors(at)


def test_failed_attempts_are_logged_without_the_phrase(
    new_app: MakeApp, educator_mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="dbssim.ui.educator"):
        sign_in(new_app(), "my secret guess")
    logged = [r.getMessage() for r in caplog.records if r.name == "dbssim.ui.educator"]
    assert len(logged) == 1 and "failed educator sign-in" in logged[0], logged
    assert "my secret guess" not in logged[0] and educator_mode not in logged[0]


def test_the_global_limit_lengthens_waits_but_never_refuses_a_waited_client() -> None:
    now = [0.0]
    guard = educator.Throttle(clock=lambda: now[0])
    for n in range(educator.GLOBAL_MAX_FAILURES):  # many tabs, one failure each
        assert guard.failed(f"tab {n}") == 0.0
    assert guard.failed("one more tab") == educator.GLOBAL_LOCKOUT_S, "no free tries now"
    assert guard.wait_s("educator") == 0.0, "a client that has not failed is not refused"
    lockout = guard.failed("educator")  # the educator mistypes once during the flood
    assert lockout == educator.GLOBAL_LOCKOUT_S
    now[0] += lockout
    assert guard.wait_s("educator") == 0.0, "after its own wait the next try is evaluated"
    now[0] += educator.GLOBAL_WINDOW_S
    assert guard.recent_failures() == 0 and guard.failed("later") == 0.0


def test_one_clients_wait_is_capped() -> None:
    now = [0.0]
    guard = educator.Throttle(clock=lambda: now[0])
    for _ in range(12):
        now[0] += educator.GLOBAL_WINDOW_S  # spread out: no global flood
        guard.failed("x")
    assert guard.wait_s("x") == educator.MAX_LOCKOUT_S
