"""Action files: a JSON list of session actions (format in ``docs/actions.md``).

A file is checked whole before anything is stored: first the shape of every action
(:func:`dbssim.session.engine.parse_action`), then a dry run on the patient, which also
refuses actions that are well formed but impossible (a contact the lead does not have,
an amplitude the device cannot give, anything after ``finish``). The first bad action
is reported as ``actions[INDEX].FIELD: what is wrong`` (index from 0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dbssim.errors import InputError
from dbssim.patient.scenario_schema import Scenario
from dbssim.session.actions import SessionError, parse_action
from dbssim.session.engine import Session

MAX_ACTIONS_FILE_BYTES = 2_000_000  # thousands of actions; far more than a session needs
MAX_ACTIONS = 10_000  # a long session has a few hundred (teaching value)


class ActionFileError(InputError):
    """A refused action file.

    ``index`` is the first bad action (None: the whole file), ``key`` the key of that
    action; ``field`` is the whole location, e.g. ``actions[3].amplitude_ma``.
    """

    def __init__(self, index: int | None, key: str, message: str):
        super().__init__(f"actions[{index}].{key}" if index is not None else key, message)
        self.args = (index, key, message)
        self.index = index
        self.key = key


def parse_actions(text: str) -> list[dict[str, Any]]:
    """Parse and check the shape of an action list given as JSON text."""
    if len(text.encode("utf-8")) > MAX_ACTIONS_FILE_BYTES:
        raise ActionFileError(None, "actions", f"larger than {MAX_ACTIONS_FILE_BYTES} bytes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ActionFileError(
            None, "actions", f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:  # thousands of nested brackets
        raise ActionFileError(
            None, "actions", "nested too deeply to be a list of actions"
        ) from None
    if not isinstance(data, list):
        raise ActionFileError(
            None, "actions", f"must be a JSON list of actions (got {type(data).__name__})"
        )
    if len(data) > MAX_ACTIONS:
        raise ActionFileError(None, "actions", f"{len(data)} actions; at most {MAX_ACTIONS}")
    for index, action in enumerate(data):
        try:
            parse_action(action)
        except SessionError as exc:
            raise ActionFileError(index, exc.field, exc.message) from None
    return data


def load_actions(path: str | Path) -> list[dict[str, Any]]:
    """Read an action file (UTF-8 JSON) and check the shape of every action."""
    p = Path(path)
    if not p.is_file():
        raise ActionFileError(None, "--actions", f"no such file {p}")
    if p.stat().st_size > MAX_ACTIONS_FILE_BYTES:
        raise ActionFileError(None, "--actions", f"larger than {MAX_ACTIONS_FILE_BYTES} bytes")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ActionFileError(None, "--actions", "not UTF-8 text") from None
    return parse_actions(text)


def dry_run(
    scenario: Scenario, seed: int, actions: list[dict[str, Any]], random_patient: bool = False
) -> Session:
    """Apply every action to a fresh session in memory; the first refused one is reported."""
    session = Session.start(scenario, seed, random_patient)
    for index, action in enumerate(actions):
        try:
            session.apply(action)
        except SessionError as exc:
            raise ActionFileError(index, exc.field, exc.message) from None
    return session
