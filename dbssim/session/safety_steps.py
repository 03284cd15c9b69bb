"""The safety deductions of a session, each tied to the step it came from.

The rule follows how a programming visit is run (docs/debrief.md, "Safety"):

- **Jump**: while stimulating, the cathodic current of a side rises by more than
  ``SAFE_STEP_MA`` at once on the *same contact configuration* (same contacts, same
  polarity and the same shares). Ramping in steps of at most 1 mA is fine.
- **High start**: a side starts delivering on a configuration it was not delivering
  on just before (a new contact, or the first switch-on) above ``START_MAX_MA``.
  Starting low and ramping is fine.
- Neither counts when the new program is **known to be tolerated**: the same
  configuration at the same or a higher current, with the same or a longer pulse, was
  delivered earlier and an exam under it showed no sign put down to that lead
  (:mod:`dbssim.session.attribution`). Going back to a tested program is not a jump.
- **Over the charge-density limit**: each time a program over the limit starts to be
  delivered (set while stimulating, or switched on).
- **Side effect left on** by the final program (added by the scorer, which knows the
  noise-free truth).

Pure Python over :func:`dbssim.session.log.walk`; nothing here models the patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from dbssim.physics.leads import Lead
from dbssim.physics.program import Setting, parse_contacts
from dbssim.session.attribution import signs_for_lead
from dbssim.session.log import ExamEntry, LogEntry, LogStep, SetEntry, StimOnEntry
from dbssim.session.setting_text import describe_setting

SAFE_STEP_MA = 1.0  # brief: steps above 1 mA at once while stimulating are unsafe
# A new contact is started low and ramped up; starting at up to 3 mA is common practice in
# a monopolar review of a chronically implanted lead (teaching value, not from literature).
START_MAX_MA = 3.0
PENALTY_JUMP = 10.0  # per jump or high start (teaching value)
PENALTY_DENSITY = 15.0  # per time a program over the density limit starts (teaching value)
PENALTY_SIDE_EFFECT = 25.0  # per side effect left on by the final program (teaching value)
_TOL_MA = 1e-9

__all__ = [
    "PENALTY_DENSITY",
    "PENALTY_JUMP",
    "PENALTY_SIDE_EFFECT",
    "SAFE_STEP_MA",
    "START_MAX_MA",
    "Deduction",
    "step_deductions",
]


@dataclass(frozen=True)
class Deduction:
    """Points taken off the safety score, and the step they came from."""

    kind: str  # "jump", "high_start", "density" or "side_effect_left_on"
    points: float
    step: int  # the log index of the action (the finish step for side effects left on)
    day: int
    minute: float
    side: str
    what: str  # what changed, in words
    why: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _configuration(setting: Setting, lead: Lead) -> tuple[tuple[int, int, float], ...]:
    """Contacts, polarity and shares of a setting, independent of how they were written."""
    terms = parse_contacts(setting.contacts, lead)
    return tuple(sorted((t.index, t.polarity, round(t.share, 4)) for t in terms))


@dataclass
class _Tested:
    """Per side: programs delivered with an exam showing no sign of that lead."""

    tolerated: list[tuple[tuple[tuple[int, int, float], ...], float, float]]

    def knows(self, config: tuple[tuple[int, int, float], ...], ma: float, pw: float) -> bool:
        return any(
            c == config and ma <= t_ma + _TOL_MA and pw <= t_pw + _TOL_MA
            for c, t_ma, t_pw in self.tolerated
        )


def _stamp(entry: LogEntry) -> dict[str, Any]:
    return {"step": entry.index, "day": entry.day, "minute": round(entry.minute, 1)}


def step_deductions(steps: Iterable[LogStep], leads: dict[str, Lead]) -> list[Deduction]:
    """Jumps, high starts and density violations, in log order (see the module note)."""
    tested = {side: _Tested([]) for side in leads}
    before: LogStep | None = None
    out: list[Deduction] = []
    for step in steps:
        entry = step.entry
        starting: Sequence[str] = ()
        if isinstance(entry, SetEntry) and step.stimulation_on:
            starting = (entry.side,)
        elif isinstance(entry, StimOnEntry) and not (before and before.stimulation_on):
            starting = tuple(step.settings)
        for side in starting:
            out += _check(step, before, side, leads[side], tested[side])
        if isinstance(entry, ExamEntry):
            for side in step.delivered:
                if step.delivered_current_ma(side) > 0 and not signs_for_lead(step, side):
                    setting = step.settings[side]
                    tested[side].tolerated.append(
                        (
                            _configuration(setting, leads[side]),
                            step.current_ma[side],
                            setting.pulse_width_us,
                        )
                    )
        before = step
    return out


def _check(
    step: LogStep, before: LogStep | None, side: str, lead: Lead, tested: _Tested
) -> list[Deduction]:
    entry, setting = step.entry, step.settings[side]
    new_ma = step.current_ma[side]
    old_setting = before.delivered.get(side) if before else None
    old_ma = before.delivered_current_ma(side) if before else 0.0
    what = f"{side}: {describe_setting(old_setting) if old_ma > 0 else 'off'} → " + (
        describe_setting(setting)
    )
    out = []
    over = (
        entry.over_limit
        if isinstance(entry, SetEntry)
        else isinstance(entry, StimOnEntry) and side in entry.over_limit_sides
    )
    if over:
        out.append(
            Deduction(
                "density", PENALTY_DENSITY, **_stamp(entry), side=side, what=what,
                why="the program is over the charge-density limit (30 µC/cm² per phase)",
            )
        )  # fmt: skip
    config = _configuration(setting, lead)
    if new_ma <= _TOL_MA or tested.knows(config, new_ma, setting.pulse_width_us):
        return out
    same = old_setting is not None and old_ma > 0 and _configuration(old_setting, lead) == config
    rise = new_ma - old_ma
    if same and rise > SAFE_STEP_MA + _TOL_MA:
        out.append(
            Deduction(
                "jump", PENALTY_JUMP, **_stamp(entry), side=side, what=what,
                why=f"the current rose by {rise:.1f} mA at once on the same contacts while "
                f"stimulating (more than {SAFE_STEP_MA:g} mA); raise in steps so a side "
                "effect shows before it is strong",
            )
        )  # fmt: skip
    elif not same and new_ma > START_MAX_MA + _TOL_MA:
        out.append(
            Deduction(
                "high_start", PENALTY_JUMP, **_stamp(entry), side=side, what=what,
                why=f"a configuration not yet tested was started at {new_ma:.1f} mA (above "
                f"{START_MAX_MA:g} mA); start a new contact low and ramp up",
            )
        )  # fmt: skip
    return out
