"""Shared helpers for tests: cached patients and clinically defined programs."""

from __future__ import annotations

from functools import cache

from dbssim.patient.review import compute_review
from dbssim.patient.scenario_library import load_scenario
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program


@cache
def patient(scenario_id: str) -> VirtualPatient:
    return VirtualPatient.from_scenario(load_scenario(scenario_id))


def review_program(
    p: VirtualPatient, pulse_width_us: float = 60, frequency_hz: float = 130, margin_ma: float = 0.5
) -> Program:
    """The programming algorithm of the Kupsch et al. 2006 trial (Neurol Res Pract 2019,
    doi:10.1186/s42466-019-0032-2): per side, the contact with the widest window of a
    monopolar review, programmed ``margin_ma`` below its side-effect threshold."""
    sides = {}
    for side in p.sides:
        rows = [
            r
            for r in compute_review(p, side, pulse_width_us, frequency_hz)
            if r["efficacy_threshold_ma"] is not None
        ]
        best = max(
            rows,
            key=lambda r: (
                r["window_ma"] if r["window_ma"] is not None else 99,
                -r["efficacy_threshold_ma"],
            ),
        )
        se = best["side_effect_threshold_ma"]
        amplitude = (se - margin_ma) if se is not None else best["efficacy_threshold_ma"] + 1.0
        amplitude = max(amplitude, best["efficacy_threshold_ma"])
        sides[side] = {
            "contacts": f"{best['contact']}-",
            "amplitude_ma": round(amplitude, 2),
            "pulse_width_us": pulse_width_us,
            "frequency_hz": frequency_hz,
        }
    return Program.model_validate(sides)
