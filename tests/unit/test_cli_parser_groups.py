"""The CLI builds one command's parser from its group alone: the groups must be complete."""

import argparse

import pytest

from dbssim.cli.main import PARSER_GROUPS, build_parser


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_every_command_is_listed_in_its_group_in_help_order():
    listed = [c for _, _, commands in PARSER_GROUPS for c in commands]
    assert _commands(build_parser()) == listed


@pytest.mark.parametrize("command", [c for _, _, cs in PARSER_GROUPS for c in cs])
def test_a_command_alone_parses_as_with_every_command(command):
    alone = _commands(build_parser(command))
    assert command in alone and len(alone) < len(_commands(build_parser()))
    full = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    lone = build_parser(command)._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert lone.format_help() == full.format_help()


def test_unknown_or_missing_command_builds_everything():
    for first in (None, "--help", "vtaa"):
        assert _commands(build_parser(first)) == _commands(build_parser())
