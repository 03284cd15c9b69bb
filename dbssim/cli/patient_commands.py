"""CLI commands on scenarios and virtual patients: scenarios, validate, review, evaluate."""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dbssim.errors import InputError, first_line

if TYPE_CHECKING:
    from dbssim.patient.virtual_patient import VirtualPatient
    from dbssim.physics.program import Program

# The model is imported by the commands that use it, not here: `dbssim` parses its
# arguments before it imports numpy, pydantic or the patient model (issue 13).

MAX_PATIENT_SEED = 2**63 - 1  # any seed a session may use (SeedSequence takes any int >= 0)


@cache
def build_patient(scenario_id: str, patient_seed: int | None = None) -> VirtualPatient:
    """Load a scenario by id or path and precompute its patient (cached per process).

    With ``patient_seed``, the patient is the random patient like this one that a session
    (the app's "a random patient like this one") draws for that seed.
    """
    from dbssim.patient.patient_draws import draw_patient_for_seed
    from dbssim.patient.scenario_library import load_scenario
    from dbssim.patient.virtual_patient import VirtualPatient

    scenario = load_scenario(scenario_id)
    if patient_seed is not None:
        check_patient_seed(patient_seed)
        scenario = draw_patient_for_seed(scenario, patient_seed)
    return VirtualPatient.from_scenario(scenario)


def check_patient_seed(seed: int) -> None:
    if not 0 <= seed <= MAX_PATIENT_SEED:
        raise InputError("--random-patient", f"{seed} is outside 0 to {MAX_PATIENT_SEED}")


def add_random_patient_option(parser: argparse.ArgumentParser) -> None:
    """``--random-patient SEED``: the app's "a random patient like this one" for that seed."""
    parser.add_argument(
        "--random-patient",
        type=int,
        metavar="SEED",
        dest="patient_seed",
        help="use the random patient like this one that the app draws for session seed SEED",
    )


def with_patient_seed(answer: Any, patient_seed: int | None) -> Any:
    """The answer, plus ``patient_seed`` (in every row of a list) when a patient was drawn."""
    if patient_seed is None:
        return answer
    if isinstance(answer, list):
        return [row | {"patient_seed": patient_seed} for row in answer]
    return answer | {"patient_seed": patient_seed}


def add_patient_parsers(sub: Any) -> None:
    p = sub.add_parser("scenarios", help="list bundled scenarios")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=run_scenarios)

    p = sub.add_parser("validate", help="check a scenario file; exit 0 if valid")
    p.add_argument("file", help="scenario YAML file")
    p.set_defaults(handler=run_validate)

    p = sub.add_parser("review", help="noise-free monopolar review of one side")
    p.add_argument("scenario", help="scenario id or YAML file")
    p.add_argument("--side", choices=["left", "right"], default="left")
    p.add_argument("--pulse-width-us", type=float, default=60.0, metavar="US")
    p.add_argument("--frequency-hz", type=float, default=130.0, metavar="HZ")
    add_random_patient_option(p)
    p.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    p.set_defaults(handler=run_review)

    p = sub.add_parser("evaluate", help="noise-free outcome of a program")
    p.add_argument("scenario", help="scenario id or YAML file")
    p.add_argument("--program", metavar="FILE", help="program file (JSON or YAML)")
    p.add_argument("--side", choices=["left", "right", "both"])
    p.add_argument("--contacts", metavar="SPEC", help="e.g. 1- or 1-,2+ or 2a-")
    amp = p.add_mutually_exclusive_group()
    amp.add_argument("--amplitude-ma", type=float, metavar="MA")
    amp.add_argument("--amplitude-v", type=float, metavar="V")
    p.add_argument("--pulse-width-us", type=float, metavar="US")
    p.add_argument("--frequency-hz", type=float, metavar="HZ")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--after-days", type=float, metavar="D", help="days after switching on")
    when.add_argument("--after-minutes", type=float, metavar="M", help="minutes after switching on")
    add_random_patient_option(p)
    p.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    p.set_defaults(handler=run_evaluate)


def run_scenarios(args: argparse.Namespace) -> Any:
    from dbssim.patient.scenario import list_scenario_ids, load_scenario

    rows = []
    for sid in list_scenario_ids():
        s = load_scenario(sid)
        rows.append(
            {
                "id": s.id,
                "title": s.title,
                "disease": s.disease,
                "target": s.target,
                "scale": s.scale,
                "sides": sorted(s.leads),
                "leads": sorted({p.model for p in s.leads.values()}),
                "device": s.device,
            }
        )
    if args.json:
        return rows
    for r in rows:
        print(f"{r['id']:<28} {r['title']}")
    return None


