"""Authored cases: built from the educator's form or an uploaded YAML file, kept in the store.

Every case goes through the same strict path as a bundled scenario file
(:func:`dbssim.patient.scenario_files.parse_scenario`: size limit, ``yaml.safe_load``,
strict schema), after two checks that the schema cannot make:

- the YAML *shape*: anchors and aliases expand to at most :data:`MAX_YAML_NODES` values
  and :data:`MAX_YAML_DEPTH` levels (a "billion laughs" file is tiny on disk but
  explodes when its aliases are followed), and
- the *texts*: no HTML anywhere (case texts are Markdown shown to trainees).

Nothing in an uploaded file is ever executed: the safe loader builds plain values only.
A saved case is the validated model, kept in the shared database (``Store.save_case``),
so every app server behind one database sees it (DESIGN §8).
No Streamlit here: the pages call these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from dbssim.errors import InputError
from dbssim.patient.scenario_files import MAX_SCENARIO_BYTES, ScenarioError, parse_scenario
from dbssim.patient.scenario_schema import Scenario
from dbssim.store.service import Store

MAX_YAML_NODES = 10_000  # a scenario has ~150 values; room for long authored cases
MAX_YAML_DEPTH = 20  # a scenario nests 4 levels deep
MAX_ID_CHARS = 60  # the class table keeps scenario ids of up to 100 characters
MAX_SHOWN_CHARS = 300  # an error line quoting a huge value is cut here
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# An HTML tag, comment or declaration, or a script URL (Markdown never needs them).
HTML_PATTERN = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:", re.IGNORECASE)


def _fail(field: str, message: str) -> ScenarioError:
    return ScenarioError.at(field, message)


def check_case_id(case_id: str) -> str:
    """A case id safe to use as a file name: ``^[a-z0-9][a-z0-9-]*$``, ≤ 60 characters."""
    if not isinstance(case_id, str) or not ID_PATTERN.fullmatch(case_id):
        raise _fail("id", "use lower-case letters, digits and dashes, e.g. 'gpi-lead-2mm-medial'")
    if len(case_id) > MAX_ID_CHARS:
        raise _fail("id", f"{len(case_id)} characters; at most {MAX_ID_CHARS} allowed")
    return case_id


def list_authored(store: Store) -> dict[str, str]:
    """Authored case id → title (kept in the shared database)."""
    return store.list_cases()


def load_case(store: Store, case_id: str) -> Scenario:
    """A bundled scenario by id, else an authored case from the database."""
    return store.load_case(case_id)


def scenario_yaml(scenario: Scenario) -> str:
    """The validated case as plain YAML (keys in schema order)."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def save_case(store: Store, scenario: Scenario) -> None:
    """Keep an authored case in the database; a bundled or existing id is refused."""
    check_case_id(scenario.id)
    store.save_case(scenario)


# --- checks ----------------------------------------------------------------------------------
def check_yaml_shape(text: str) -> None:
    """Refuse YAML whose aliases expand past the limits, without building any value."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _fail("(file)", f"not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise _fail("(file)", f"nested more than {MAX_YAML_DEPTH} levels deep") from None
    stack = [(root, 0)] if root is not None else []
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            raise _fail(
                "(file)",
                f"more than {MAX_YAML_NODES} values once its anchors and aliases (&, *) are "
                "expanded; a scenario needs a few hundred (is this a YAML bomb?)",
            )
        if depth > MAX_YAML_DEPTH:
            raise _fail("(file)", f"nested more than {MAX_YAML_DEPTH} levels deep")
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
            problems.append(
                InputError(
                    path,
                    f"HTML is not allowed in case texts (found {found.group(0)[:40]!r}); "
                    "write Markdown instead",
                )
            )
    return problems


def parse_case_text(text: str) -> Scenario:
    """Validate case YAML: size, shape, schema and texts; every problem with its field path."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise _fail("(file)", f"larger than {MAX_SCENARIO_BYTES // 1000} kB")
    check_yaml_shape(text)
    try:
        data = yaml.safe_load(text)  # plain values only: an unknown tag is an error
    except yaml.YAMLError as exc:
        raise _fail("(file)", f"not valid YAML: {str(exc).splitlines()[0]}") from None
    problems = html_errors(data)
    scenario = None
    try:
        scenario = parse_scenario(text)
    except ScenarioError as exc:
        problems = exc.problems + problems
    if problems or scenario is None:
        raise ScenarioError([friendlier(p) for p in problems])
    check_case_id(scenario.id)
    return scenario


def parse_upload(raw: bytes) -> Scenario:
    """An uploaded file's bytes (already read up to the limit + 1) as a validated case."""
    if len(raw) > MAX_SCENARIO_BYTES:
        raise _fail("(file)", f"larger than the {MAX_SCENARIO_BYTES // 1000} kB limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail("(file)", "not UTF-8 text; save the case as a plain-text YAML file") from None
    return parse_case_text(text)


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


def _moved(point: Any, offset: Any) -> list[float]:
    return [round(float(a) + float(b), 3) for a, b in zip(point, offset, strict=True)]


def build_case(base: Scenario, form: Mapping[str, Any]) -> Scenario:
    """A new case from a base case and the authoring form, validated like an uploaded file.

    ``form`` holds ``id``, ``title``, ``case`` (the four texts), ``lead_offsets_mm``
    (side → x, y, z added to the true tip), ``imaging_shows_plan`` (the imaging report
    keeps showing the base case's position), ``anatomy_offsets_mm`` (structure → x, y, z
    added to the base case's own offsets), ``baseline`` (item → score) and
    ``relief_scale``.
    """
    data = base.model_dump(mode="json")
    data |= {"id": form["id"], "title": form["title"], "case": dict(form["case"])}
    for side, offset in form["lead_offsets_mm"].items():
        lead = data["leads"][side]
        planned = lead["shown_tip_mm"] or lead["tip_mm"]
        lead["tip_mm"] = _moved(lead["tip_mm"], offset)
        lead["shown_tip_mm"] = planned if form["imaging_shows_plan"] else _moved(planned, offset)
    offsets = dict(data["anatomy_offsets_mm"])
    for structure, offset in form["anatomy_offsets_mm"].items():
        if any(float(v) != 0 for v in offset):
            offsets[structure] = _moved(offsets.get(structure, (0, 0, 0)), offset)
    data["anatomy_offsets_mm"] = offsets
    data["baseline"] = dict(form["baseline"])
    data["relief_scale"] = form["relief_scale"]
    return parse_case_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
