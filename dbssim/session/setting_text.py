"""How a setting and an amplitude are written for people: the one place for that wording.

The log's summaries, the HTML report and the UI's captions and tables all describe a
side's program with :func:`describe_setting`, so the wording cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dbssim.physics.program import Setting


def describe_amplitude(amplitude_ma: float | None, amplitude_v: float | None) -> str:
    """``2.5 mA``, or ``2.5 V`` when the amplitude was given in volts (``0 V`` for neither)."""
    if amplitude_ma is not None:
        return f"{amplitude_ma:g} mA"
    return f"{amplitude_v or 0:g} V"


def describe_setting(setting: Setting | Mapping[str, Any] | None, *, compact: bool = False) -> str:
    """One side's program in words, or ``off`` when the side has none.

    Parameters
    ----------
    setting : Setting, mapping or None
        A program (a :class:`Setting` or its dict, with or without the empty amplitude).
    compact : bool
        ``False``: ``1- 2 mA, 60 µs, 130 Hz`` (sentences: log, report).
        ``True``: ``1- · 2 mA · 60 µs · 130 Hz`` (captions and table cells).

    Returns
    -------
    str
    """
    if not setting:
        return "off"
    s = setting.model_dump() if isinstance(setting, Setting) else setting
    amp = describe_amplitude(s.get("amplitude_ma"), s.get("amplitude_v"))
    pulse, rate = f"{s['pulse_width_us']:g} µs", f"{s['frequency_hz']:g} Hz"
    if compact:
        return f"{s['contacts']} · {amp} · {pulse} · {rate}"
    return f"{s['contacts']} {amp}, {pulse}, {rate}"
