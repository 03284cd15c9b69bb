"""Named programs A and B under a side's editor: keep the applied program, switch back.

Saving is the ``save_program`` action; switching is the ``set`` action that applies the
kept program (:func:`dbssim.session.named_programs.switch_action`), so both are in the log,
stored at once and replayed. After a switch the draft shows the program switched to.
"""

from __future__ import annotations

import streamlit as st

from dbssim.session.engine import Session
from dbssim.session.named_programs import PROGRAM_NAMES, active_name, switch_action
from dbssim.session.setting_text import describe_setting
from dbssim.ui.actions import apply_action
from dbssim.ui.control_errors import show_error
from dbssim.ui.drafts import draft_of
from dbssim.ui.program_fields import setting_dict
from dbssim.ui.state import session


def _error_key(side: str) -> str:
    return f"named_{side}"


def _save(side: str, name: str) -> None:
    apply_action({"action": "save_program", "side": side, "name": name}, _error_key(side))


def _switch(side: str, name: str) -> None:
    current = session()
    if current is None:
        return
    try:
        action = switch_action(current.entries, side, name)
    except ValueError as exc:
        st.session_state["errors"][_error_key(side)] = str(exc)
        return
    if apply_action(action, _error_key(side)) is not None:
        st.session_state["drafts"][side] = draft_of(
            current, side, setting_dict(current.programs.get(side))
        )


def named_programs(current: Session, side: str) -> None:
    """Each name's kept program (the applied one marked), a Save and a Switch button."""
    kept = current.named_programs.get(side, {})
    applied = current.programs.get(side)
    active = active_name(kept, applied)
    st.markdown("**Named programs**")
    lines = []
    for name in PROGRAM_NAMES:
        if name in kept:
            mark = " — **applied now**" if name == active else ""
            lines.append(f"- **{name}:** {describe_setting(kept[name], compact=True)}{mark}")
        else:
            lines.append(f"- **{name}:** not saved yet")
    st.markdown("\n".join(lines))
    row = st.container(horizontal=True, gap="small", key=f"named_row_{side}")
    for name in PROGRAM_NAMES:
        row.button(
            f"Save as {name}",
            key=f"save_{name}_{side}",
            on_click=_save,
            args=(side, name),
            disabled=current.finished or applied is None,
            help="Keep the applied program under this name (the draft is not saved until applied)",
        )
    for name in PROGRAM_NAMES:
        row.button(
            f"Switch to {name}",
            key=f"switch_{name}_{side}",
            on_click=_switch,
            args=(side, name),
            disabled=current.finished or name not in kept or name == active,
            type="primary" if name in kept and name != active else "secondary",
        )
    show_error(_error_key(side))
