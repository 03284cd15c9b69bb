"""What the trainee has seen and done so far: the last exam, the patient's words, the log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from dbssim.session.attribution import leads_for
from dbssim.session.engine import Session
from dbssim.session.log import ExamEntry
from dbssim.ui import log_rows
from dbssim.ui.lead_status import LEAD_NAMES

ITEM_WIDTH_PX = 190  # "Speech and swallowing" whole in the table's font
NUMBER_WIDTH_PX = 60  # "Score" and a two-digit value


def latest_exam(current: Session) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """The last exam's log entry and its result; None (and a caption saying so) before any."""
    entry = log_rows.last_result(current.log, "examine")
    if entry is None:
        st.caption("No exam yet.")
        return None
    return entry, entry.get("result") or {}


def attributed_signs(current: Session) -> list[str]:
    """The last exam's signs, each with the lead it belongs to (issue 11, finding 1)."""
    last = None
    for step in current.walk():
        if isinstance(step.entry, ExamEntry):
            last = step
    if last is None or not isinstance(last.entry, ExamEntry):
        return []
    out = []
    for finding in last.entry.findings:
        leads = leads_for(finding, last)
        names = " or ".join(LEAD_NAMES.get(s, s).lower() for s in leads) or "no lead delivering"
        out.append(f"{finding.sign} — *{names}*")
    return out


def last_exam(current: Session) -> None:
    """The most recent exam as a table, with the signs the examiner saw."""
    latest = latest_exam(current)
    if latest is None:
        return
    entry, result = latest
    st.markdown(
        f"**Last exam** — day {entry.get('day', 0)}, minute {float(entry.get('minute', 0)):.0f}: "
        f"{current.patient.scale.name} total **{float(result.get('total', 0)):g}** "
        f"(baseline {sum(current.patient.baseline.values()):g})"
    )
    rows = log_rows.exam_rows(result, current.patient.scale)
    st.container(key="exam_table").dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(rows) + 1) + 3, 530),
        column_config={
            # The item names are long ("Speech and swallowing", 21 characters): fixed widths
            # give them the room, and the three columns (~300 px) still fit a 390 px phone.
            "item": st.column_config.TextColumn("Item", width=ITEM_WIDTH_PX),
            "score": st.column_config.NumberColumn("Score", format="%g", width=NUMBER_WIDTH_PX),
            "max": st.column_config.NumberColumn("Max", format="%g", width=NUMBER_WIDTH_PX),
        },
    )
    signs = attributed_signs(current)
    if signs:
        st.warning(
            "**Signs seen**\n" + "\n".join(f"- {sign}" for sign in signs),
            icon=":material/visibility:",
        )
    else:
        st.caption("No side effect seen.")


def patient_words(current: Session, n: int = 3) -> None:
    """The patient's answers to the last few questions, as quotes."""
    asked = [e for e in current.log if e.get("action", {}).get("action") == "ask"][-n:]
    if not asked:
        st.caption("You have not asked the patient yet.")
        return
    for entry in reversed(asked):
        reports = (entry.get("result") or {}).get("reports", [])
        quote = "  \n".join(f"“{r}”" for r in reports) or "…"
        st.markdown(
            f"> {quote}\n>\n> — *the patient, day {entry.get('day', 0)}, "
            f"minute {float(entry.get('minute', 0)):.0f}*"
        )


def log_table(current: Session, key: str = "log_table") -> None:
    rows = log_rows.log_rows(current.to_records())
    if not rows:
        st.caption("Nothing logged yet.")
        return
    height = min(320, 35 * (len(rows) + 1) + 3)  # no empty rows under a short log
    st.container(key=key).dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=height,
        column_config={
            "step": st.column_config.NumberColumn("Step", width="small"),
            "day": st.column_config.NumberColumn("Day", width="small"),
            "minute": st.column_config.NumberColumn("Minute", width="small", format="%.0f"),
            "action": st.column_config.TextColumn("Action", width="small"),
            "what happened": st.column_config.TextColumn("What happened", width="large"),
        },
    )
