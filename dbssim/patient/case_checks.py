"""Semantic case checks: what a case's types cannot say about whether it makes sense.

Two kinds, shared by ``dbssim validate``, the upload and the authoring form:

- :func:`schema_problems` (errors): the index component is one the scale uses, every
  number finite, each lead direction a usable (non-zero) vector pointing up the shaft,
  each lead near its target. The scenario schema calls it, so a case that fails here can
  never be loaded, anywhere (a zero direction or a NaN tip used to pass validation and
  crash every page that built the patient).
- :func:`simulated_warnings` (warnings): the noise-free monopolar review of each lead must
  show a usable therapeutic window on at least one contact. A case may be meant to be hard
  (a misplaced lead is a lesson), so this is reported, not refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from dbssim.patient.anatomy import load_atlas
from dbssim.patient.scales import load_scale
from dbssim.physics.leads import get_lead
from dbssim.validation import closest_name

if TYPE_CHECKING:
    from dbssim.patient.scenario import LeadPlacement, Scenario

# No contact this far from the target nucleus's centre: every contact lies outside the
# nucleus (the largest semi-axis in the atlases is 7 mm, GPi) and beyond the neighbours a
# misplaced lead stimulates; such a file has a units, sign or hemisphere mistake.
MAX_TARGET_DISTANCE_MM = 10.0  # teaching value, not from literature
# A direction this far from unit length is scaled to unit length, with a warning.
DIRECTION_NORM_TOLERANCE = 0.05  # teaching value, not from literature
MIN_DIRECTION_NORM = 1e-6  # numerical choice: below this a direction has no meaning
# The widest window a lead needs for the case to be programmable in the usual way.
MIN_USEFUL_WINDOW_MA = 1.0  # teaching value, not from literature


@dataclass(frozen=True)
class CaseCheck:
    """What the checks found: ``errors`` refuse the case, ``warnings`` are shown with it."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def non_finite_paths(value: Any, path: str = "") -> Iterator[str]:
    """Field paths of every NaN or infinite number inside plain data."""
    if isinstance(value, float) and not math.isfinite(value):
        yield path or "(top level)"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from non_finite_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from non_finite_paths(item, f"{path}.{n}")


def _contact_span_mm(placement: LeadPlacement) -> tuple[np.ndarray, np.ndarray]:
    """The two ends of a lead's contact array in atlas mm (lowest and highest contact centre)."""
    lead = get_lead(placement.model)
    tip = np.asarray(placement.tip_mm, dtype=float)
    direction = np.asarray(placement.direction, dtype=float)
    direction = direction / np.linalg.norm(direction)
    heights = [c.z_centre_mm for c in lead.contacts]
    return tip + min(heights) * direction, tip + max(heights) * direction


def distance_to_target_mm(scenario: Scenario, placement: LeadPlacement) -> float:
    """Distance from the target nucleus's centre to the nearest point of the contact array."""
    atlas = load_atlas(scenario.target).shifted(dict(scenario.anatomy_offsets_mm))
    centre = np.asarray(next(r.centre_mm for r in atlas.regions if r.id == scenario.target))
    low, high = _contact_span_mm(placement)
    span = high - low
    t = float(np.clip((centre - low) @ span / float(span @ span), 0.0, 1.0))
    return float(np.linalg.norm(low + t * span - centre))


def geometry_problems(scenario: Scenario) -> list[str]:
    """Errors that make a case unusable: non-finite numbers, unusable directions, far leads."""
    bad = list(non_finite_paths(scenario.model_dump()))
    if bad:
        return [f"{path}: must be a finite number (got NaN or infinity)" for path in bad]
    problems = []
    for side, placement in scenario.leads.items():
        where = f"leads.{side}.direction"
        norm = math.sqrt(sum(c * c for c in placement.direction))
        if norm < MIN_DIRECTION_NORM:
            problems.append(
                f"{where}: {list(placement.direction)} has no length; give the unit vector "
                "from the tip up the shaft, e.g. [0.15, 0.45, 0.88]"
            )
            continue
        if placement.direction[2] <= 0:
            problems.append(
                f"{where}: {list(placement.direction)} points down or sideways; the shaft "
                "runs up from the tip to the burr hole, so the z component must be positive"
            )
            continue
        distance = distance_to_target_mm(scenario, placement)
        if distance > MAX_TARGET_DISTANCE_MM:
            problems.append(
                f"leads.{side}.tip_mm: the nearest contact is {distance:.0f} mm from the "
                f"{scenario.target.upper()} centre; at most {MAX_TARGET_DISTANCE_MM:g} mm "
                "allowed (coordinates are hemisphere-local AC–PC mm, x lateral)"
            )
    return problems


def reference_problems(scenario: Scenario) -> list[str]:
    """Names the schema's types cannot check: the index component must be one the scale uses."""
    scale = load_scale(scenario.scale)
    used = list(scenario.component_weights or {})
    for item in scale.items:
        used += [c for c in item.components if c not in used]
    if scenario.index_component in used:
        return []
    hint = closest_name(scenario.index_component, used)
    extra = f"; did you mean '{hint}'?" if hint else ""
    return [
        f"index_component: '{scenario.index_component}' is not a component of scale "
        f"{scenario.scale}; allowed: {', '.join(used)}{extra}"
    ]


def schema_problems(scenario: Scenario) -> list[str]:
    """The checks the scenario schema runs on every case (the first kind above)."""
    return reference_problems(scenario) or geometry_problems(scenario)


def direction_warnings(scenario: Scenario) -> list[str]:
    lines = []
    for side, placement in scenario.leads.items():
        norm = math.sqrt(sum(c * c for c in placement.direction))
        if abs(norm - 1.0) > DIRECTION_NORM_TOLERANCE:
            lines.append(
                f"leads.{side}.direction: length {norm:.3g}, not 1; it is used scaled to "
                "unit length"
            )
    return lines


def simulated_warnings(scenario: Scenario) -> list[str]:
    """Warnings from the noise-free monopolar review: is any contact usable on each lead?"""
    from dbssim.patient.review import compute_review
    from dbssim.patient.virtual_patient import VirtualPatient

    patient = VirtualPatient.from_scenario(scenario)
    lines = []
    for side in scenario.leads:
        rows = compute_review(patient, side)
        windows = [(r["window_ma"], r["contact"]) for r in rows if r["window_ma"] is not None]
        negative = sum(1 for w, _ in windows if w <= 0)
        where = f"leads.{side}"
        if not windows or max(windows)[0] <= 0:
            lines.append(
                f"{where}: no contact has a therapeutic window in the noise-free review "
                f"({negative} of {len(rows)} contacts give side effects before benefit); "
                "the case cannot be programmed well: intended (a misplaced lead)?"
            )
        elif max(windows)[0] < MIN_USEFUL_WINDOW_MA:
            best, contact = max(windows)
            lines.append(
                f"{where}: the widest therapeutic window is {best:g} mA (contact {contact}), "
                f"under {MIN_USEFUL_WINDOW_MA:g} mA; {negative} of {len(rows)} contacts give "
                "side effects before benefit: check the lead's position and direction"
            )
    return lines


def check_case(scenario: Scenario, simulate: bool = True) -> CaseCheck:
    """All semantic checks on a validated case (``simulate``: also run the review)."""
    errors = schema_problems(scenario)
    if errors:
        return CaseCheck(errors=errors)
    warnings = direction_warnings(scenario)
    if simulate:
        warnings += simulated_warnings(scenario)
    return CaseCheck(warnings=warnings)
