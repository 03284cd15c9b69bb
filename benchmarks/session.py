"""Benchmarks of the session engine (DESIGN §7). Prints medians; asserts nothing.

``run()`` is meant for ``benchmarks/run.py``'s ``EXTRA_SECTIONS``; it also runs alone:
``.venv/bin/python benchmarks/session.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import bench
from dbssim.patient.expert import find_expert_program
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.session.engine import Session


def _set_and_examine(session: Session, side: str, amplitude_key: str) -> None:
    session.apply(
        {
            "action": "set",
            "side": side,
            "contacts": f"{session.patient.sides[side].lead.labels[1]}-",
            amplitude_key: 1.0,
            "pulse_width_us": 60,
            "frequency_hz": 130,
        }
    )
    session.apply({"action": "examine"})


def run() -> None:
    """Median time of the expert search per bundled scenario, and of one set + examine."""
    for scenario_id in list_scenario_ids():
        patient = VirtualPatient.from_scenario(load_scenario(scenario_id))
        bench(
            f"expert program: {scenario_id}", lambda p=patient: find_expert_program(p), 3, "< 2 s"
        )
    for scenario_id in list_scenario_ids():
        session = Session.start(scenario_id, seed=0)
        session.apply({"action": "stim_on"})
        side = next(iter(session.patient.sides))
        key = "amplitude_v" if session.scenario.amplitude_mode == "voltage" else "amplitude_ma"
        bench(
            f"session: set + examine, {scenario_id}",
            lambda s=session, sd=side, k=key: _set_and_examine(s, sd, k),
            20,
            "< 150 ms",
        )


if __name__ == "__main__":
    run()
