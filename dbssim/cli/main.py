"""Command-line interface: ``dbssim COMMAND ...`` (a stable contract, DESIGN §6).

Every command validates its arguments and reports a bad one in a single
line naming the value and what is allowed, exiting with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from dbssim.errors import InputError, first_line

# Nothing heavy is imported above: the arguments are parsed (and --help printed) before
# numpy, pydantic or the model load; each command imports what it uses (issue 13).

MAX_ERROR_CHARS = 1000  # one line on a terminal: enough for a list of allowed values


class UsageError(InputError):
    """A bad argument: reported in one line, exit status 2 (``field`` is the command)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, message)


# The modules that add the subcommands, in the order ``dbssim --help`` lists them, and the
# commands each adds: a known command's own parser is built without importing the others.
PATIENT_COMMANDS = ("scenarios", "validate", "review", "evaluate")
PARSER_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dbssim.cli.patient_commands", "add_patient_parsers", PATIENT_COMMANDS),
    ("dbssim.cli.expert_commands", "add_session_parsers", ("optimize",)),
    ("dbssim.cli.store_commands", "add_store_parsers", ("replay", "results", "report")),
    ("dbssim.cli.vta_command", "add_vta_parser", ("vta",)),
    ("dbssim.cli.schema_command", "add_schema_parser", ("schema",)),
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command, or only the group of a known ``command``.

    Parameters
    ----------
    command : str or None
        The first argument on the command line. If it names a command in
        `PARSER_GROUPS`, only that group's module is imported and its commands added
        (the parse is the same, ~15 ms sooner); otherwise (help, a typo) all are.
    """
    parser = _Parser(
        prog="dbssim",
        description="Deep brain stimulation programming simulator: ground-truth tools.",
        epilog="Run 'dbssim COMMAND --help' for one command's options.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups = [g for g in PARSER_GROUPS if command in g[2]] or PARSER_GROUPS
    for module, adder, _ in groups:
        getattr(importlib.import_module(module), adder)(sub)
    return parser


def emit_json(data: Any) -> None:
    """Print JSON to standard output, one object, keys in a stable order."""
    print(json.dumps(data, indent=2, ensure_ascii=False))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dbssim`` console script."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words else None)
    try:
        args = parser.parse_args(words)
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
    except InputError as exc:
        more = len(getattr(exc, "problems", ())) - 1  # a scenario error lists every problem
        extra = f" (+{more} more)" if more > 0 else ""
        return _refuse(f"{exc.field}: {exc.message}", extra)
    except RecursionError:
        return _refuse("input: nested too deeply")
    except ValueError as exc:
        pydantic = sys.modules.get("pydantic")  # loaded if a model can have raised this
        if pydantic is not None and isinstance(exc, pydantic.ValidationError):
            # A model deeper down refused a value given to it: its first problem, one line.
            from dbssim.validation import validation_problems

            return _refuse(str(validation_problems(exc, pydantic.BaseModel)[0]))
        return _refuse(str(exc) or exc.__class__.__name__)


def _refuse(text: str, extra: str = "") -> int:
    """One line on standard error (never a traceback or a library's multi-line text); 2."""
    line = first_line(" ".join(text.split()), MAX_ERROR_CHARS - len(extra))
    print(f"error: {line}{extra}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
