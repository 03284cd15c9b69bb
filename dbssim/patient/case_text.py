"""Case files as text: the checks a case's YAML gets before (and beside) its schema.

Shared by ``dbssim validate``, the upload and the authoring form, so a file the command
accepts is a file the app accepts:

- the YAML *shape*: anchors and aliases expand to at most :data:`MAX_YAML_NODES` values
  and :data:`MAX_YAML_DEPTH` levels (a "billion laughs" file is tiny on disk but
  explodes when its aliases are followed, and deep nesting exhausts the parser's stack);
- the *texts*: no HTML anywhere (case texts are shown to trainees as plain text);
- the schema (:func:`dbssim.patient.scenario.parse_scenario`), whose validator also runs
  the geometry checks of :mod:`dbssim.patient.case_checks`.

Nothing in a file is ever executed: the safe loader builds plain values only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from dbssim.errors import InputError
from dbssim.patient.scenario import (
    FILE_FIELD,
    MAX_SCENARIO_BYTES,
    Scenario,
    ScenarioError,
    parse_scenario,
)

MAX_YAML_NODES = 10_000  # a scenario has ~150 values; room for long authored cases
MAX_YAML_DEPTH = 20  # a scenario nests 4 levels deep
TOO_DEEP_MESSAGE = f"nested too deeply (more than {MAX_YAML_DEPTH} levels; a scenario nests 4)"
MAX_SHOWN_CHARS = 1000  # an error line longer than this is cut (values are cut earlier)
# An HTML tag, comment or declaration, or a script URL (case texts never need them).
HTML_PATTERN = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:", re.IGNORECASE)


def _fail(field: str, message: str) -> ScenarioError:
    return ScenarioError.at(field, message)


def check_yaml_shape(text: str) -> None:
    """Refuse YAML whose aliases expand past the limits, without building any value."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _fail(FILE_FIELD, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise _fail(FILE_FIELD, TOO_DEEP_MESSAGE) from None
    stack = [(root, 0)] if root is not None else []
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            raise _fail(
                FILE_FIELD,
                f"more than {MAX_YAML_NODES} values once its anchors and aliases (&, *) are "
                "expanded; a scenario needs a few hundred (is this a YAML bomb?)",
            )
        if depth > MAX_YAML_DEPTH:
            raise _fail(FILE_FIELD, TOO_DEEP_MESSAGE)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path or "(top level)", value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            yield from _strings(key, key_path)
            yield from _strings(item, key_path)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, f"{path}.{n}")


def html_errors(data: Any) -> list[InputError]:
    """One problem per text (or key) that contains HTML, naming its field path."""
    problems = []
    for path, text in _strings(data):
        found = HTML_PATTERN.search(text)
        if found:
            message = (
                f"HTML is not allowed in case texts (found {found.group(0)[:40]!r}); "
                "write plain text instead"
            )
            problems.append(InputError(path, message))
    return problems


# Pydantic's wording → what an author understands.
FRIENDLIER = {
    "String should match pattern '^[a-z0-9][a-z0-9-]*$'": (
        "use lower-case letters, digits and dashes, e.g. 'gpi-lead-2mm-medial'"
    ),
    "Field required (got {...})": "this field is required",
}


def friendlier(problem: InputError) -> InputError:
    """A problem in plainer words, cut to :data:`MAX_SHOWN_CHARS` (it may quote a huge value)."""
    message = problem.message
    for technical, plain in FRIENDLIER.items():
        if message.startswith(technical):
            message = plain + message[len(technical) :]
    if len(message) > MAX_SHOWN_CHARS:
        message = message[: MAX_SHOWN_CHARS - 1] + "…"
    return InputError(problem.field, message, problem.allowed)


def parse_case_text(text: str, expected_id: str | None = None) -> Scenario:
    """Validate case YAML: size, shape, texts and schema; every problem with its field path."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise _fail(FILE_FIELD, f"larger than {MAX_SCENARIO_BYTES // 1000} kB")
    check_yaml_shape(text)
    try:
        data = yaml.safe_load(text)  # plain values only: an unknown tag is an error
    except yaml.YAMLError as exc:
        raise _fail(FILE_FIELD, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    problems = html_errors(data)
    scenario = None
    try:
        scenario = parse_scenario(text, expected_id=expected_id)
    except ScenarioError as exc:
        problems = exc.problems + problems
    if problems or scenario is None:
        raise ScenarioError([friendlier(p) for p in problems])
    return scenario


def load_case_file(path: str | Path) -> Scenario:
    """A case file checked as the upload checks it; its id must equal the file stem."""
    p = Path(path)
    if not p.is_file():
        what = "no such file" if not p.exists() else "not a regular file:"
        raise _fail(FILE_FIELD, f"{what} {p}")
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise _fail(FILE_FIELD, f"larger than {MAX_SCENARIO_BYTES // 1000} kB")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _fail(FILE_FIELD, f"{p} is not UTF-8 text") from None
    return parse_case_text(text, expected_id=p.stem)
