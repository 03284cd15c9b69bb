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

import importlib
import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbssim.patient.virtual_patient import VirtualPatient
    from dbssim.session.engine import Session

# Libraries the later pages use (st.dataframe needs pandas and pyarrow).
LIBRARIES = ("pandas", "pyarrow", "plotly.graph_objects", "dbssim.viz")

_lock = threading.Lock()
_thread: threading.Thread | None = None
_PREPARED_MAX = 64  # patients remembered as prepared (the scoring caches hold fewer)
_prepared: dict[str, threading.Thread] = {}  # patient truth -> its search, oldest first
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


def _import_all(names: Sequence[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a page that fails to import reports it when it is drawn
            _log.warning("warm-up import of %s failed", name, exc_info=True)


def prepare_scoring(session: Session) -> threading.Thread | None:
    """Search a running session's expert program and true review in the background.

    Once per patient truth (a class of trainees on one case starts one search, not one
    each); the results land in the per-patient caches the finish reads.

    Parameters
    ----------
    session : Session
        The session just started or reopened.

    Returns
    -------
    threading.Thread or None
        The (daemon) thread searching, or None if the session is finished or its patient
        was prepared already.
    """
    if session.finished:
        return None
    patient = session.patient
    truth = patient.scenario.model_dump_json()
    with _lock:
        if truth in _prepared:
            return None
        thread = threading.Thread(
            target=_prepare, args=(patient,), name="dbssim-expert-search", daemon=True
        )
        _prepared[truth] = thread
        if len(_prepared) > _PREPARED_MAX:
            del _prepared[next(iter(_prepared))]
    thread.start()
    return thread


def wait_for_scoring(session: Session, timeout_s: float = 60.0) -> None:
    """Let a background search of this session's patient end before the finish scores.

    The finish asks the same per-patient caches: waiting for a search under way is
    quicker than running a second one beside it on the same interpreter.

    Parameters
    ----------
    session : Session
        The session about to finish.
    timeout_s : float
        Longest wait, s; after it the finish searches itself.
    """
    with _lock:
        thread = _prepared.get(session.patient.scenario.model_dump_json())
    if thread is not None and thread.is_alive():
        thread.join(timeout_s)


def _prepare(patient: VirtualPatient) -> None:
    from dbssim.session import scoring

    try:
        scoring.expert_plan(patient)
        scoring.true_review(patient)
    except Exception:  # the finish searches again and reports any error itself
        _log.warning("background expert search failed", exc_info=True)
