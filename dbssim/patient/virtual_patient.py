"""A virtual patient: precomputed fields on its anatomy, and the noise-free response.

``VirtualPatient.from_scenario`` precomputes, for each implanted side, the
unit field at every region sample point and the unit activating function
along every fibre. Any program is then evaluated by matrix–vector products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dbssim.patient.anatomy import (
    Atlas,
    BodyPart,
    SideEffectSpec,
    load_atlas,
    sample_region,
    sample_tract,
)
from dbssim.patient.response import COMPONENTS, component_relief, mean_drive
from dbssim.patient.scales import Scale, ScaleItem, load_scale
from dbssim.patient.scenario_schema import Scenario, Side
from dbssim.patient.side_effects import graded_report, severity_grade, side_effect_level
from dbssim.patient.side_model import SideModel
from dbssim.physics.activation import build_fibre_tract_field, build_grey_region_field
from dbssim.physics.devices import Device, get_device
from dbssim.physics.leads import get_lead
from dbssim.physics.pose import LeadPose
from dbssim.physics.program import Setting
from dbssim.physics.structure_stack import stack_structures

SIDES: tuple[Side, Side] = ("left", "right")
BODY_SIDE_OF_LEAD = {"left": "right", "right": "left"}  # benefit and effects are contralateral
__all__ = ["BODY_SIDE_OF_LEAD", "SIDES", "SideEffectReading", "SideModel", "VirtualPatient"]


@dataclass(frozen=True)
class SideEffectReading:
    """A side effect at one moment: id, severity 0–4, structure, body side and words."""

    name: str
    severity: float
    structure: str
    body_side: str
    hemisphere: str
    onset: str
    sign: str
    report: str
    grade: str = ""  # slight / mild / moderate / severe (severity_grade)


class VirtualPatient:
    """The hidden truth of one scenario: anatomy, leads, fields and response rules."""

    def __init__(self, scenario: Scenario, atlas: Atlas, sides: dict[str, SideModel]):
        self.scenario = scenario
        self.atlas = atlas
        self.sides = sides
        self.scale: Scale = load_scale(scenario.scale)
        self.device: Device = get_device(scenario.device)
        self.baseline = {i.id: float(scenario.baseline.get(i.id, 0.0)) for i in self.scale.items}
        self._keys: (
            tuple[
                list[tuple[str, str, BodyPart]],
                list[tuple[tuple[str, str], tuple[int, ...], int]],
            ]
            | None
        ) = None

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> VirtualPatient:
        """Build a patient from a scenario: anatomy, leads and precomputed unit fields.

        The expensive step (fields at every sample point and fibre node) happens here
        once, so every later evaluation is a few matrix products.

        Parameters
        ----------
        scenario : Scenario
            The validated scenario (target, leads and their placement, scale, device,
            individual offsets and threshold scales).

        Returns
        -------
        VirtualPatient
            The patient, with one `SideModel` per implanted lead.
        """
        atlas = load_atlas(scenario.target).shifted(scenario.anatomy_offsets_mm)
        sides: dict[str, SideModel] = {}
        for side, placement in scenario.leads.items():
            lead = get_lead(placement.model)
            pose = LeadPose(
                tip_mm=placement.tip_mm,
                direction=placement.direction,
                rotation_deg=placement.rotation_deg,
            )
            scale_of = scenario.threshold_scales
            regions = {
                r.id: (
                    build_grey_region_field(
                        lead, sample_region(r), pose, scenario.conductivity_s_m
                    ),
                    r.threshold_v_per_mm * scale_of.get(r.id, 1.0),
                    r.chronaxie_us,
                )
                for r in atlas.regions
            }
            tracts = {
                t.id: (
                    build_fibre_tract_field(lead, sample_tract(t), pose, scenario.conductivity_s_m),
                    t.threshold_v_per_mm2 * scale_of.get(t.id, 1.0),
                    t.chronaxie_us,
                )
                for t in atlas.tracts
            }
            sides[side] = SideModel(
                lead,
                pose,
                np.asarray(placement.impedances_ohm, float),
                stack_structures(regions, tracts),
            )
        return cls(scenario, atlas, sides)

    # --- targets (steady state) ---------------------------------------------------------
    def item_components(self, item: ScaleItem) -> dict[str, float]:
        """Give the symptom components of a scale item for this patient.

        Parameters
        ----------
        item : ScaleItem
            A scale item.

        Returns
        -------
        dict of str to float
            Component name to its share of the item's score (shares add up to 1): the
            scenario's own weights if it sets them, else the scale's.
        """
        return self.scenario.component_weights or item.components

    def onset_tau_s(self, component: str) -> float:
        """Give this patient's onset time constant of a symptom component.

        Parameters
        ----------
        component : str
            Component name, a key of `dbssim.patient.response.COMPONENTS`.

        Returns
        -------
        float
            Onset time constant, s: the scenario's (or random patient's) own, else the
            component's usual one.
        """
        return self.scenario.onset_tau_s.get(component, COMPONENTS[component].tau_on_s)

    def relief_targets(
        self, activations: dict[str, dict[str, float]], settings: dict[str, Setting]
    ) -> dict[tuple[str, str], float]:
        """Compute the steady-state relief of every item component.

        Parameters
        ----------
        activations : dict of str to dict of str to float
            Hemisphere to its structures' activated fractions (from
            `compute_activations`); hemispheres that are off are absent.
        settings : dict of str to Setting
            Hemisphere to its program (for the frequency).

        Returns
        -------
        dict of (str, str) to float
            (item id, component) to relief as a fraction of baseline (negative = worse).
            A midline item is the mean over both hemispheres (an off side gives 0).

        Notes
        -----
        Per hemisphere the rule of `dbssim.patient.response.component_relief`, with the
        drive the mean activation of the item's body-part substrates.
        """
        # Many items share a body part and a component: each (component, hemisphere, body
        # part) relief is computed once per call, then only summed per item.
        keys, outputs = self._relief_keys()
        relief_scale = self.scenario.relief_scale
        drives: dict[tuple[str, BodyPart], float] = {}
        reliefs: list[float | None] = []
        for comp_name, h, part in keys:
            if h not in activations:
                reliefs.append(None)
                continue
            drive = drives.get((h, part))
            if drive is None:
                drive = mean_drive([activations[h][s] for s in self.atlas.substrates[part]])
                drives[(h, part)] = drive
            reliefs.append(
                float(
                    component_relief(
                        COMPONENTS[comp_name], relief_scale, settings[h].frequency_hz, drive
                    )
                )
            )
        out = {}
        for item_comp, indices, n_hemis in outputs:
            total = 0.0
            for i in indices:  # hemispheres in order, as the sum was always taken
                relief = reliefs[i]
                if relief is not None:
                    total += relief
            out[item_comp] = total / n_hemis
        return out

    def _relief_keys(
        self,
    ) -> tuple[list[tuple[str, str, BodyPart]], list[tuple[tuple[str, str], tuple[int, ...], int]]]:
        """List the reliefs the scale needs and what each item sums (built once).

        Returns the distinct (component, hemisphere, body part) keys, and per (item,
        component) the indices of the keys it sums and over how many hemispheres.
        """
        if self._keys is None:
            keys: list[tuple[str, str, BodyPart]] = []
            index: dict[tuple[str, str, BodyPart], int] = {}
            outputs = []
            for item in self.scale.items:
                part = item.body_part
                hemis = [
                    h for h in SIDES if item.side == "none" or BODY_SIDE_OF_LEAD[h] == item.side
                ]
                for comp_name in self.item_components(item):
                    indices = []
                    for h in hemis:
                        key = (comp_name, h, part)
                        if key not in index:
                            index[key] = len(keys)
                            keys.append(key)
                        indices.append(index[key])
                    outputs.append(((item.id, comp_name), tuple(indices), len(hemis)))
            self._keys = (keys, outputs)
        return self._keys

    def side_effect_targets(
        self,
        activations: dict[str, dict[str, float]],
        settings: dict[str, Setting],
        medication_level: float = 0.0,
    ) -> dict[tuple[str, str], float]:
        """Compute the steady-state severity of every side effect in every hemisphere.

        Parameters
        ----------
        activations : dict of str to dict of str to float
            Hemisphere to its structures' activated fractions.
        settings : dict of str to Setting
            Hemisphere to its program (for the frequency).
        medication_level : float
            Current levodopa effect, ≥ 0 (0 = off medication).

        Returns
        -------
        dict of (str, str) to float
            (hemisphere, side-effect id) to severity 0–4, by
            `dbssim.patient.side_effects.side_effect_level`'s rule.
        """
        out = {}
        for h, act in activations.items():
            for se in self.atlas.side_effects:
                out[(h, se.id)] = float(
                    side_effect_level(
                        se, act[se.structure], settings[h].frequency_hz, medication_level
                    )
                )
        return out

    def compute_activations(self, settings: dict[str, Setting]) -> dict[str, dict[str, float]]:
        """Compute the activated fractions of every structure for a program.

        Parameters
        ----------
        settings : dict of str to Setting
            Hemisphere to its program; a hemisphere left out is off.

        Returns
        -------
        dict of str to dict of str to float
            Hemisphere to structure id to activated fraction 0–1, for the sides that
            are on.
        """
        out = {}
        for h, setting in settings.items():
            side = self.sides[h]
            out[h] = side.activations(side.currents_ma(setting), setting.pulse_width_us)
        return out

    def side_effect_reading(
        self, hemisphere: str, se: SideEffectSpec, severity: float
    ) -> SideEffectReading:
        """Describe a side effect as the examiner sees it and the patient says it.

        Parameters
        ----------
        hemisphere : str
            Hemisphere whose lead causes it, ``"left"`` or ``"right"``.
        se : SideEffectSpec
            The atlas's side effect.
        severity : float
            Its severity now, 0–4.

        Returns
        -------
        SideEffectReading
            The reading, on the contralateral body side, with the sign and the patient's
            words filled in for that side.
        """
        body = BODY_SIDE_OF_LEAD[hemisphere]
        grade = severity_grade(severity)
        return SideEffectReading(
            name=se.id,
            severity=severity,
            structure=se.structure,
            body_side=body,
            hemisphere=hemisphere,
            onset=se.onset,
            sign=f"{se.sign.format(side=body)} ({grade})",
            report=graded_report(se.says.format(side=body), grade),
            grade=grade,
        )

    def score_items(
        self, relief: dict[tuple[str, str], float], medication_level: float = 0.0
    ) -> dict[str, float]:
        """Compute continuous item scores from the current reliefs.

        Levodopa (PD) acts on top of stimulation: score = baseline x (1 - stimulation
        relief) x (1 - medication level).

        Parameters
        ----------
        relief : dict of (str, str) to float
            (item id, component) to relief as a fraction of baseline; missing = 0.
        medication_level : float
            Current levodopa effect, ≥ 0 (0 = off medication).

        Returns
        -------
        dict of str to float
            Item id to its score, clipped to ``0 .. max_score``; side effects not yet
            added (see `dbssim.patient.time_course.observed_item_scores`).
        """
        scores = {}
        for item in self.scale.items:
            comps = self.item_components(item)
            r = sum(w * relief.get((item.id, c), 0.0) for c, w in comps.items())
            value = self.baseline[item.id] * (1 - r) * (1 - medication_level)
            scores[item.id] = float(np.clip(value, 0, item.max_score))
        return scores
