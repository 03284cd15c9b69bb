"""The typed session log: one immutable record per action kind, and :func:`walk` over them.

Each record carries the action as the trainee gave it (for replay and storage), the
clinic time after it and what came of it. :func:`walk` replays a log once, the one
way to know what was programmed and whether stimulation was on at any step; the
scorer, the report and the UI's tables all read the log through it.

``to_dict`` gives the plain-dict view of a record (``index``, ``action``, ``day``,
``minute``, ``result``) that the UI and older callers read; its shape is unchanged
from the untyped log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, TypeVar

from dbssim.patient.exam import Finding
from dbssim.physics.program import Setting
from dbssim.session.setting_text import describe_amplitude, describe_setting

MINUTES_PER_DAY = 1440.0

__all__ = [
    "AskEntry",
    "ExamEntry",
    "FinishEntry",
    "LogEntry",
    "LogStep",
    "MedicationEntry",
    "ReadOnlyMapping",
    "SaveProgramEntry",
    "SetEntry",
    "StimOffEntry",
    "StimOnEntry",
    "ThresholdEntry",
    "VisitEntry",
    "WaitEntry",
    "entries_of",
    "walk",
]


class ReadOnlyMapping(Mapping[str, Any]):
    """A mapping nobody can change after it is made (unlike a mappingproxy, it pickles)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]):
        # Values are scalars (actions, item scores) or frozen models: a shallow copy is enough.
        self._data = dict(data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)


@dataclass(frozen=True, kw_only=True)
class LogEntry:
    """What every record holds: its place, the clinic time after it, the action as given.

    A record's ``result`` is, unless it says otherwise, its own fields; its summary is
    ``summary_text`` formatted with all its fields.
    """

    action: ClassVar[str]
    summary_text: ClassVar[str] = ""
    index: int
    day: int
    minute: float
    given: Mapping[str, Any] = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "given", ReadOnlyMapping(self.given))

    @property
    def t_days(self) -> float:
        """Session time after this action, in days (day + minute of the visit)."""
        return self.day + self.minute / MINUTES_PER_DAY

    def _values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def result(self) -> dict[str, Any]:
        """What came of the action, as a plain dict."""
        own = {k: v for k, v in self._values().items() if k not in _COMMON_FIELDS}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in own.items()}

    def summary(self) -> str:
        """One line describing the action and what came of it."""
        return self.summary_text.format(**self._values())

    def to_row(self) -> dict[str, Any]:
        """A flat row (index, action, day, minute, summary) for tables and exports."""
        return {
            "index": self.index,
            "action": self.action,
            "day": self.day,
            "minute": self.minute,
            "summary": self.summary(),
        }

    def to_dict(self) -> dict[str, Any]:
        """``{"index", "action", "day", "minute", "result"}``: new dicts on each call."""
        return {
            "index": self.index,
            "action": dict(self.given),
            "day": self.day,
            "minute": self.minute,
            "result": self.result(),
        }


_COMMON_FIELDS = frozenset(f.name for f in fields(LogEntry))


