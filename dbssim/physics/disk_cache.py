"""A folder of precomputed arrays: field solutions reused across processes.

The one piece of file I/O in the physics layer, and a cache, never data: it lives
in a user cache folder (``DBSSIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/dbssim``, else
``~/.cache/dbssim``; ``DBSSIM_CACHE_DIR=off`` turns it off), never in the
repository. Entries are named by a hash of everything that determines them, saved
exactly (no compression, no change of dtype), written to a temporary file and then
renamed (several processes may share the folder), and any failure to read or write
is ignored: the caller computes instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np


def cache_dir() -> Path | None:
    """Find the cache folder.

    Returns
    -------
    pathlib.Path or None
        ``DBSSIM_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/dbssim``, else
        ``~/.cache/dbssim``; None when ``DBSSIM_CACHE_DIR`` is empty, ``off``, ``0`` or
        ``none``. The folder may not exist yet.
    """
    configured = os.environ.get("DBSSIM_CACHE_DIR")
    if configured is not None:
        if configured.strip().lower() in ("", "off", "0", "none"):
            return None
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dbssim"


def cache_key(description: dict[str, Any], *arrays: np.ndarray) -> str:
    """Name a cache entry by everything that determines it.

    Parameters
    ----------
    description : dict of str to Any
        JSON-serialisable inputs (model version, geometry, settings); key order does not
        matter.
    *arrays : numpy.ndarray
        Array inputs; their dtype, shape and bytes all count.

    Returns
    -------
    str
        40 hex digits of a SHA-256 over the description and the arrays.
    """
    digest = hashlib.sha256(json.dumps(description, sort_keys=True).encode())
    for array in arrays:
        contiguous = np.ascontiguousarray(array)
        digest.update(f"{contiguous.dtype.str}{contiguous.shape}".encode())
        digest.update(contiguous.tobytes())
    return digest.hexdigest()[:40]


def load_arrays(kind: str, key: str) -> dict[str, np.ndarray] | None:
    """Read the arrays saved under one entry.

    Parameters
    ----------
    kind : str
        Sub-folder of the cache, one per kind of entry.
    key : str
        Entry name, from `cache_key`.

    Returns
    -------
    dict of str to numpy.ndarray or None
        The arrays by name, exactly as saved; None if the entry is missing or damaged,
        or the cache is off, so the caller computes instead.
    """
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with np.load(folder / kind / f"{key}.npz", allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError, EOFError):
        return None


def save_arrays(kind: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Save arrays under one entry, atomically; do nothing if that fails.

    Parameters
    ----------
    kind : str
        Sub-folder of the cache, one per kind of entry.
    key : str
        Entry name, from `cache_key`.
    arrays : dict of str to numpy.ndarray
        Arrays to save by name, uncompressed and in their own dtype.
    """
    folder = cache_dir()
    if folder is None:
        return
    tmp: str | None = None
    try:
        (folder / kind).mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder / kind, suffix=".tmp")
        with os.fdopen(handle, "wb") as fh:
            np.savez(fh, allow_pickle=False, **arrays)
        os.replace(tmp, folder / kind / f"{key}.npz")
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
