"""Session actions: the strict action models, their parser and the clinic time each takes.

An action is a dict such as ``{"action": "set", "side": "left", ...}``; the
parser names the field, the value and what is allowed when it refuses one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from dbssim.errors import InputError
from dbssim.validation import closest_name

MAX_WAIT_MINUTES = 480.0  # one clinic day (teaching value)
MAX_LEDD_MG_DAY = 4000.0  # above any dose in practice (teaching value, not from literature)
MAX_VISIT_DAYS = 3650  # ten years, the longest horizon of the evaluate CLI
MAX_NOTE_CHARS = 500  # a threshold note is a short remark (teaching value)

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


class SessionError(InputError):
    """A refused action: ``field`` names the offending key, ``message`` says what is allowed."""


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class SetAction(_Action):
    action: Literal["set"]
    side: Literal["left", "right"]
    contacts: str = Field(min_length=1, max_length=200, description="e.g. '1-' or '1-,2+'")
    amplitude_ma: float | None = Field(default=None, ge=0, le=30, description="Current, mA")
    amplitude_v: float | None = Field(default=None, ge=0, le=12, description="Voltage, V")
    pulse_width_us: float = Field(gt=0, le=1000, description="Pulse width, µs")
    frequency_hz: float = Field(gt=0, le=1000, description="Frequency, Hz")


class StimOnAction(_Action):
    action: Literal["stim_on"]


class StimOffAction(_Action):
    action: Literal["stim_off"]


class ExamineAction(_Action):
    action: Literal["examine"]


class AskAction(_Action):
    action: Literal["ask"]


class WaitAction(_Action):
    action: Literal["wait"]
    minutes: float = Field(gt=0, le=MAX_WAIT_MINUTES, description="Minutes to wait")


class RecordThresholdAction(_Action):
    action: Literal["record_threshold"]
    side: Literal["left", "right"]
    contact: str = Field(
        min_length=1,
        max_length=40,
        description="Contact label, a whole level's label (ring mode) or cathodes with "
        "percentages (steered, e.g. 2a-:70,2b-:30)",
    )
    kind: Literal["efficacy", "side_effect"]
    amplitude_ma: float | None = Field(default=None, gt=0, le=30, description="Threshold, mA")
    amplitude_v: float | None = Field(
        default=None, gt=0, le=12, description="Threshold, V (voltage-controlled devices)"
    )
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class VisitAction(_Action):
    action: Literal["visit"]
    after_days: int = Field(ge=1, le=MAX_VISIT_DAYS, description="Days until the next visit")


class FinishAction(_Action):
    action: Literal["finish"]


class MedicationAction(_Action):
    """Parkinson's disease: the patient takes (on) or withholds (off) levodopa."""

    action: Literal["medication"]
    state: Literal["on", "off"]
    ledd_mg_day: float | None = Field(
        default=None,
        ge=0,
        le=MAX_LEDD_MG_DAY,
        description="The daily levodopa-equivalent dose the trainee prescribes from now on, "
        "mg/day; levodopa's benefit follows it relative to the case's pre-operative dose "
        "(absent: the dose prescribed before)",
    )


ACTION_MODELS: dict[str, type[_Action]] = {
    "set": SetAction,
    "stim_on": StimOnAction,
    "stim_off": StimOffAction,
    "examine": ExamineAction,
    "ask": AskAction,
    "wait": WaitAction,
    "record_threshold": RecordThresholdAction,
    "visit": VisitAction,
    "finish": FinishAction,
    "medication": MedicationAction,
}
_ADAPTER: TypeAdapter[Any] = TypeAdapter(
    Annotated[
        SetAction
        | StimOnAction
        | StimOffAction
        | ExamineAction
        | AskAction
        | WaitAction
        | RecordThresholdAction
        | VisitAction
        | FinishAction
        | MedicationAction,
        Field(discriminator="action"),
    ]
)


def parse_action(action: Any) -> _Action:
    """Validate one action dict; raise SessionError naming the field, value and what is allowed."""
    allowed = ", ".join(ACTION_MODELS)
    if not isinstance(action, dict):
        raise SessionError("action", f"an action must be a dict (got {type(action).__name__})")
    kind = action.get("action")
    if not isinstance(kind, str) or kind not in ACTION_MODELS:
        hint = closest_name(kind, list(ACTION_MODELS)) if isinstance(kind, str) else None
        extra = f"; did you mean '{hint}'?" if hint else ""
        raise SessionError("action", f"unknown action {kind!r}{extra}; allowed: {allowed}")
    try:
        parsed: _Action = _ADAPTER.validate_python(action)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][-1]) if len(err["loc"]) > 1 else "action"
        fields = [f for f in ACTION_MODELS[kind].model_fields if f != "action"]
        if err["type"] == "extra_forbidden":
            hint = closest_name(field, fields)
            extra = f"; did you mean '{hint}'?" if hint else ""
            listing = ", ".join(fields) or "none"
            raise SessionError(
                field, f"unknown key for '{kind}'{extra}; allowed keys: {listing}"
            ) from None
        shown = repr(err.get("input"))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise SessionError(field, f"{err['msg']} (got {shown})") from None
    return parsed
