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
from functools import lru_cache
from typing import Any

import numpy as np

from dbssim.patient.evaluation import check_program
from dbssim.patient.exam import ask_patient, examine
from dbssim.patient.patient_draws import SESSION_STREAMS, draw_patient_for_seed
from dbssim.patient.response import DAY_S, MINUTE_S
from dbssim.patient.scenario_files import ScenarioError
from dbssim.patient.scenario_library import load_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.patient.time_course import PatientState, advance, mark_setting_change, set_medication
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program, Setting
from dbssim.physics.safety import (
    CHARGE_DENSITY_LIMIT_UC_CM2,
    compute_charge_density_uc_cm2,
    compute_teed_uw,
    estimate_battery_months,
)
from dbssim.session.actions import (
    MAX_WAIT_MINUTES,
    AskAction,
    ExamineAction,
    FinishAction,
    MedicationAction,
    RecordThresholdAction,
    SessionError,
    SetAction,
    StimOffAction,
    StimOnAction,
    VisitAction,
    WaitAction,
    _Action,
    parse_action,
    summarise,
)

# Clinic time each action takes, minutes (teaching values, from the brief); a settings
# change also takes the device's soft-start ramp.
ACTION_MINUTES = {
    "set": 0.5,
    "stim_on": 0.5,
    "stim_off": 0.5,
    "examine": 3.0,  # a targeted examination of the rated regions
    "ask": 1.0,
    "wait": 0.0,  # the requested minutes
    "record_threshold": 0.5,
    "visit": 0.0,  # days pass between visits; no clinic time
    "finish": 0.0,
    "medication": 1.0,
}
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
        self.thresholds: list[dict[str, Any]] = []
        self.log: list[dict[str, Any]] = []
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
        result = handler(parsed)
        entry = {
            "index": len(self.log),
            "action": given,
            "day": self.day,
            "minute": round(self.minute, 4),
            "result": result,
        }
        self.log.append(entry)
        return copy.deepcopy(entry)

    def actions(self) -> list[dict[str, Any]]:
        """The action dicts as given, in order (for replay)."""
        return [copy.deepcopy(e["action"]) for e in self.log]

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
        if a.side not in self.patient.sides:
            raise SessionError(
                "side",
                f"'{a.side}': this patient has no {a.side} lead; "
                f"implanted: {', '.join(self.patient.sides)}",
            )
        if (a.amplitude_ma is None) == (a.amplitude_v is None):
            raise SessionError(
                "amplitude_ma",
                "give exactly one of amplitude_ma or amplitude_v (got "
                f"amplitude_ma={a.amplitude_ma!r}, amplitude_v={a.amplitude_v!r})",
            )
        device = self.patient.device
        if a.amplitude_ma is not None and "current" not in device.modes:
            raise SessionError(
                "amplitude_ma", f"{device.name} is voltage-controlled; give amplitude_v in V"
            )
        setting = Setting(**a.model_dump(exclude={"action", "side"}))
        try:
            check_program(self.patient, Program.model_validate({a.side: setting.model_dump()}))
            for name in ("amplitude_ma", "amplitude_v", "pulse_width_us", "frequency_hz"):
                value = getattr(setting, name)
                if value is not None:
                    device.check_on_grid(value, f"{a.side}.{name}")
        except ValueError as exc:
            raise SessionError(_field_of(str(exc), SetAction), _message_of(str(exc))) from None
        currents = self.patient.sides[a.side].currents_ma(setting)
        if np.abs(currents).max() > device.contact_max_ma + 1e-9:
            field = "amplitude_ma" if a.amplitude_ma is not None else "amplitude_v"
            raise SessionError(
                field,
                f"{np.abs(currents).max():.2f} mA on one contact exceeds what {device.name} "
                f"allows per contact ({device.contact_max_ma:g} mA)",
            )
        return setting

    def _do_set(self, a: SetAction) -> dict[str, Any]:
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
        density = float(
            compute_charge_density_uc_cm2(currents, setting.pulse_width_us, model.lead).max()
        )
        self.programs[a.side] = setting
        self.state = mark_setting_change(self.state, a.side)
        self._pass_minutes(ACTION_MINUTES["set"] + self.patient.device.ramp_s / 60.0)
        over = density > CHARGE_DENSITY_LIMIT_UC_CM2
        warnings = (
            [
                f"{a.side}: charge density {density:.1f} µC/cm² exceeds the "
                f"{CHARGE_DENSITY_LIMIT_UC_CM2:g} µC/cm² limit"
            ]
            if over
            else []
        )
        return {
            "side": a.side,
            "program": setting.model_dump(exclude_none=True),
            "current_ma": round(_cathodic_ma(currents), 3),
            "jump_ma": round(rise_ma, 3),
            "stimulation_on": self.stimulation_on,
            "charge_density_uc_cm2": round(density, 3),
            "over_limit": over,
            "warnings": warnings,
        }

    def _do_stim_on(self, a: StimOnAction) -> dict[str, Any]:
        if not self.stimulation_on:
            for side, program in self.programs.items():
                if program is not None:
                    self.state = mark_setting_change(self.state, side)
        self.stimulation_on = True
        self._pass_minutes(ACTION_MINUTES["stim_on"])
        status = self.safety_status()
        return {
            "stimulation_on": True,
            "over_limit_sides": [s for s, v in status.items() if v["over_limit"]],
        }

    def _do_stim_off(self, a: StimOffAction) -> dict[str, Any]:
        self.stimulation_on = False
        self._pass_minutes(ACTION_MINUTES["stim_off"])
        return {"stimulation_on": False}

    def _do_examine(self, a: ExamineAction) -> dict[str, Any]:
        self._pass_minutes(ACTION_MINUTES["examine"])
        exam = examine(self.patient, self.state, self._exam_rng)
        return {"items": dict(exam.items), "total": round(exam.total, 2), "signs": exam.signs}

    def _do_ask(self, a: AskAction) -> dict[str, Any]:
        self._pass_minutes(ACTION_MINUTES["ask"])
        return {"reports": ask_patient(self.patient, self.state)}

    def _do_wait(self, a: WaitAction) -> dict[str, Any]:
        self._pass_minutes(a.minutes)
        return {"waited_minutes": a.minutes}

    def _do_record_threshold(self, a: RecordThresholdAction) -> dict[str, Any]:
        if a.side not in self.patient.sides:
            raise SessionError("side", f"'{a.side}': this patient has no {a.side} lead")
        lead = self.patient.sides[a.side].lead
        try:
            label = lead.contacts[lead.contact_index(a.contact)].label
        except KeyError:
            raise SessionError(
                "contact",
                f"'{a.contact}' is not a contact of {lead.name}; allowed: {', '.join(lead.labels)}",
            ) from None
        if (a.amplitude_ma is None) == (a.amplitude_v is None):
            raise SessionError("amplitude_ma", "give exactly one of amplitude_ma or amplitude_v")
        device = self.patient.device
        try:
            if a.amplitude_ma is not None:
                device.check_amplitude_ma(a.amplitude_ma)
            else:
                device.check_amplitude_v(a.amplitude_v or 0.0)
        except ValueError as exc:
            raise SessionError(_field_of(str(exc), RecordThresholdAction), str(exc)) from None
        self._pass_minutes(ACTION_MINUTES["record_threshold"])
        record: dict[str, Any] = {"side": a.side, "contact": label, "kind": a.kind}
        if a.amplitude_ma is not None:
            record["amplitude_ma"] = a.amplitude_ma
        else:
            record["amplitude_v"] = a.amplitude_v
        record |= {"note": a.note, "day": self.day, "minute": round(self.minute, 4)}
        self.thresholds.append(record)
        return dict(record)

    def _do_visit(self, a: VisitAction) -> dict[str, Any]:
        self.state = advance(self.patient, self.state, self.active_settings(), a.after_days * DAY_S)
        self.day += a.after_days
        self.minute = 0.0
        return {"after_days": a.after_days, "day": self.day}

    def _do_medication(self, a: MedicationAction) -> dict[str, Any]:
        if self.patient.scenario.levodopa_response is None:
            raise SessionError("action", "this case has no medication to give or withhold")
        self.state = set_medication(self.state, a.state == "on")
        self._pass_minutes(ACTION_MINUTES["medication"])
        return {"medication_on": self.state.medication_on}

    @property
    def medication_on(self) -> bool:
        """PD: whether levodopa has been taken (its effect builds over ~an hour)."""
        return self.state.medication_on

    def _do_finish(self, a: FinishAction) -> dict[str, Any]:
        self.finished = True
        return {"finished": True, "clinic_minutes": round(self.clinic_minutes, 4)}

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
        rows: dict[str, dict[str, Any]] = {}
        for side, program in self.programs.items():
            density, teed = 0.0, 0.0
            if program is not None:
                model = self.patient.sides[side]
                currents = model.currents_ma(program)
                pw = program.pulse_width_us
                density = float(compute_charge_density_uc_cm2(currents, pw, model.lead).max())
                teed = compute_teed_uw(currents, model.impedances_ohm, pw, program.frequency_hz)
            rows[side] = {
                "charge_density_uc_cm2": round(density, 3),
                "limit": CHARGE_DENSITY_LIMIT_UC_CM2,  # µC/cm² per phase
                "over_limit": density > CHARGE_DENSITY_LIMIT_UC_CM2,
                "teed_uw": round(teed, 2),
            }
        months = estimate_battery_months(sum(r["teed_uw"] for r in rows.values()))
        for r in rows.values():
            r["battery_months"] = round(months, 1)
        return rows

    def to_records(self) -> list[dict[str, Any]]:
        """Flat rows (index, action, day, minute, summary) for tables and exports."""
        return [
            {
                "index": e["index"],
                "action": e["action"]["action"],
                "day": e["day"],
                "minute": e["minute"],
                "summary": summarise(e),
            }
            for e in self.log
        ]


def _field_of(message: str, model: type[_Action]) -> str:
    """The action key a core error message names (``left.amplitude_ma: ...`` → amplitude_ma)."""
    head = message.split(":", 1)[0].strip()
    last = head.split(".")[-1]
    if last in ("left", "right"):
        return "side"
    return last if last in model.model_fields else "action"


def _message_of(message: str) -> str:
    parts = message.split(":", 1)
    return parts[1].strip() if len(parts) == 2 else message
