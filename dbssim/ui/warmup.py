"""Heavy imports done in the background once the first page is drawn (issue 13).

The first page a trainee opens needs neither plotly's figure classes nor pandas; the
Programming page, the reviews and the debrief need both. Importing them while the trainee
reads the case keeps the first load short without making the next page pay for them.

When a session starts, the expert program and the true review of its patient, which the
finish stores with the debrief, are searched in the background too: both are cached per
patient (`dbssim.session.scoring`), so the finish finds them ready. Nothing here touches
the session, the store or any random generator.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbssim.patient.virtual_patient import VirtualPatient
    from dbssim.session.engine import Session

# Libraries the later pages use (st.dataframe needs pandas and pyarrow).
LIBRARIES = ("pandas", "pyarrow", "plotly.graph_objects", "dbssim.viz")

_lock = threading.Lock()
_thread: threading.Thread | None = None
_PREPARED_MAX = 64  # patients remembered as prepared (the scoring caches hold fewer)
_prepared: dict[str, Future[None]] = {}  # patient truth -> its search, oldest first
# One search at a time: a class of trainees on random patients starting together must not
# run thirty CPU-bound searches side by side on a two-core server while they program.
_searcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dbssim-expert-search")
_log = logging.getLogger(__name__)


def start(modules: Sequence[str] = ()) -> threading.Thread:
    """Import `LIBRARIES` and ``modules`` in a background thread, once per process.

    Parameters
    ----------
    modules : sequence of str
        Further modules to import after the libraries (the app's page modules).

    Returns
    -------
    threading.Thread
        The (daemon) thread doing it; the same thread on every later call.
    """
    global _thread
    with _lock:
        if _thread is None:
            names = (*LIBRARIES, *modules)
            _thread = threading.Thread(
                target=_import_all, args=(names,), name="dbssim-warmup", daemon=True
            )
            _thread.start()
        return _thread


def wait_for_imports(timeout_s: float = 60.0) -> None:
    """Return once the background imports are done (at once if none are under way).

    A module half-imported by the warm-up thread is already in ``sys.modules``; code that
    peeks there instead of importing (plotly's optional pandas support does) must not run
    meanwhile.

    Parameters
    ----------
    timeout_s : float
        Longest wait, s.
    """
    with _lock:
        thread = _thread
    if thread is not None and thread.is_alive() and thread is not threading.current_thread():
        thread.join(timeout_s)


def _import_all(names: Sequence[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a page that fails to import reports it when it is drawn
            _log.warning("warm-up import of %s failed", name, exc_info=True)


def prepare_scoring(session: Session) -> Future[None] | None:
    """Queue a search of a running session's expert program and true review.

    Once per patient truth (a class of trainees on one case queues one search, not one
    each); one search runs at a time, and the results land in the per-patient caches the
    finish reads.

    Parameters
    ----------
    session : Session
        The session just started or reopened.

    Returns
    -------
    concurrent.futures.Future or None
        The queued search, or None if the session is finished or its patient was
        prepared already.
    """
    if session.finished:
        return None
    patient = session.patient
    truth = patient.scenario.model_dump_json()
    with _lock:
        if truth in _prepared:
            return None
        search = _searcher.submit(_prepare, patient)
        _prepared[truth] = search
        if len(_prepared) > _PREPARED_MAX:
            del _prepared[next(iter(_prepared))]
    return search


def wait_for_scoring(session: Session, timeout_s: float = 60.0) -> None:
    """Let a background search of this session's patient end before the finish scores.

    A search under way is waited for (quicker than a second one beside it on the same
    interpreter); one still queued behind other patients' is withdrawn, and the finish
    searches itself at once rather than wait its turn.

    Parameters
    ----------
    session : Session
        The session about to finish.
    timeout_s : float
        Longest wait, s; after it the finish searches itself.
    """
    with _lock:
        search = _prepared.get(session.patient.scenario.model_dump_json())
    if search is None or search.cancel():
        return
    # Not cancelled, so running or done; the search logs its own errors and returns None.
    with contextlib.suppress(FutureTimeout):
        search.result(timeout=timeout_s)


def _prepare(patient: VirtualPatient) -> None:
    from dbssim.session import scoring

    try:
        scoring.expert_plan(patient)
        scoring.true_review(patient)
    except Exception:  # the finish searches again and reports any error itself
        _log.warning("background expert search failed", exc_info=True)
