"""Scenario files: a strict, versioned schema for a virtual patient and its case sheet.

Bundled scenarios are YAML files in ``scenarios/`` at the repository root and
are installed with the package under ``dbssim/data/scenarios`` (the same files).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import Field, ValidationError, model_validator

from dbssim.errors import InputError, first_line
from dbssim.patient.anatomy import Vec3, load_atlas
from dbssim.patient.case_checks import schema_problems
from dbssim.patient.scales import load_scale
from dbssim.physics.devices import get_device
from dbssim.physics.leads import get_lead
from dbssim.validation import StrictModel, closest_name, load_yaml, validation_problems

Side = Literal["left", "right"]
MAX_SCENARIO_BYTES = 256_000  # a case file is text; anything larger is refused
FILE_FIELD = "(file)"  # a problem of the whole file, not of one field
TOO_DEEP = "nested too deeply to be a scenario (a scenario nests 4 levels deep)"


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
    """Spread of 'a random patient like this one' (one seeded draw)."""

    lead_offset_sd_mm: float = Field(default=0.5, ge=0, le=3, description="Per axis, mm")
    threshold_cv: float = Field(default=0.1, ge=0, le=0.5, description="Log-normal spread")
    relief_cv: float = Field(default=0.1, ge=0, le=0.5, description="Log-normal spread")


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
    relief_scale: float = Field(default=1.0, gt=0, le=1.5, description="Responsiveness")
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
        if self.component_weights is not None:
            total = sum(self.component_weights.values())
            if abs(total - 1) > 1e-6:
                raise InputError("component_weights", f"shares add up to {total:g}, not 1")
        problems = schema_problems(self)  # index component, NaN, zero direction, far lead
        if problems:
            field, _, message = problems[0].partition(": ")
            raise InputError(field, "; ".join([message, *problems[1:]]))
        return self


class ScenarioError(InputError):
    """A scenario failed validation.

    ``problems`` holds every problem found, each with its field path; ``field`` and
    ``message`` are those of the first.
    """

    def __init__(self, problems: Sequence[InputError]):
        found = list(problems) or [InputError("(file)", "not a valid scenario")]
        super().__init__(found[0].field, found[0].message, found[0].allowed)
        self.args = (found,)
        self.problems = found

    @classmethod
    def at(cls, field: str, message: str) -> ScenarioError:
        """A scenario error with one problem."""
        return cls([InputError(field, message)])

    @property
    def lines(self) -> list[str]:
        """Every problem as a ``field: message`` line."""
        return [str(p) for p in self.problems]

    def __str__(self) -> str:
        return "; ".join(self.lines)


MAX_NESTING_DEPTH = 20  # a scenario nests 4 levels deep; room for authored extras


def _nesting_depth(data: object) -> int:
    """How deeply lists and mappings nest in parsed YAML (iterative: no recursion limit)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def parse_scenario(text: str, expected_id: str | None = None) -> Scenario:
    """Parse and validate scenario YAML text (safe loader, size-limited)."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioError.at(FILE_FIELD, f"larger than {MAX_SCENARIO_BYTES} bytes")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ScenarioError.at(FILE_FIELD, first_line(f"not valid YAML: {exc}")) from None
    except RecursionError:  # e.g. thousands of nested brackets (pure-Python loader)
        raise ScenarioError.at(FILE_FIELD, TOO_DEEP) from None
    if _nesting_depth(data) > MAX_NESTING_DEPTH:  # libyaml loads them without complaint
        raise ScenarioError.at(FILE_FIELD, TOO_DEEP)
    if not isinstance(data, dict):
        raise ScenarioError.at(FILE_FIELD, "a scenario must be a mapping of keys to values")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, Scenario)) from exc
    if expected_id is not None and scenario.id != expected_id:
        raise ScenarioError.at("id", f"'{scenario.id}' must equal the file name '{expected_id}'")
    return scenario


def load_scenario_file(path: str | Path) -> Scenario:
    """Load a scenario from a YAML file; its id must equal the file stem."""
    p = Path(path)
    if not p.exists():
        raise ScenarioError.at(FILE_FIELD, f"no such file {p}")
    if not p.is_file():
        raise ScenarioError.at(FILE_FIELD, f"{p} is not a regular file")
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError.at(FILE_FIELD, f"larger than {MAX_SCENARIO_BYTES} bytes")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError.at(FILE_FIELD, f"{p} is not UTF-8 text") from None
    return parse_scenario(text, expected_id=p.stem)


def scenarios_dir() -> Path:
    """Folder of the bundled scenarios.

    In a checkout ``dbssim/data/scenarios`` is a link to the top-level ``scenarios/`` (where
    users look for them); a wheel holds a copy of the files.
    """
    return Path(__file__).resolve().parents[1] / "data" / "scenarios"


def list_scenario_ids() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


def load_scenario(scenario_id_or_path: str) -> Scenario:
    """Load a bundled scenario by id, or any scenario file by path."""
    if scenario_id_or_path.endswith((".yaml", ".yml")):
        return load_scenario_file(scenario_id_or_path)
    ids = list_scenario_ids()
    if scenario_id_or_path not in ids:
        hint = closest_name(scenario_id_or_path, ids)
        extra = f"; did you mean '{hint}'?" if hint else ""
        raise ScenarioError(
            [
                InputError(
                    "scenario",
                    f"unknown scenario '{scenario_id_or_path}'{extra}; known: {', '.join(ids)}",
                    ids,
                )
            ]
        )
    return load_scenario_file(scenarios_dir() / f"{scenario_id_or_path}.yaml")


def draw_similar_patient(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """One random patient like this one: lead offsets, thresholds and responsiveness drawn."""
    v = scenario.variability
    leads = {}
    for side, placement in scenario.leads.items():
        offset = rng.normal(0.0, v.lead_offset_sd_mm, size=3)
        tip = tuple(float(a + b) for a, b in zip(placement.tip_mm, offset, strict=True))
        leads[side] = placement.model_dump() | {"tip_mm": tip}
    structures = load_atlas(scenario.target).structure_ids()
    scales = {
        s: float(scenario.threshold_scales.get(s, 1.0) * rng.lognormal(0.0, v.threshold_cv))
        for s in structures
    }
    relief = float(np.clip(scenario.relief_scale * rng.lognormal(0.0, v.relief_cv), 0.3, 1.5))
    return scenario.revalidated(
        id=f"{scenario.id}-draw",
        leads=leads,
        threshold_scales=scales,
        relief_scale=relief,
        title=f"{scenario.title} (a random patient like this one)",
    )
