"""The error boundary: no traceback ever reaches a page.

Whatever a page raises is logged on the server with a short reference and the trainee
sees one line naming that reference, which an educator can look up in the server log.
Streamlit's own control flow (rerun, stop) derives from ``BaseException`` and passes.
Callbacks run before the page; ``client.showErrorDetails = "none"`` in
``.streamlit/config.toml`` keeps their tracebacks off the page as well.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

LOG = logging.getLogger("dbssim.ui")
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: readable aloud
REFERENCE_CHARS = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_CHARS))


def guarded(draw: Callable[[], None], where: str) -> None:
    """Call ``draw``; on an error log it with a reference and show one plain line instead."""
    try:
        draw()
    except Exception:
        reference = new_reference()
        LOG.exception("error %s while drawing %s", reference, where)
        st.error(
            f"Something went wrong on this page (reference {reference}). It has been "
            "logged; tell your educator the reference, or go back to the Case page.",
            icon=":material/error:",
        )
