"""CLI commands built on the session engine: ``dbssim optimize`` (DESIGN §6)."""

from __future__ import annotations

import argparse
from typing import Any

from dbssim.cli.patient_commands import (
    add_random_patient_option,
    build_patient,
    with_patient_seed,
)


def add_session_parsers(sub: Any) -> None:
    p = sub.add_parser("optimize", help="the expert program, searched on the hidden truth")
    p.add_argument("scenario", help="scenario id or YAML file")
    add_random_patient_option(p)
    p.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    p.set_defaults(handler=run_optimize)


def run_optimize(args: argparse.Namespace) -> Any:
    """``{"program": PROGRAM, "outcome": evaluate's answer at 6 months}``."""
    from dbssim.patient.evaluation import evaluate_program
    from dbssim.patient.expert import HORIZON_S, find_expert_program

    patient = build_patient(args.scenario, args.patient_seed)
    program = find_expert_program(patient)
    answer = {
        "program": program.model_dump(exclude_none=True),
        "outcome": evaluate_program(patient, program, HORIZON_S),
    }
    return with_patient_seed(answer, args.patient_seed)
