"""The scenario schema: a strict, versioned description of a virtual patient and its case sheet.

Reading files lives in :mod:`dbssim.patient.scenario_files`, the bundled folder in
:mod:`dbssim.patient.scenario_library` and random patients in :mod:`dbssim.patient.patient_draws`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from dbssim.errors import InputError
from dbssim.patient.anatomy import Vec3, load_atlas
from dbssim.patient.case_checks import schema_problems
from dbssim.patient.response import COMPONENTS, DAY_S
from dbssim.patient.scales import load_scale
from dbssim.physics.devices import get_device
from dbssim.physics.leads import get_lead
from dbssim.validation import StrictModel

Side = Literal["left", "right"]
MAX_ONSET_TAU_S = 365 * DAY_S  # an onset slower than a year is outside what the model covers
MAX_PREOP_LEDD_MG_DAY = 4000.0  # above any dose in practice (teaching value, not from literature)


class LeadPlacement(StrictModel):
    """One implanted lead: model, true pose, impedances, and what imaging reports."""

    model: str = Field(description="Lead id, e.g. medtronic-3389")
    tip_mm: Vec3 = Field(description="True tip, hemisphere-local AC–PC mm (x lateral)")
    direction: Vec3 = Field(description="Unit vector from tip up the shaft")
    rotation_deg: float = Field(default=0.0, ge=-360, le=360, description="Marker rotation")
    impedances_ohm: list[float] = Field(description="Measured impedance per contact, ohm")
    shown_tip_mm: Vec3 | None = Field(
        default=None, description="Tip as the imaging report shows it (localisation error)"
    )

    @model_validator(mode="after")
    def _check(self) -> LeadPlacement:
        lead = get_lead(self.model)
        if len(self.impedances_ohm) != len(lead.contacts):
            raise InputError(
                "impedances_ohm",
                f"{len(self.impedances_ohm)} values given, {lead.name} has "
                f"{len(lead.contacts)} contacts ({', '.join(lead.labels)})",
            )
        for z in self.impedances_ohm:
            if not 200 <= z <= 5000:
                raise InputError("impedances_ohm", f"{z} ohm is outside 200–5000 ohm")
        return self


class CaseSheet(StrictModel):
    """What the trainee reads before programming (plain text; only **bold** is kept)."""

    history: str = Field(min_length=1)
    examination: str = Field(min_length=1)
    hardware: str = Field(min_length=1)
    question: str = Field(min_length=1)


class Variability(StrictModel):
    """Optional overrides of the spread of 'a random patient like this one'.

    Absent (null) values use the published spreads in :mod:`dbssim.patient.patient_draws`;
    an author who sets one replaces the published value for that case (a teaching choice).
    """

    lead_offset_sd_mm: float | None = Field(
        default=None, ge=0, le=3, description="Placement error SD, mm, every axis"
    )
    threshold_cv: float | None = Field(default=None, ge=0, le=0.5, description="Log-normal")
    relief_cv: float | None = Field(default=None, ge=0, le=0.5, description="Log-normal")


class Scenario(StrictModel):
    """A virtual patient with its case sheet and hidden truth."""

    schema_version: Literal[1] = Field(description="Scenario schema version")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    disease: Literal["dystonia", "parkinson", "essential_tremor"]
    target: Literal["gpi", "stn", "vim"]
    scale: str
    index_component: str = Field(description="Component used for the efficacy threshold")
    age_years: int = Field(ge=5, le=100)
    sex: Literal["female", "male"]
    weeks_since_surgery: float = Field(ge=0, le=520)
    case: CaseSheet
    device: str
    amplitude_mode: Literal["current", "voltage"]
    conductivity_s_m: float = Field(default=0.1, gt=0, le=2)
    seed: int = Field(ge=0)
    leads: dict[Side, LeadPlacement] = Field(min_length=1)
    anatomy_offsets_mm: dict[str, Vec3] = Field(default_factory=dict)
    threshold_scales: dict[str, float] = Field(
        default_factory=dict, description="Per-structure threshold multiplier"
    )
    relief_scale: float = Field(
        default=1.0, gt=0, le=2.0, description="Responsiveness (multiplies maximal relief)"
    )
    onset_tau_s: dict[str, float] = Field(
        default_factory=dict,
        description="This patient's own onset time constant per symptom component, seconds "
        "(absent: the component's usual constant)",
    )
    component_weights: dict[str, float] | None = Field(
        default=None, description="Override every item's component shares (must add to 1)"
    )
    baseline: dict[str, float] = Field(description="Baseline score per scale item")
    levodopa_response: float | None = Field(
        default=None,
        ge=0,
        le=0.9,
        description="Parkinson's disease: fraction of the off-medication score a levodopa "
        "dose relieves (absent: no medication in this case)",
    )
    preop_ledd_mg_day: float | None = Field(
        default=None,
        gt=0,
        le=MAX_PREOP_LEDD_MG_DAY,
        description="Parkinson's disease: levodopa-equivalent daily dose before surgery, "
        "mg/day; the dose at which levodopa gives levodopa_response (absent: a prescribed "
        "dose does not change the response)",
    )
    variability: Variability = Field(default_factory=Variability)

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        get_device(self.device)
        scale = load_scale(self.scale)
        items = {i.id: i for i in scale.items}
        unknown = set(self.baseline) - set(items)
        if unknown:
            raise InputError(
                "baseline", f"unknown item(s) {sorted(unknown)}; allowed: {', '.join(items)}"
            )
        for item_id, score in self.baseline.items():
            if not 0 <= score <= items[item_id].max_score:
                raise InputError(
                    f"baseline.{item_id}", f"{score} is outside 0–{items[item_id].max_score:g}"
                )
        atlas = load_atlas(self.target)
        atlas.shifted(self.anatomy_offsets_mm)
        bad = set(self.threshold_scales) - set(atlas.structure_ids())
        if bad:
            raise InputError("threshold_scales", f"unknown structure(s) {sorted(bad)}")
        if self.levodopa_response is not None and self.disease != "parkinson":
            raise InputError("levodopa_response", "only meaningful for disease 'parkinson'")
        if self.preop_ledd_mg_day is not None and self.levodopa_response is None:
            raise InputError(
                "preop_ledd_mg_day", "needs levodopa_response (a case with medication)"
            )
        for name, tau in self.onset_tau_s.items():
            if name not in COMPONENTS:
                raise InputError(
                    "onset_tau_s",
                    f"unknown component '{name}'; allowed: {', '.join(COMPONENTS)}",
                    list(COMPONENTS),
                )
            if not 0 < tau <= MAX_ONSET_TAU_S:
                raise InputError(
                    f"onset_tau_s.{name}", f"{tau:g} s is outside 0–{MAX_ONSET_TAU_S:g} s (1 year)"
                )
        if self.component_weights is not None:
            total = sum(self.component_weights.values())
            if abs(total - 1) > 1e-6:
                raise InputError("component_weights", f"shares add up to {total:g}, not 1")
        problems = schema_problems(self)  # index component, NaN, zero direction, far lead
        if problems:
            field, _, message = problems[0].partition(": ")
            raise InputError(field, "; ".join([message, *problems[1:]]))
        return self
