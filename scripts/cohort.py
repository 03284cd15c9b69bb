"""Outcome distribution of random patients per bundled scenario (issue 10, docs/science.md §2.8).

For each scenario, draws patients with seeds 0 … N−1 (the patients ``--random-patient SEED``
gives) and reports, at 12 months, the median and interquartile range of the improvement and
the fraction below 25 %, plus the fraction with a visible improvement 10 minutes after
switching on. Two programs:

- ``fixed``: the expert program of the bundled patient, given unchanged to every random
  patient (what happens if a lead that landed elsewhere is programmed like the typical one);
- ``expert``: each random patient's own expert program (``dbssim optimize``), the best
  programming can do for that patient.

Run: ``PYTHONPATH=$PWD .venv/bin/python scripts/cohort.py --n 100 --workers 2``
(about 4 s per patient and program on one core).
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dbssim.patient.cohort import CohortPatient, simulate_patient, summarise
from dbssim.patient.expert import find_expert_program
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario
from dbssim.patient.virtual_patient import VirtualPatient
from dbssim.physics.program import Program


def _run(job: tuple[str, int, str | None]) -> CohortPatient:
    scenario_id, seed, program_json = job
    program = None if program_json is None else Program.model_validate_json(program_json)
    return simulate_patient(load_scenario(scenario_id), seed, program)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="patients per scenario")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scenario", action="append", help="default: every bundled one")
    parser.add_argument(
        "--program", action="append", choices=["fixed", "expert"], help="default: both"
    )
    parser.add_argument("--json", type=Path, help="also write the per-patient rows here")
    args = parser.parse_args()
    ids = args.scenario or list_scenario_ids()
    results: dict[str, dict[str, list[CohortPatient]]] = {}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for sid in ids:
            typical = find_expert_program(VirtualPatient.from_scenario(load_scenario(sid)))
            results[sid] = {}
            programs = {"fixed": typical.model_dump_json(), "expert": None}
            for name in args.program or list(programs):
                program_json = programs[name]
                jobs = [(sid, seed, program_json) for seed in range(args.n)]
                results[sid][name] = list(pool.map(_run, jobs))
                s = summarise(results[sid][name])
                print(
                    f"| {sid} | {name} | {s['n']} | {s['median_pct']:.1f} "
                    f"| {s['q1_pct']:.1f}–{s['q3_pct']:.1f} | {100 * s['poor_fraction']:.0f} % "
                    f"| {100 * s['acute_fraction']:.0f} % | {s['min_pct']:.1f} |",
                    flush=True,
                )
                if args.json:  # after every block, so a long run leaves what it finished
                    rows = {
                        sid: {name: [p.__dict__ for p in ps] for name, ps in by.items()}
                        for sid, by in results.items()
                    }
                    args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
