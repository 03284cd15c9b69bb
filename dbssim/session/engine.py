"""The session engine: a clinic clock and an append-only, replayable log of actions.

A session is a small stateful shell around the pure core (STYLE 11): it holds
the virtual patient, one program per implanted side, whether stimulation is
on, the clock (day, and minute within the day's visit) and the log. Every
action is validated strictly before anything changes; a refused action
raises :class:`SessionError` and leaves no trace. The same scenario, seed and
actions always give the same log (:meth:`Session.replay`).

Randomness comes only from ``SeedSequence(seed).spawn``: stream 0 draws a
random patient, stream 1 is the rater noise of examinations.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from dbssim.errors import InputError
from dbssim.patient.evaluation import compute_side_delivery
from dbssim.patient.exam import ask_patient, examine
from dbssim.patient.patient_draws import SESSION_STREAMS, draw_patient_for_seed
from dbssim.patient.response import DAY_S, MINUTE_S
from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.scenario_library import load_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.patient.time_course import PatientState, advance, mark_setting_change, set_medication
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program, Setting
from dbssim.physics.safety import CHARGE_DENSITY_LIMIT_UC_CM2
from dbssim.session import log as session_log
from dbssim.session.actions import (
    ACTION_MINUTES,
    MAX_WAIT_MINUTES,
    AskAction,
    ExamineAction,
    FinishAction,
    MedicationAction,
    RecordThresholdAction,
    SaveProgramAction,
    SessionError,
    SetAction,
    StimOffAction,
    StimOnAction,
    VisitAction,
    WaitAction,
    parse_action,
)
from dbssim.session.named_programs import named_programs
from dbssim.session.setting_checks import action_key, check_setting, preview_setting, safety_status
from dbssim.session.threshold_names import threshold_contact

EXAM_STREAM = 1  # child stream of SeedSequence(seed); patient_draws.PATIENT_STREAM is 0

__all__ = [
    "ACTION_MINUTES",
    "MAX_WAIT_MINUTES",
    "Session",
    "SessionError",
    "parse_action",
]


@lru_cache(maxsize=16)
def _build_patient(scenario_json: str) -> VirtualPatient:
    """Precompute a patient once per scenario (patients are read-only)."""
    return VirtualPatient.from_scenario(Scenario.model_validate_json(scenario_json))


def _cathodic_ma(currents_ma: np.ndarray) -> float:
    return float(-currents_ma[currents_ma < 0].sum())


class Session:
    """One trainee's programming session on one virtual patient.

    Create with :meth:`start` or :meth:`replay`; change only through :meth:`apply`.
    """

    def __init__(
        self, scenario: Scenario, seed: int, random_patient: bool, patient: VirtualPatient
    ):
        self.scenario = scenario
        self.seed = seed
        self.random_patient = random_patient
        self.patient = patient
        self.programs: dict[str, Setting | None] = dict.fromkeys(patient.sides)
        self.stimulation_on = False
        self.day = 0
        self.minute = 0.0
        self.clinic_minutes = 0.0
        self.finished = False
        self._entries: list[session_log.LogEntry] = []
        self.state = PatientState()
        streams = np.random.SeedSequence(seed).spawn(SESSION_STREAMS)
        self._exam_rng = np.random.default_rng(streams[EXAM_STREAM])

    # --- construction ----------------------------------------------------------------
    @classmethod
    def start(cls, scenario: str | Scenario, seed: int, random_patient: bool = False) -> Session:
        """Start a session on a scenario (id, path or object) with a seed (integer >= 0)."""
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise SessionError("seed", f"must be an integer >= 0 (got {seed!r})")
        if isinstance(scenario, str):
            try:
                scenario = load_scenario(scenario)
            except ScenarioError as exc:
                raise SessionError("scenario", exc.lines[0]) from None
        if not isinstance(scenario, Scenario):
            raise SessionError("scenario", f"give a scenario id or Scenario (got {scenario!r})")
        truth = scenario
        if random_patient:
            truth = draw_patient_for_seed(scenario, int(seed))
        patient = _build_patient(truth.model_dump_json())
        return cls(scenario, int(seed), random_patient, patient)

    @classmethod
    def replay(
        cls,
        scenario: str | Scenario,
        seed: int,
        actions: list[dict[str, Any]],
        random_patient: bool = False,
    ) -> Session:
        """Rebuild a session from scenario, seed and its actions; the log comes out identical."""
        session = cls.start(scenario, seed, random_patient)
        for action in actions:
            session.apply(action)
        return session

    # --- the one way to change a session -----------------------------------------------
    def apply(self, action: dict[str, Any]) -> dict[str, Any]:
        """Validate and perform one action; append and return its log entry.

        Raises
        ------
        SessionError
            When the action is invalid or the session is finished; nothing is logged.
        """
        if self.finished:
            raise SessionError("action", "the session is finished; no further action is accepted")
        parsed = parse_action(action)
        given = copy.deepcopy(action)
        handler = getattr(self, f"_do_{action['action']}")
        entry: session_log.LogEntry = handler(parsed, given)
        self._entries.append(entry)
        return entry.to_dict()

    def _stamp(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The fields every record shares, read once the action's time has passed."""
        return {
            "index": len(self._entries),
            "day": self.day,
            "minute": round(self.minute, 4),
            "given": given,
        }

    # --- the log -------------------------------------------------------------------------
    @property
    def entries(self) -> tuple[session_log.LogEntry, ...]:
        """The typed log: one immutable record per action, in order."""
        return tuple(self._entries)

    def walk(self) -> Iterator[session_log.LogStep]:
        """The state after each action: programs, stimulation, medication, the record."""
        return session_log.walk(self._entries)

    @property
    def log(self) -> list[dict[str, Any]]:
        """The log as plain dicts (``index``, ``action``, ``day``, ``minute``, ``result``)."""
        return [e.to_dict() for e in self._entries]

    @property
    def thresholds(self) -> list[dict[str, Any]]:
        """The thresholds recorded, as plain dicts, in order."""
        return [
            e.result() for e in session_log.entries_of(self._entries, session_log.ThresholdEntry)
        ]

    def actions(self) -> list[dict[str, Any]]:
        """The action dicts as given, in order (for replay)."""
        return [dict(e.given) for e in self._entries]

    # --- time ----------------------------------------------------------------------------
    def active_settings(self) -> dict[str, Setting]:
        """Settings being delivered now (none while stimulation is off)."""
        if not self.stimulation_on:
            return {}
        return {s: p for s, p in self.programs.items() if p is not None}

    def _pass_minutes(self, minutes: float) -> None:
        self.state = advance(self.patient, self.state, self.active_settings(), minutes * MINUTE_S)
        self.minute += minutes
        self.clinic_minutes += minutes

    # --- actions (each validated fully before any state changes) -------------------------
    def _check_setting(self, a: SetAction) -> Setting:
        return check_setting(self.patient, a)

    def _do_set(self, a: SetAction, given: Mapping[str, Any]) -> session_log.SetEntry:
        setting = self._check_setting(a)
        model = self.patient.sides[a.side]
        old = self.programs[a.side]
        old_currents = (
            model.currents_ma(old) if old is not None else np.zeros(len(model.lead.contacts))
        )
        currents = model.currents_ma(setting)
        # The largest rise on any one contact: turning down is safe, moving a high
        # amplitude to a fresh contact is a jump.
        rise_ma = max(0.0, float(np.max(np.abs(currents) - np.abs(old_currents))))
        delivery = compute_side_delivery(model, setting)
        density = delivery.charge_density_uc_cm2
        self.programs[a.side] = setting
        self.state = mark_setting_change(self.state, a.side)
        self._pass_minutes(ACTION_MINUTES["set"] + self.patient.device.ramp_s / 60.0)
        over = delivery.over_limit
        warnings = (
            [
                f"{a.side}: charge density {density:.1f} µC/cm² exceeds the "
                f"{CHARGE_DENSITY_LIMIT_UC_CM2:g} µC/cm² limit"
            ]
            if over
            else []
        )
        return session_log.SetEntry(
            **self._stamp(given),
            side=a.side,
            setting=setting,
            current_ma=round(_cathodic_ma(currents), 3),
            jump_ma=round(rise_ma, 3),
            stimulation_on=self.stimulation_on,
            charge_density_uc_cm2=round(density, 3),
            over_limit=over,
            warnings=tuple(warnings),
        )

    def _do_stim_on(self, a: StimOnAction, given: Mapping[str, Any]) -> session_log.StimOnEntry:
        if not self.stimulation_on:
            for side, program in self.programs.items():
                if program is not None:
                    self.state = mark_setting_change(self.state, side)
        self.stimulation_on = True
        self._pass_minutes(ACTION_MINUTES["stim_on"])
        status = self.safety_status()
        return session_log.StimOnEntry(
            **self._stamp(given),
            over_limit_sides=tuple(s for s, v in status.items() if v["over_limit"]),
        )

    def _do_stim_off(self, a: StimOffAction, given: Mapping[str, Any]) -> session_log.StimOffEntry:
        self.stimulation_on = False
        self._pass_minutes(ACTION_MINUTES["stim_off"])
        return session_log.StimOffEntry(**self._stamp(given))

    def _do_examine(self, a: ExamineAction, given: Mapping[str, Any]) -> session_log.ExamEntry:
        self._pass_minutes(ACTION_MINUTES["examine"])
        exam = examine(self.patient, self.state, self._exam_rng)
        return session_log.ExamEntry(
            **self._stamp(given),
            items=exam.items,
            total=round(exam.total, 2),
            findings=exam.findings,
        )

    def _do_ask(self, a: AskAction, given: Mapping[str, Any]) -> session_log.AskEntry:
        self._pass_minutes(ACTION_MINUTES["ask"])
        return session_log.AskEntry(
            **self._stamp(given), reports=tuple(ask_patient(self.patient, self.state))
        )

    def _do_wait(self, a: WaitAction, given: Mapping[str, Any]) -> session_log.WaitEntry:
        self._pass_minutes(a.minutes)
        return session_log.WaitEntry(**self._stamp(given), waited_minutes=a.minutes)

    def _do_record_threshold(
        self, a: RecordThresholdAction, given: Mapping[str, Any]
    ) -> session_log.ThresholdEntry:
        if a.side not in self.patient.sides:
            raise SessionError("side", f"'{a.side}': this patient has no {a.side} lead")
        label = threshold_contact(self.patient.sides[a.side].lead, a.contact)
        if (a.amplitude_ma is None) == (a.amplitude_v is None):
            raise SessionError("amplitude_ma", "give exactly one of amplitude_ma or amplitude_v")
        device = self.patient.device
        try:
            if a.amplitude_ma is not None:
                device.check_amplitude_ma(a.amplitude_ma)
            else:
                device.check_amplitude_v(a.amplitude_v or 0.0)
        except InputError as exc:
            raise SessionError(action_key(exc.field, RecordThresholdAction), str(exc)) from None
        self._pass_minutes(ACTION_MINUTES["record_threshold"])
        return session_log.ThresholdEntry(
            **self._stamp(given),
            side=a.side,
            contact=label,
            kind=a.kind,
            amplitude_ma=a.amplitude_ma,
            amplitude_v=a.amplitude_v if a.amplitude_ma is None else None,
            note=a.note,
        )

    def _do_visit(self, a: VisitAction, given: Mapping[str, Any]) -> session_log.VisitEntry:
        self.state = advance(self.patient, self.state, self.active_settings(), a.after_days * DAY_S)
        self.day += a.after_days
        self.minute = 0.0
        return session_log.VisitEntry(**self._stamp(given), after_days=a.after_days)

    def _do_medication(
        self, a: MedicationAction, given: Mapping[str, Any]
    ) -> session_log.MedicationEntry:
        if self.patient.scenario.levodopa_response is None:
            raise SessionError("action", "this case has no medication to give or withhold")
        self.state = set_medication(self.state, a.state == "on", a.ledd_mg_day)
        self._pass_minutes(ACTION_MINUTES["medication"])
        return session_log.MedicationEntry(
            **self._stamp(given), medication_on=self.state.medication_on, ledd_mg_day=a.ledd_mg_day
        )

    def _do_save_program(
        self, a: SaveProgramAction, given: Mapping[str, Any]
    ) -> session_log.SaveProgramEntry:
        if a.side not in self.patient.sides:
            raise SessionError("side", f"'{a.side}': this patient has no {a.side} lead")
        setting = self.programs[a.side]
        if setting is None:
            raise SessionError(
                "side", f"'{a.side}': no program is applied on this side yet; apply one first"
            )
        self._pass_minutes(ACTION_MINUTES["save_program"])
        return session_log.SaveProgramEntry(
            **self._stamp(given), side=a.side, name=a.name, setting=setting
        )

    @property
    def named_programs(self) -> dict[str, dict[str, Setting]]:
        """Side → name (A, B) → the program kept under it (see :mod:`.named_programs`)."""
        return named_programs(self._entries)

    @property
    def medication_on(self) -> bool:
        """PD: whether levodopa has been taken (its effect builds over ~an hour)."""
        return self.state.medication_on

    def _do_finish(self, a: FinishAction, given: Mapping[str, Any]) -> session_log.FinishEntry:
        self.finished = True
        return session_log.FinishEntry(
            **self._stamp(given), clinic_minutes=round(self.clinic_minutes, 4)
        )

    # --- views ---------------------------------------------------------------------------
    def final_program(self) -> Program:
        """The program being delivered now (all sides off while stimulation is off)."""
        return Program.model_validate(
            {s: p.model_dump() for s, p in self.active_settings().items()}
        )

    def safety_status(self) -> dict[str, dict[str, Any]]:
        """Per implanted side: charge density of its program, the limit, TEED and battery.

        Values describe the programs as set (what switching on delivers);
        ``battery_months`` is the estimate for both sides together.
        """
        return safety_status(self.patient, self.programs)

    def preview_setting(self, side: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """What a program would deliver if applied, without applying it (nothing changes).

        ``fields`` are a ``set`` action's fields without ``action`` and ``side``. Returns the
        charge density of the contact with the most charge, the limit and whether it is
        over; raises :class:`SessionError` exactly as ``set`` would refuse the program.
        """
        return preview_setting(self.patient, side, fields)

    def to_records(self) -> list[dict[str, Any]]:
        """Flat rows (index, action, day, minute, summary) for tables and exports."""
        return [e.to_row() for e in self._entries]
