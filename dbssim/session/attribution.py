"""Which lead an exam finding belongs to: what a clinician can tell by looking.

A lead acts on the opposite side of the body, so a sign seen on the left hand is the
right lead's, whatever else is switched on. A sign that shows no side (slurred speech,
a squint) can come from any lead that is delivering current, and from no lead that is
off or at 0 mA: it is put down to every lead delivering current, and marked as shared
when there are two. This module reads the log only (no model of the patient).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dbssim.patient.exam import Finding
from dbssim.patient.virtual_patient import BODY_SIDE_OF_LEAD
from dbssim.session.log import ExamEntry, LogStep

NO_BODY_SIDE = "none"

__all__ = ["LeadSign", "lead_of_body_side", "leads_for", "seen_signs", "signs_for_lead"]


@dataclass(frozen=True)
class LeadSign:
    """A sign put down to one lead; ``shared`` when another lead delivering may cause it too."""

    sign: str
    body_side: str
    shared: bool

    def label(self) -> str:
        """The sign, with a note when it cannot be told apart between the leads."""
        return f"{self.sign} (no body side: either lead)" if self.shared else self.sign


def lead_of_body_side(body_side: str) -> str | None:
    """The lead that acts on this side of the body (``left`` body → ``right`` lead)."""
    for lead, body in BODY_SIDE_OF_LEAD.items():
        if body == body_side:
            return lead
    return None


def delivering_leads(step: LogStep) -> list[str]:
    """The leads delivering current at this step (programmed above 0 and switched on)."""
    return [side for side in step.delivered if step.delivered_current_ma(side) > 0]


def leads_for(finding: Finding, step: LogStep) -> list[str]:
    """The leads a finding is put down to at this step (see the module note)."""
    if finding.body_side != NO_BODY_SIDE:
        lead = lead_of_body_side(finding.body_side)
        return [lead] if lead is not None and lead in step.delivered else []
    return delivering_leads(step)


def signs_for_lead(step: LogStep, side: str) -> list[LeadSign]:
    """The signs of this step's exam that belong to ``side`` (none if it is no exam)."""
    exam = step.entry
    if not isinstance(exam, ExamEntry):
        return []
    out = []
    for finding in exam.findings:
        leads = leads_for(finding, step)
        if side in leads:
            out.append(LeadSign(finding.sign, finding.body_side, shared=len(leads) > 1))
    return out


def seen_signs(steps: Iterable[LogStep]) -> list[dict[str, Any]]:
    """Every sign the trainee saw in an exam, with its lead, when it was first and last seen,
    and whether the last exam still showed it; ``late`` when it first showed at a follow-up
    visit (after day 0) — what a debrief must not leave out."""
    seen: dict[str, dict[str, Any]] = {}
    last_exam: set[str] = set()
    for step in steps:
        exam = step.entry
        if not isinstance(exam, ExamEntry):
            continue
        last_exam = set()
        for finding in exam.findings:
            leads = leads_for(finding, step)
            row = seen.setdefault(
                finding.sign,
                {
                    "sign": finding.sign,
                    "leads": [],
                    "first_day": exam.day,
                    "first_minute": round(exam.minute, 1),
                    "late": exam.day > 0,
                },
            )
            row["leads"] = sorted(set(row["leads"]) | set(leads))
            row["last_day"], row["last_minute"] = exam.day, round(exam.minute, 1)
            last_exam.add(finding.sign)
    return [row | {"at_last_exam": row["sign"] in last_exam} for row in seen.values()]
