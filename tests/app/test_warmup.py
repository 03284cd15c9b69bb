"""Background warm-up: imports once, and the finish finds the expert search done."""

import sys

from dbssim.session import scoring
from dbssim.session.engine import Session
from dbssim.ui import warmup


def test_libraries_and_pages_are_imported_once_in_one_thread():
    first = warmup.start(["dbssim.ui.pages.debrief"])
    assert warmup.start(["dbssim.ui.pages.review"]) is first, "a second call starts nothing"
    first.join(timeout=120)
    assert not first.is_alive()
    for name in (*warmup.LIBRARIES, "dbssim.ui.pages.debrief"):
        assert name in sys.modules, name


def test_a_started_session_has_its_expert_program_searched_in_the_background():
    session = Session.start("et-vim", seed=12345)
    scoring._expert.cache_clear()
    scoring._review.cache_clear()
    warmup._prepared.clear()  # another test may have prepared this patient
    search = warmup.prepare_scoring(session)
    assert search is not None
    search.result(timeout=600)  # other tests' patients may be queued before it
    warmup.wait_for_scoring(session, timeout_s=120)  # what the finish does: returns at once
    assert search.done() and not search.cancelled()
    # (other tests' patients may land in the caches too: the hit below is the check)
    hits = scoring._expert.cache_info().hits
    program, _ = scoring.expert_plan(session.patient)  # what the finish asks for
    assert scoring._expert.cache_info().hits == hits + 1
    assert program is not None
    review_hits = scoring._review.cache_info().hits
    scoring.true_review(session.patient)
    assert scoring._review.cache_info().hits == review_hits + 1
    assert warmup.prepare_scoring(Session.start("et-vim", seed=12345)) is None, "once a patient"


def test_searches_run_one_at_a_time_and_a_queued_one_is_withdrawn_at_finish():
    """Thirty trainees starting together queue their patients' searches; a finish whose
    search has not begun withdraws it and searches itself."""
    import threading

    gate = threading.Event()
    warmup._prepared.clear()
    blocker = warmup._searcher.submit(gate.wait, 60)  # the single worker is busy
    try:
        first = warmup.prepare_scoring(Session.start("et-vim", seed=101))  # two patients
        second = warmup.prepare_scoring(Session.start("pd-stn", seed=102))
        assert first is not None and second is not None
        assert not first.running() and not second.running(), "one search at a time"
        warmup.wait_for_scoring(Session.start("pd-stn", seed=102), timeout_s=5)
        assert second.cancelled()
    finally:
        gate.set()
        blocker.result(timeout=60)
    first.result(timeout=120)


def test_a_page_after_the_first_waits_for_the_background_imports(monkeypatch):
    """plotly peeks at a half-imported pandas in sys.modules (AttributeError on 'Series'):
    every page but the first waits for the warm-up thread before drawing."""
    import types

    from dbssim.ui import navigation

    calls = []
    monkeypatch.setattr(warmup, "wait_for_imports", lambda *a, **k: calls.append("wait"))
    monkeypatch.setattr(
        navigation.importlib,
        "import_module",
        lambda name: types.SimpleNamespace(render=lambda: calls.append(name)),
    )
    navigation._page("case")()
    navigation._page("programming")()
    assert calls == ["dbssim.ui.pages.case", "wait", "dbssim.ui.pages.programming"]


def test_waiting_for_the_imports_returns_when_the_thread_ends(monkeypatch):
    import threading
    import time

    slow = threading.Thread(target=time.sleep, args=(0.3,))
    slow.start()
    monkeypatch.setattr(warmup, "_thread", slow)
    warmup.wait_for_imports(timeout_s=10)
    assert not slow.is_alive()
