"""Named programs (A, B) per side: what was kept, which one is on, and how to switch.

A trainee keeps a side's applied program under a name with the ``save_program`` action
and switches back to it with an ordinary ``set`` carrying the kept contacts, amplitude,
pulse width and frequency (:func:`switch_action`). Nothing is stored beside the log:
the kept programs are read back from it, so a replayed or reopened session has them too,
and switching is judged by the safety rule like any other ``set`` (going back to a
program examined without side effects is not a jump).

Pure Python over the typed log; nothing here models the patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dbssim.physics.program import Setting
from dbssim.session.actions import PROGRAM_NAMES
from dbssim.session.log import LogEntry, SaveProgramEntry
from dbssim.session.setting_text import describe_setting

__all__ = [
    "PROGRAM_NAMES",
    "active_name",
    "named_program_rows",
    "named_programs",
    "switch_action",
]


def named_programs(entries: Iterable[LogEntry]) -> dict[str, dict[str, Setting]]:
    """Side → name → the program last kept under that name, in name order."""
    kept: dict[str, dict[str, Setting]] = {}
    for entry in entries:
        if isinstance(entry, SaveProgramEntry):
            kept.setdefault(entry.side, {})[entry.name] = entry.setting
    return {
        side: {n: by_name[n] for n in PROGRAM_NAMES if n in by_name}
        for side, by_name in kept.items()
    }


def active_name(kept: Mapping[str, Setting], applied: Setting | None) -> str | None:
    """The name of the kept program that is the applied one (the first, if several), or None."""
    if applied is None:
        return None
    for name, setting in kept.items():
        if setting == applied:
            return name
    return None


def switch_action(entries: Iterable[LogEntry], side: str, name: str) -> dict[str, Any]:
    """The ``set`` action that applies the program kept as ``name`` on ``side``.

    Raises
    ------
    ValueError
        When no program is kept under that name on that side (the message names the
        side, the name and the names kept).
    """
    kept = named_programs(entries).get(side, {})
    if name not in kept:
        have = ", ".join(kept) or "none yet"
        raise ValueError(
            f"name: no program {name!r} is kept on the {side} side (kept: {have}); "
            f"save the applied program as {name} first"
        )
    fields = kept[name].model_dump(exclude_none=True)
    return {"action": "set", "side": side, **fields}


def named_program_rows(
    entries: Iterable[LogEntry], applied: Mapping[str, Setting | None]
) -> list[dict[str, Any]]:
    """Rows for the debrief and the report: side, name, program in words, active at the end."""
    rows = []
    for side, kept in named_programs(entries).items():
        active = active_name(kept, applied.get(side))
        for name, setting in kept.items():
            rows.append(
                {
                    "side": side,
                    "name": name,
                    "program": describe_setting(setting),
                    "active": name == active,
                }
            )
    return rows