def run_validate(args: argparse.Namespace) -> Any:
    """Exit 0 if valid, 1 with every problem on standard output if not.

    The checks are the upload's (shape, HTML, schema with geometry), then the simulated
    one, whose findings are warnings on standard error. A file that cannot be read as a
    scenario at all (missing, not text, not YAML, nested too deeply) is bad input like any
    other: one line on standard error, exit 2.
    """
    from dbssim.patient.case_checks import check_case
    from dbssim.patient.case_text import load_case_file
    from dbssim.patient.scenario import FILE_FIELD, ScenarioError

    try:
        s = load_case_file(args.file)
        found = check_case(s)
    except ScenarioError as exc:
        if all(p.field == FILE_FIELD for p in exc.problems):
            raise InputError(args.file, exc.message) from None
        for line in exc.lines:
            print(f"{args.file}: {line}")
        raise SystemExit(1) from None
    for line in found.warnings:
        print(f"{args.file}: warning: {line}", file=sys.stderr)
    print(f"{args.file}: valid scenario '{s.id}' (schema version {s.schema_version})")
    return None


def run_review(args: argparse.Namespace) -> Any:
    from dbssim.patient.review import compute_review

    patient = build_patient(args.scenario, args.patient_seed)
    rows = compute_review(patient, args.side, args.pulse_width_us, args.frequency_hz)
    return with_patient_seed(rows, args.patient_seed)


def _after_seconds(args: argparse.Namespace) -> float | None:
    from dbssim.patient.response import DAY_S, MINUTE_S

    if args.after_days is not None:
        if not 0 <= args.after_days <= 3650:
            raise InputError("--after-days", f"{args.after_days:g} is outside 0 to 3650 days")
        return args.after_days * DAY_S
    if args.after_minutes is not None:
        if not 0 <= args.after_minutes <= 1e6:
            raise InputError("--after-minutes", f"{args.after_minutes:g} is outside 0 to 1e6")
        return args.after_minutes * MINUTE_S
    return None


def load_program_file(path: str) -> Program:
    """Read a program file (JSON or YAML) and validate it strictly."""
    import yaml
    from pydantic import ValidationError

    from dbssim.physics.program import Program
    from dbssim.validation import describe_validation_error

    p = Path(path)
    if not p.is_file():
        raise InputError("--program", f"{path} is not a file")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("--program", f"{path} is not UTF-8 text") from None
    try:
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError("--program", first_line(f"cannot parse {path}: {exc}")) from None
    except RecursionError:
        raise InputError("--program", f"{path} is nested too deeply to be a program") from None
    try:
        return Program.model_validate(data)
    except ValidationError as exc:
        raise InputError("--program", "; ".join(describe_validation_error(exc, Program))) from None


def run_evaluate(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from dbssim.patient.evaluation import evaluate_program
    from dbssim.physics.program import Program
    from dbssim.validation import validation_problems

    if args.program:
        given = [
            n
            for n in (
                "side",
                "contacts",
                "amplitude_ma",
                "amplitude_v",
                "pulse_width_us",
                "frequency_hz",
            )
            if getattr(args, n) is not None
        ]
        if given:
            option = given[0].replace("_", "-")
            raise InputError("--program", f"cannot be combined with --{option}")
        program = load_program_file(args.program)
    else:
        missing = [
            n
            for n in ("side", "contacts", "pulse_width_us", "frequency_hz")
            if getattr(args, n) is None
        ]
        if args.amplitude_ma is None and args.amplitude_v is None:
            missing.append("amplitude_ma (or amplitude_v)")
        if missing:
            raise InputError(
                "evaluate", f"missing --{missing[0].replace('_', '-')} (or give --program FILE)"
            )
        setting = {
            "contacts": args.contacts,
            "amplitude_ma": args.amplitude_ma,
            "amplitude_v": args.amplitude_v,
            "pulse_width_us": args.pulse_width_us,
            "frequency_hz": args.frequency_hz,
        }
        sides = ["left", "right"] if args.side == "both" else [args.side]
        check_device_options(build_patient(args.scenario), args)
        try:
            program = Program.model_validate({s: setting for s in sides})
        except ValidationError as exc:
            problem = validation_problems(exc, Program)[0]
            raise InputError(
                "--" + problem.field.rsplit(".", 1)[-1].replace("_", "-"), problem.message
            ) from None
    patient = build_patient(args.scenario, args.patient_seed)
    answer = evaluate_program(patient, program, _after_seconds(args))
    return with_patient_seed(answer, args.patient_seed)


def check_device_options(patient: VirtualPatient, args: argparse.Namespace) -> None:
    """The patient's device sets the limits: cite them, not the wider limits of the schema."""
    device = patient.device
    if args.amplitude_ma is not None:
        device.check_amplitude_ma(args.amplitude_ma, "--amplitude-ma")
    if args.amplitude_v is not None:
        device.check_amplitude_v(args.amplitude_v, "--amplitude-v")
    device.check_pulse_width_us(args.pulse_width_us, "--pulse-width-us")
    device.check_frequency_hz(args.frequency_hz, "--frequency-hz")
