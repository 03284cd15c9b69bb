"""Random patients: "a random patient like this one", drawn from one seeded generator."""

from __future__ import annotations

import numpy as np

from dbssim.patient.anatomy import load_atlas
from dbssim.patient.scenario_schema import Scenario


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
