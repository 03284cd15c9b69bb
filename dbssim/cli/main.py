"""Command-line interface: ``dbssim COMMAND ...`` (a stable contract, DESIGN §6).

Every command validates its arguments and reports a bad one in a single
line naming the value and what is allowed, exiting with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from dbssim.cli.expert_commands import add_session_parsers
from dbssim.cli.patient_commands import add_patient_parsers
from dbssim.cli.store_commands import add_store_parsers
from dbssim.cli.vta_command import add_vta_parser
from dbssim.patient.scenario_files import ScenarioError


class UsageError(Exception):
    """A bad argument: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dbssim",
        description="Deep brain stimulation programming simulator: ground-truth tools.",
        epilog="Run 'dbssim COMMAND --help' for one command's options.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    add_patient_parsers(sub)
    add_session_parsers(sub)
    add_store_parsers(sub)
    add_vta_parser(sub)
    return parser


def emit_json(data: Any) -> None:
    """Print JSON to standard output, one object, keys in a stable order."""
    print(json.dumps(data, indent=2, ensure_ascii=False))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dbssim`` console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        handler: Callable[[argparse.Namespace], Any] = args.handler
        result = handler(args)
        if result is not None:
            emit_json(result)
        return 0
    except BrokenPipeError:  # output piped into a reader that stopped early, e.g. head
        sys.stdout = open(os.devnull, "w")  # silence the flush at exit
        return 0
    except ScenarioError as exc:
        print(
            f"error: {exc.lines[0]}"
            + (f" (+{len(exc.lines) - 1} more)" if len(exc.lines) > 1 else ""),
            file=sys.stderr,
        )
        return 2
    except (UsageError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
