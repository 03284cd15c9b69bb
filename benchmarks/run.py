"""Benchmarks against the budgets of DESIGN §7. Prints medians; asserts nothing.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import bench
from dbssim.physics.activation import build_grey_region_field
from dbssim.physics.field import compute_unit_solution
from dbssim.physics.leads import get_lead
from dbssim.physics.vta import compute_vta


def core() -> None:
    lead = get_lead("medtronic-3389")
    rng = np.random.default_rng(0)
    pts = rng.uniform([-10, -10, -5], [10, 10, 20], size=(20_000, 3))
    bench(
        "precompute: 3389, 20 000 points, unit solution",
        lambda: compute_unit_solution(lead, pts),
        5,
        "< 1 s with a scenario",
    )
    region = build_grey_region_field(lead, pts, None, 0.1)
    currents = np.array([0.0, -3.0, 0.0, 0.0])
    bench(
        "one evaluation: field + activation, 20 000 points",
        lambda: region.activated_fraction(currents, 60, 0.2, 100),
        50,
        "< 1 ms for a whole scenario",
    )
    bench(
        "VTA with mesh: 3389 contact 1, 3 mA, 60 µs",
        lambda: compute_vta(lead, currents, 60),
        5,
        "none set",
    )


def patients() -> None:
    from dbssim.patient.evaluation import evaluate_program
    from dbssim.patient.review import compute_review
    from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
    from dbssim.patient.virtual_patient import VirtualPatient
    from dbssim.physics.program import Program

    for sid in list_scenario_ids():
        scenario = load_scenario(sid)
        bench(
            f"load + precompute: {sid}",
            lambda s=scenario: VirtualPatient.from_scenario(s),
            3,
            "< 1 s",
        )
        patient = VirtualPatient.from_scenario(scenario)
        side = next(iter(patient.sides))
        label = patient.sides[side].lead.labels[1]
        settings = {s: {"contacts": f"{label}-", "amplitude_ma": 2.5} for s in patient.sides}
        program = Program.model_validate(settings)
        on = {s: getattr(program, s) for s in patient.sides}
        bench(
            f"model evaluation, all sides/structures: {sid}",
            lambda p=patient, o=on: p.relief_targets(p.compute_activations(o), o),
            200,
            "< 1 ms",
        )
        bench(
            f"evaluate (full CLI answer): {sid}",
            lambda p=patient, g=program: evaluate_program(p, g),
            100,
            "n/a",
        )
        bench(
            f"monopolar review of one side: {sid}",
            lambda p=patient, s=side: compute_review(p, s),
            10,
            "< 100 ms",
        )


def main() -> None:
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    core()
    patients()
    from benchmarks.session import run as session_benchmarks

    session_benchmarks()
    from benchmarks.app_rerun import run as app_rerun_benchmarks

    app_rerun_benchmarks()
    from benchmarks.store import main as store_benchmarks

    store_benchmarks()
    for extra in EXTRA_SECTIONS:
        extra()


EXTRA_SECTIONS: list[Callable[[], None]] = []

if __name__ == "__main__":
    main()
