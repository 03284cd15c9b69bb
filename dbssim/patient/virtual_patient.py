"""A virtual patient: precomputed fields on its anatomy, and the noise-free response.

``VirtualPatient.from_scenario`` precomputes, for each implanted side, the
unit field at every region sample point and the unit activating function
along every fibre. Any program is then evaluated by matrix–vector products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dbssim.patient.anatomy import Atlas, SideEffectSpec, load_atlas, sample_region, sample_tract
from dbssim.patient.response import (
    COMPONENTS,
    component_relief,
    graded_report,
    severity_grade,
    side_effect_level,
)
from dbssim.patient.scales import Scale, ScaleItem, load_scale
from dbssim.patient.scenario_schema import Scenario, Side
from dbssim.physics.activation import (
    StackedStructures,
    build_fibre_tract_field,
    build_grey_region_field,
    stack_structures,
)
from dbssim.physics.devices import Device, get_device
from dbssim.physics.leads import Lead, get_lead
from dbssim.physics.pose import LeadPose
from dbssim.physics.program import Setting, compute_currents_ma, parse_contacts

SIDES: tuple[Side, Side] = ("left", "right")
BODY_SIDE_OF_LEAD = {"left": "right", "right": "left"}  # benefit and effects are contralateral


@dataclass(frozen=True)
class SideModel:
    """Precomputed fields of one implanted lead on its hemisphere's atlas."""

    lead: Lead
    pose: LeadPose
    impedances_ohm: np.ndarray
    structures: StackedStructures

    def currents_ma(self, setting: Setting) -> np.ndarray:
        terms = parse_contacts(setting.contacts, self.lead)
        return compute_currents_ma(
            terms,
            len(self.lead.contacts),
            amplitude_ma=setting.amplitude_ma,
            amplitude_v=setting.amplitude_v,
            impedances_ohm=self.impedances_ohm,
        )

    def activations(self, currents_ma: np.ndarray, pulse_width_us: float) -> dict[str, float]:
        """Activated fraction (0–1) of every structure for contact currents and width."""
        values = self.structures.activations(currents_ma, pulse_width_us)
        return dict(zip(self.structures.ids, values.tolist(), strict=True))

    def activation_curves(
        self, contact_index: int, amplitudes_ma: np.ndarray, pulse_width_us: float
    ) -> dict[str, np.ndarray]:
        """Activated fractions for monopolar cathodic stimulation at many amplitudes at once.

        Field and activating function scale linearly with a single contact's
        current, so one unit solution serves every amplitude.
        """
        curves = self.structures.activation_curves(contact_index, amplitudes_ma, pulse_width_us)
        return {sid: curves[:, k] for k, sid in enumerate(self.structures.ids)}


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

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> VirtualPatient:
        """Build the anatomy and precompute unit fields for each implanted lead."""
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
        return self.scenario.component_weights or item.components

    def onset_tau_s(self, component: str) -> float:
        """This patient's onset time constant of a component (its own, else the usual one)."""
        return self.scenario.onset_tau_s.get(component, COMPONENTS[component].tau_on_s)

    def relief_targets(
        self, activations: dict[str, dict[str, float]], settings: dict[str, Setting]
    ) -> dict[tuple[str, str], float]:
        """Steady-state relief (fraction of baseline, negative = worse) per (item, component)."""
        out = {}
        for item in self.scale.items:
            hemis = [h for h in SIDES if item.side == "none" or BODY_SIDE_OF_LEAD[h] == item.side]
            for comp_name in self.item_components(item):
                comp = COMPONENTS[comp_name]
                total = 0.0
                for h in hemis:
                    if h not in activations:
                        continue
                    act = activations[h]
                    subs = self.atlas.substrates[item.body_part]
                    drive = float(np.mean([act[s] for s in subs]))
                    total += float(
                        component_relief(
                            comp, self.scenario.relief_scale, settings[h].frequency_hz, drive
                        )
                    )
                out[(item.id, comp_name)] = total / len(hemis)
        return out

    def side_effect_targets(
        self,
        activations: dict[str, dict[str, float]],
        settings: dict[str, Setting],
        medication_level: float = 0.0,
    ) -> dict[tuple[str, str], float]:
        """Steady-state severity 0–4 per (hemisphere, side-effect id)."""
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
        """Activated fractions per hemisphere for the sides that are on."""
        out = {}
        for h, setting in settings.items():
            side = self.sides[h]
            out[h] = side.activations(side.currents_ma(setting), setting.pulse_width_us)
        return out

    def side_effect_reading(
        self, hemisphere: str, se: SideEffectSpec, severity: float
    ) -> SideEffectReading:
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
        """Continuous item scores for current reliefs per (item, component).

        Levodopa (PD) acts on top of stimulation: score = baseline x (1 - stimulation
        relief) x (1 - medication level).
        """
        scores = {}
        for item in self.scale.items:
            comps = self.item_components(item)
            r = sum(w * relief.get((item.id, c), 0.0) for c, w in comps.items())
            value = self.baseline[item.id] * (1 - r) * (1 - medication_level)
            scores[item.id] = float(np.clip(value, 0, item.max_score))
        return scores
