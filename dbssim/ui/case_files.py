"""Authored cases: built from the educator's form or an uploaded YAML file, kept in the store.

Every case goes through the same checks as ``dbssim validate``
(:func:`dbssim.patient.case_text.parse_case_text`: size limit, YAML shape, no HTML, strict
schema with its geometry checks), then the simulated sanity check
(:func:`dbssim.patient.case_checks.check_case`), whose findings are shown as warnings.
A saved case is the validated model, kept in the shared database (``Store.save_case``),
so every app server behind one database sees it (DESIGN §8).
No Streamlit here: the pages call these functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from dbssim.patient import case_text
from dbssim.patient.case_checks import CaseCheck, check_case, distance_to_target_mm
from dbssim.patient.case_text import (  # noqa: F401  (re-exported: the pages and tests use them)
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    check_yaml_shape,
    friendlier,
    html_errors,
)
from dbssim.patient.scenario import FILE_FIELD, MAX_SCENARIO_BYTES, Scenario, ScenarioError
from dbssim.physics.devices import get_device
from dbssim.physics.leads import get_lead
from dbssim.store.service import Store, StoreError

MAX_ID_CHARS = 60  # the class table keeps scenario ids of up to 100 characters
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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
    try:
        return store.load_case(case_id)
    except StoreError as exc:
        raise _fail(exc.field, exc.message) from None


def scenario_yaml(scenario: Scenario) -> str:
    """The validated case as plain YAML (keys in schema order)."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def save_case(store: Store, scenario: Scenario) -> None:
    """Keep an authored case in the database; a bundled or existing id is refused."""
    check_case_id(scenario.id)
    try:
        store.save_case(scenario)
    except StoreError as exc:
        raise _fail(exc.field, exc.message) from None


# --- checks ----------------------------------------------------------------------------------
def parse_case_text(text: str) -> Scenario:
    """Validate case YAML (:func:`dbssim.patient.case_text.parse_case_text`) and its id."""
    scenario = case_text.parse_case_text(text)
    check_case_id(scenario.id)
    return scenario


def case_warnings(scenario: Scenario) -> list[str]:
    """What the noise-free review says about a valid case (shown, not refused)."""
    found: CaseCheck = check_case(scenario)
    return found.errors + found.warnings


def lead_distances(scenario: Scenario) -> dict[str, float]:
    """Side → mm from the target nucleus's centre to the lead's nearest contact."""
    return {
        side: distance_to_target_mm(scenario, placement)
        for side, placement in scenario.leads.items()
    }


def parse_upload(raw: bytes) -> Scenario:
    """An uploaded file's bytes (already read up to the limit + 1) as a validated case."""
    if len(raw) > MAX_SCENARIO_BYTES:
        raise _fail(FILE_FIELD, f"larger than the {MAX_SCENARIO_BYTES // 1000} kB limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(FILE_FIELD, "not UTF-8 text; save the case as a plain-text YAML file") from None
    return parse_case_text(text)


def _moved(point: Any, offset: Any) -> list[float]:
    return [round(float(a) + float(b), 3) for a, b in zip(point, offset, strict=True)]


# Impedances given to a lead model chosen in the form: typical of the bundled cases
# (rings ~1000–1200 ohm, segments ~1900–2100 ohm; smaller contacts, higher impedance).
RING_IMPEDANCE_OHM = 1100.0  # teaching value, not from literature
SEGMENT_IMPEDANCE_OHM = 2000.0  # teaching value, not from literature


def _impedances(model: str, current: list[float]) -> list[float]:
    lead = get_lead(model)
    if len(current) == len(lead.contacts):
        return list(current)
    return [SEGMENT_IMPEDANCE_OHM if c.is_segment else RING_IMPEDANCE_OHM for c in lead.contacts]


def _patient_and_hardware(data: dict[str, Any], form: Mapping[str, Any]) -> None:
    """Age, sex, weeks since surgery, device and lead model, where the form gives them."""
    for key in ("age_years", "sex", "weeks_since_surgery"):
        if key in form:
            data[key] = form[key]
    if "device" in form:
        data["device"] = form["device"]
        modes = get_device(form["device"]).modes
        if data["amplitude_mode"] not in modes:
            data["amplitude_mode"] = modes[0]
    if "lead_model" in form:
        for lead in data["leads"].values():
            lead["impedances_ohm"] = _impedances(form["lead_model"], lead["impedances_ohm"])
            lead["model"] = form["lead_model"]


def build_case(base: Scenario, form: Mapping[str, Any]) -> Scenario:
    """A new case from a base case and the authoring form, validated like an uploaded file.

    ``form`` holds ``id``, ``title``, ``case`` (the four texts), ``lead_offsets_mm``
    (side → x, y, z added to the true tip), ``imaging_shows_plan`` (the imaging report
    keeps showing the base case's position), ``anatomy_offsets_mm`` (structure → x, y, z
    added to the base case's own offsets), ``baseline`` (item → score) and
    ``relief_scale``; optionally ``age_years``, ``sex``, ``weeks_since_surgery``, ``device``
    and ``lead_model`` (every lead; impedances kept if the contact count is the same).
    """
    data = base.model_dump(mode="json")
    data |= {"id": form["id"], "title": form["title"], "case": dict(form["case"])}
    _patient_and_hardware(data, form)
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
