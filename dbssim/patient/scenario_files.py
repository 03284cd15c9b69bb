"""Reading scenario files: size limit, safe YAML loader, strict validation, readable errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from dbssim.errors import InputError, first_line
from dbssim.patient.scenario_schema import Scenario
from dbssim.validation import load_yaml, validation_problems

MAX_SCENARIO_BYTES = 256_000  # a case file is text; anything larger is refused
FILE_FIELD = "(file)"  # a problem of the whole file, not of one field
TOO_DEEP = "nested too deeply to be a scenario (a scenario nests 4 levels deep)"


class ScenarioError(InputError):
    """A scenario failed validation.

    ``problems`` holds every problem found, each with its field path; ``field`` and
    ``message`` are those of the first.
    """

    def __init__(self, problems: Sequence[InputError]):
        found = list(problems) or [InputError("(file)", "not a valid scenario")]
        super().__init__(found[0].field, found[0].message, found[0].allowed)
        self.args = (found,)
        self.problems = found

    @classmethod
    def at(cls, field: str, message: str) -> ScenarioError:
        """A scenario error with one problem."""
        return cls([InputError(field, message)])

    @property
    def lines(self) -> list[str]:
        """Every problem as a ``field: message`` line."""
        return [str(p) for p in self.problems]

    def __str__(self) -> str:
        return "; ".join(self.lines)


MAX_NESTING_DEPTH = 20  # a scenario nests 4 levels deep; room for authored extras


def _nesting_depth(data: object) -> int:
    """How deeply lists and mappings nest in parsed YAML (iterative: no recursion limit)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def parse_scenario(text: str, expected_id: str | None = None) -> Scenario:
    """Parse and validate scenario YAML text (safe loader, size-limited)."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioError.at(FILE_FIELD, f"larger than {MAX_SCENARIO_BYTES} bytes")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ScenarioError.at(FILE_FIELD, first_line(f"not valid YAML: {exc}")) from None
    except RecursionError:  # e.g. thousands of nested brackets (pure-Python loader)
        raise ScenarioError.at(FILE_FIELD, TOO_DEEP) from None
    if _nesting_depth(data) > MAX_NESTING_DEPTH:  # libyaml loads them without complaint
        raise ScenarioError.at(FILE_FIELD, TOO_DEEP)
    if not isinstance(data, dict):
        raise ScenarioError.at(FILE_FIELD, "a scenario must be a mapping of keys to values")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, Scenario)) from exc
    if expected_id is not None and scenario.id != expected_id:
        raise ScenarioError.at("id", f"'{scenario.id}' must equal the file name '{expected_id}'")
    return scenario


def load_scenario_file(path: str | Path) -> Scenario:
    """Load a scenario from a YAML file; its id must equal the file stem."""
    p = Path(path)
    if not p.exists():
        raise ScenarioError.at(FILE_FIELD, f"no such file {p}")
    if not p.is_file():
        raise ScenarioError.at(FILE_FIELD, f"{p} is not a regular file")
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError.at(FILE_FIELD, f"larger than {MAX_SCENARIO_BYTES} bytes")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError.at(FILE_FIELD, f"{p} is not UTF-8 text") from None
    return parse_scenario(text, expected_id=p.stem)
