"""Heavy imports done in the background once the first page is drawn (issue 13).

The first page a trainee opens needs neither plotly's figure classes nor pandas; the
Programming page, the reviews and the debrief need both. Importing them while the trainee
reads the case keeps the first load short without making the next page pay for them.
Only imports happen here: no session state, no store, no randomness.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence

# Libraries the later pages use (st.dataframe needs pandas and pyarrow).
LIBRARIES = ("pandas", "pyarrow", "plotly.graph_objects", "dbssim.viz")

_lock = threading.Lock()
_thread: threading.Thread | None = None
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