@dataclass(frozen=True, kw_only=True)
class SetEntry(LogEntry):
    """A side's program changed; current, jump and charge density are of the new program."""

    action: ClassVar[str] = "set"
    side: str
    setting: Setting
    current_ma: float  # cathodic current of the new program
    jump_ma: float  # the largest rise on any one contact
    stimulation_on: bool
    charge_density_uc_cm2: float
    over_limit: bool
    warnings: tuple[str, ...] = ()

    def result(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "program": self.setting.model_dump(exclude_none=True),
            "current_ma": self.current_ma,
            "jump_ma": self.jump_ma,
            "stimulation_on": self.stimulation_on,
            "charge_density_uc_cm2": self.charge_density_uc_cm2,
            "over_limit": self.over_limit,
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        extra = " (over the charge-density limit)" if self.over_limit else ""
        return f"{self.side}: {describe_setting(self.setting)}{extra}"


@dataclass(frozen=True, kw_only=True)
class StimOnEntry(LogEntry):
    """Stimulation switched on; the sides whose program is over the density limit."""

    action: ClassVar[str] = "stim_on"
    summary_text: ClassVar[str] = "stimulation on"
    over_limit_sides: tuple[str, ...] = ()

    def result(self) -> dict[str, Any]:
        return {"stimulation_on": True} | super().result()


@dataclass(frozen=True, kw_only=True)
class StimOffEntry(LogEntry):
    """Stimulation switched off (the programs are kept)."""

    action: ClassVar[str] = "stim_off"
    summary_text: ClassVar[str] = "stimulation off"

    def result(self) -> dict[str, Any]:
        return {"stimulation_on": False}


@dataclass(frozen=True, kw_only=True)
class ExamEntry(LogEntry):
    """A rater's examination: item scores, total and the findings with their body side."""

    action: ClassVar[str] = "examine"
    items: Mapping[str, float]
    total: float
    findings: tuple[Finding, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "items", ReadOnlyMapping(self.items))

    @property
    def signs(self) -> list[str]:
        """The findings' signs, most severe first."""
        return [f.sign for f in self.findings]

    def result(self) -> dict[str, Any]:
        return {"items": dict(self.items), "total": self.total, "signs": self.signs}

    def summary(self) -> str:
        signs = "; ".join(self.signs) or "no side effects seen"
        return f"exam total {self.total:g}; {signs}"


@dataclass(frozen=True, kw_only=True)
class AskEntry(LogEntry):
    """What the patient said when asked."""

    action: ClassVar[str] = "ask"
    reports: tuple[str, ...]

    def summary(self) -> str:
        return " ".join(f'"{x}"' for x in self.reports)


@dataclass(frozen=True, kw_only=True)
class WaitEntry(LogEntry):
    """Minutes waited in clinic under the current programs."""

    action: ClassVar[str] = "wait"
    summary_text: ClassVar[str] = "waited {waited_minutes:g} min"
    waited_minutes: float


@dataclass(frozen=True, kw_only=True)
class ThresholdEntry(LogEntry):
    """A threshold the trainee recorded on one contact (in mA or in V, as given)."""

    action: ClassVar[str] = "record_threshold"
    side: str
    contact: str  # the lead's own label
    kind: str  # "efficacy" or "side_effect"
    amplitude_ma: float | None = None
    amplitude_v: float | None = None
    note: str | None = None

    @property
    def amplitude(self) -> float:
        """The amplitude in whichever unit it was given."""
        return float(self.amplitude_ma if self.amplitude_ma is not None else self.amplitude_v or 0)

    def result(self) -> dict[str, Any]:
        record: dict[str, Any] = {"side": self.side, "contact": self.contact, "kind": self.kind}
        if self.amplitude_ma is not None:
            record["amplitude_ma"] = self.amplitude_ma
        else:
            record["amplitude_v"] = self.amplitude_v
        return record | {"note": self.note, "day": self.day, "minute": self.minute}

    def summary(self) -> str:
        amp = describe_amplitude(self.amplitude_ma, self.amplitude_v)
        return f"{self.kind} threshold {self.side} contact {self.contact}: {amp}"


@dataclass(frozen=True, kw_only=True)
class VisitEntry(LogEntry):
    """A follow-up visit ``after_days`` later; ``day`` is the new visit's day."""

    action: ClassVar[str] = "visit"
    summary_text: ClassVar[str] = "visit after {after_days} days (day {day})"
    after_days: int

    def result(self) -> dict[str, Any]:
        return super().result() | {"day": self.day}


@dataclass(frozen=True, kw_only=True)
class MedicationEntry(LogEntry):
    """Levodopa taken (on) or withheld (off)."""

    action: ClassVar[str] = "medication"
    medication_on: bool
    ledd_mg_day: float | None = None  # the dose prescribed from now on, if the trainee set one

    def result(self) -> dict[str, Any]:
        own = {"medication_on": self.medication_on}
        return own if self.ledd_mg_day is None else own | {"ledd_mg_day": self.ledd_mg_day}

    def summary(self) -> str:
        dose = "" if self.ledd_mg_day is None else f"; dose {self.ledd_mg_day:g} mg/day LEDD"
        return f"levodopa {'taken' if self.medication_on else 'withheld'}{dose}"


@dataclass(frozen=True, kw_only=True)
class SaveProgramEntry(LogEntry):
    """A side's applied program kept under a name (A, B): the trainee can switch back to it."""

    action: ClassVar[str] = "save_program"
    side: str
    name: str
    setting: Setting

    def result(self) -> dict[str, Any]:
        program = self.setting.model_dump(exclude_none=True)
        return {"side": self.side, "name": self.name, "program": program}

    def summary(self) -> str:
        return f"{self.side}: program {self.name} saved ({describe_setting(self.setting)})"


@dataclass(frozen=True, kw_only=True)
class FinishEntry(LogEntry):
    """The session ended after ``clinic_minutes`` of clinic time."""

    action: ClassVar[str] = "finish"
    summary_text: ClassVar[str] = "session finished"
    clinic_minutes: float

    def result(self) -> dict[str, Any]:
        return {"finished": True} | super().result()


E = TypeVar("E", bound=LogEntry)


def entries_of(entries: Iterable[LogEntry], kind: type[E]) -> list[E]:
    """The records of one kind, in log order."""
    return [e for e in entries if isinstance(e, kind)]


@dataclass(frozen=True)
class LogStep:
    """The session just after one record: what was programmed and whether it was on.

    ``settings`` and ``current_ma`` hold each side's program as last set (a side never
    set is absent), whether or not stimulation is on; ``delivered`` is what reached
    the patient. ``entry`` is the record itself: the action and what was observed.
    """

    entry: LogEntry
    settings: Mapping[str, Setting]
    current_ma: Mapping[str, float]
    stimulation_on: bool
    medication_on: bool

    @property
    def delivered(self) -> Mapping[str, Setting]:
        """The programs reaching the patient (none while stimulation is off)."""
        return self.settings if self.stimulation_on else ReadOnlyMapping({})

    def delivered_current_ma(self, side: str) -> float:
        """Cathodic current reaching the patient on one side, mA (0 while off or unset)."""
        return self.current_ma.get(side, 0.0) if self.stimulation_on else 0.0


def walk(entries: Iterable[LogEntry]) -> Iterator[LogStep]:
    """The state after each record, in order.

    A session starts with no program, stimulation off and no levodopa taken, as at a
    first programming visit; only ``set``, ``stim_on``/``stim_off`` and ``medication``
    change what the next steps see.
    """
    settings: dict[str, Setting] = {}
    current_ma: dict[str, float] = {}
    stimulation_on = medication_on = False
    for entry in entries:
        if isinstance(entry, SetEntry):
            settings[entry.side] = entry.setting
            current_ma[entry.side] = entry.current_ma
        elif isinstance(entry, StimOnEntry):
            stimulation_on = True
        elif isinstance(entry, StimOffEntry):
            stimulation_on = False
        elif isinstance(entry, MedicationEntry):
            medication_on = entry.medication_on
        yield LogStep(
            entry,
            ReadOnlyMapping(settings),
            ReadOnlyMapping(current_ma),
            stimulation_on,
            medication_on,
        )
