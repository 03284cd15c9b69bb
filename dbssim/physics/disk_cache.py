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
    """Folder of the cache, or None when it is turned off."""
    configured = os.environ.get("DBSSIM_CACHE_DIR")
    if configured is not None:
        if configured.strip().lower() in ("", "off", "0", "none"):
            return None
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dbssim"


def cache_key(description: dict[str, Any], *arrays: np.ndarray) -> str:
    """A name for an entry: hash of a JSON description and of the bytes of some arrays."""
    digest = hashlib.sha256(json.dumps(description, sort_keys=True).encode())
    for array in arrays:
        contiguous = np.ascontiguousarray(array)
        digest.update(f"{contiguous.dtype.str}{contiguous.shape}".encode())
        digest.update(contiguous.tobytes())
    return digest.hexdigest()[:40]


def load_arrays(kind: str, key: str) -> dict[str, np.ndarray] | None:
    """The arrays saved under ``kind/key``, or None (missing, damaged or cache off)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with np.load(folder / kind / f"{key}.npz", allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError, EOFError):
        return None


def save_arrays(kind: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Save arrays under ``kind/key``; silently does nothing if that fails."""
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
