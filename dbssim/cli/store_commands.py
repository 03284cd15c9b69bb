"""CLI commands on the session store: ``replay``, ``results`` and ``report`` (issue 5).

The store is the one ``Store.open()`` picks: ``DBSSIM_DATABASE_URL`` or
``data/dbssim.sqlite3`` under the working directory. The URL is never taken on the
command line (it may hold a password, and command lines are visible to other users).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dbssim.cli.patient_commands import check_patient_seed, with_patient_seed
from dbssim.store.results_table import SCORE_NAMES, score_values, write_csv

if TYPE_CHECKING:
    from dbssim.store.service import SessionRecord

# The model and the database layer (SQLAlchemy, Alembic: ~0.25 s to import) are imported by
# the commands that use them: building the parser imports nothing heavy (issue 13).


def add_store_parsers(sub: Any) -> None:
    p = sub.add_parser("replay", help="run a session from an action file and store it")
    p.add_argument("scenario", help="scenario id or YAML file")
    p.add_argument("--actions", required=True, metavar="FILE", help="JSON list of actions")
    p.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    p.add_argument(
        "--random-patient",
        type=int,
        metavar="SEED",
        dest="patient_seed",
        help="a session on the random patient like this one that the app draws for SEED "
        "(SEED is then the session seed, as in the app)",
    )
    p.add_argument("--trainee", default="replay", help="pseudonym stored with the session")
    p.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    p.set_defaults(handler=run_replay)

    p = sub.add_parser("results", help="stored sessions with trainee, scenario, scores")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a JSON list")
    fmt.add_argument("--csv", action="store_true", help="print CSV (one row per session)")
    p.set_defaults(handler=run_results)

    p = sub.add_parser("report", help="write a finished session's debrief as HTML")
    p.add_argument("session_id", metavar="SESSION_ID", help="session id or resume code")
    p.add_argument("--out", required=True, metavar="FILE.html", help="file to write")
    p.set_defaults(handler=run_report)


def _database_errors(handler: Callable[[argparse.Namespace], Any]) -> Any:
    """Report a database failure in one line, exit status 2, like any other bad input."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        from dbssim.store.records import StoreError

        try:
            return handler(args)
        except SQLAlchemyError as exc:  # the driver's own words; they never hold the password
            message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError("database", message) from None

    return wrapped


@_database_errors
def run_replay(args: argparse.Namespace) -> Any:
    """``{"session_id", "code", "scores", "finished"}``; scores are null until finished."""
    from dbssim.patient.scenario import load_scenario
    from dbssim.session.action_files import dry_run, load_actions
    from dbssim.session.scoring import debrief
    from dbssim.store.service import Store, StoreError

    scenario = load_scenario(args.scenario)
    drawn = args.patient_seed is not None
    if drawn:
        # The app draws a random patient from the session seed itself, so one number is both.
        check_patient_seed(args.patient_seed)
        if args.seed is not None and args.seed != args.patient_seed:
            raise StoreError(
                "--seed",
                f"{args.seed} differs from --random-patient {args.patient_seed}; a random "
                "patient's session uses its own seed (give one of the two)",
            )
        seed = args.patient_seed
    else:
        seed = scenario.seed if args.seed is None else args.seed
    if seed < 0:
        raise StoreError("--seed", f"must be an integer >= 0 (got {seed})")
    actions = load_actions(args.actions)
    dry_run(scenario, seed, actions, random_patient=drawn)  # a bad file stores nothing
    with Store.open(scorer=debrief) as store:
        stored = store.start_session(scenario, seed, args.trainee, random_patient=drawn)
        for action in actions:
            stored.apply(action)
        record = stored.record
    answer = {
        "session_id": record.id,
        "code": record.code,
        "scores": record.scores,
        "finished": record.finished,
    }
    return with_patient_seed(answer, args.patient_seed)


def result_row(record: SessionRecord) -> dict[str, Any]:
    """One session in ``dbssim results``: who, which case, scores (null until finished)."""
    scores = score_values(record)
    return {
        "session_id": record.id,
        "trainee": record.trainee,
        "scenario": record.scenario_id,
        "class_id": record.class_id,
        "started_at": record.created_at.isoformat(),
        "finished": record.finished,
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
        "duration_s": round(record.duration_s, 1),
        "actions": record.n_actions,
        "scores": {n: v for n, v in scores.items() if v is not None} or None,
        "kind": record.kind,  # "trainee", or "demonstration" (an educator's session)
    }


@_database_errors
def run_results(args: argparse.Namespace) -> Any:
    from dbssim.store.service import Store

    with Store.open() as store:
        rows = [result_row(r) for r in store.list_sessions()]
    if args.json:
        return rows
    flat = [
        {k: v for k, v in row.items() if k != "scores"}
        | {f"score_{n}": (row["scores"] or {}).get(n) for n in SCORE_NAMES}
        for row in rows
    ]
    if args.csv:
        write_csv(flat, _csv_columns(), sys.stdout)
        return None
    _print_table(flat)
    return None


def _csv_columns() -> list[str]:
    keys = ["session_id", "trainee", "scenario", "class_id", "started_at", "finished"]
    keys += ["finished_at", "duration_s", "actions"]
    return keys + [f"score_{n}" for n in SCORE_NAMES]


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("no stored sessions")
        return
    columns = ["trainee", "scenario", "finished", "duration_s"]
    columns += [f"score_{n}" for n in SCORE_NAMES]
    shown = [[("-" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max(len(c), *(len(s[k]) for s in shown)) for k, c in enumerate(columns)]
    for line in [columns, *shown]:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


@_database_errors
def run_report(args: argparse.Namespace) -> Any:
    from dbssim.report.html import render_report
    from dbssim.store.service import Store, StoreError

    out = Path(args.out)
    if not out.parent.is_dir():
        raise StoreError("--out", f"folder {out.parent} does not exist")
    with Store.open() as store:
        record, _ = store.load_session(args.session_id)
        session = store.resume(record.id)
        saved = store.load_debrief(record.id)  # as scored at the finish
    html = render_report(
        session,
        trainee=record.trainee,
        session_id=record.id,
        started_at=record.created_at,
        finished_at=record.finished_at,
        debrief_data=saved,
        comment=record.comment,
    )
    out.write_text(html, encoding="utf-8")
    print(json.dumps({"session_id": record.id, "out": str(out)}))
    return None
