"""Reading scenario files: size limit, safe YAML loader, strict validation, readable errors."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from dbssim.patient.scenario_schema import Scenario
from dbssim.validation import describe_validation_error

MAX_SCENARIO_BYTES = 256_000  # a case file is text; anything larger is refused


class ScenarioError(ValueError):
    """A scenario failed validation; ``lines`` name field paths, values and what is allowed."""

    def __init__(self, lines: list[str]):
        super().__init__("; ".join(lines))
        self.lines = lines


def parse_scenario(text: str, expected_id: str | None = None) -> Scenario:
    """Parse and validate scenario YAML text (safe loader, size-limited)."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioError([f"(file): larger than {MAX_SCENARIO_BYTES} bytes"])
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([f"(file): not valid YAML: {exc}".splitlines()[0]]) from exc
    if not isinstance(data, dict):
        raise ScenarioError(["(file): a scenario must be a mapping of keys to values"])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(describe_validation_error(exc, Scenario)) from exc
    if expected_id is not None and scenario.id != expected_id:
        raise ScenarioError([f"id: '{scenario.id}' must equal the file name '{expected_id}'"])
    return scenario


def load_scenario_file(path: str | Path) -> Scenario:
    """Load a scenario from a YAML file; its id must equal the file stem."""
    p = Path(path)
    if not p.exists():
        raise ScenarioError([f"(file): no such file {p}"])
    if not p.is_file():
        raise ScenarioError([f"(file): {p} is not a regular file"])
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError([f"(file): larger than {MAX_SCENARIO_BYTES} bytes"])
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([f"(file): {p} is not UTF-8 text"]) from None
    return parse_scenario(text, expected_id=p.stem)
