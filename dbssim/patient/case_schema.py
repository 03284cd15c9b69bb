"""The case file's JSON Schema, for editors and for docs/authoring.md (``dbssim schema``).

The schema is the pydantic model's own (:class:`dbssim.patient.scenario.Scenario`), with
what the model checks in code added where an editor can use it: the allowed scales,
devices, lead models and symptom components as ``enum`` lists, and a description on every
field. The semantic checks (:mod:`dbssim.patient.case_checks`) cannot be expressed in JSON
Schema; ``dbssim validate`` runs them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from dbssim.patient.response import COMPONENTS
from dbssim.patient.scenario import Scenario
from dbssim.physics.devices import device_registry
from dbssim.physics.leads import lead_registry

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Descriptions for fields whose model declares none (kept here, beside the schema's use).
FIELD_NOTES: dict[str, str] = {
    "id": "Case id: lower-case letters, digits and dashes; a file is named after it (id.yaml)",
    "title": "One line shown to trainees (plain text)",
    "disease": "The disease being treated",
    "target": "Implanted nucleus; selects the atlas (structures, side effects)",
    "scale": "Rating scale of the case; its items are the keys of 'baseline'",
    "age_years": "Patient's age in years, shown on the case sheet",
    "sex": "Patient's sex, shown on the case sheet",
    "weeks_since_surgery": "Weeks since implantation, shown on the case sheet",
    "case": "The four texts the trainee reads (plain text; only **bold** is kept)",
    "device": "Implanted pulse generator id",
    "amplitude_mode": "Whether the device is programmed in mA (current) or V (voltage)",
    "conductivity_s_m": "Tissue conductivity around the lead, S/m",
    "seed": "Seed of the patient's rater noise and of any random draw",
    "leads": "Implanted leads by hemisphere: 'left' and/or 'right'",
    "anatomy_offsets_mm": "Structure id -> [x, y, z] mm added to its atlas position",
    "history": "History (plain text)",
    "examination": "Examination with stimulation off (plain text)",
    "hardware": "What the implant report says (plain text)",
    "question": "The trainee's task (plain text)",
    "variability": "Spread of 'a random patient like this one'",
}


def scale_ids() -> list[str]:
    folder = resources.files("dbssim") / "data" / "scales"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _describe(properties: dict[str, Any]) -> None:
    for name, spec in properties.items():
        if "description" not in spec and name in FIELD_NOTES:
            spec["description"] = FIELD_NOTES[name]


def case_json_schema() -> dict[str, Any]:
    """The case file's JSON Schema (draft 2020-12)."""
    schema = Scenario.model_json_schema()
    props = schema["properties"]
    props["scale"]["enum"] = scale_ids()
    props["device"]["enum"] = list(device_registry())
    props["index_component"]["enum"] = list(COMPONENTS)
    props["index_component"]["description"] += (
        " (one of the components of the scale's items, or of component_weights)"
    )
    props["baseline"]["description"] += " (keys: the item ids of the chosen scale)"
    lead = schema["$defs"]["LeadPlacement"]["properties"]
    lead["model"]["enum"] = list(lead_registry())
    _describe(props)
    for definition in schema["$defs"].values():
        _describe(definition["properties"])
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": f"dbssim case file, schema version {props['schema_version']['const']}",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def _ref_name(spec: dict[str, Any]) -> str | None:
    for candidate in (spec, spec.get("additionalProperties") or {}, *spec.get("anyOf", [])):
        ref = candidate.get("$ref") if isinstance(candidate, dict) else None
        if ref:
            return str(ref).rsplit("/", 1)[-1]
    return None


def _type(spec: dict[str, Any]) -> str:
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    if "anyOf" in spec:
        return " or ".join(_type(s) for s in spec["anyOf"])
    kind = spec.get("type", "object")
    if kind == "array" and "prefixItems" in spec:
        return f"[{', '.join(_type(s) for s in spec['prefixItems'])}]"
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if kind == "object" and isinstance(spec.get("additionalProperties"), dict):
        return f"map of {_type(spec['additionalProperties'])}"
    return {"number": "number", "integer": "integer", "string": "text", "null": "absent"}.get(
        kind, kind
    )


def _limits(spec: dict[str, Any]) -> str:
    parts = []
    for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤")):
        if key in spec:
            parts.append(f"{word} {spec[key]:g}")
    if "pattern" in spec:
        parts.append(f"pattern `{spec['pattern']}`")
    if spec.get("minLength"):
        parts.append("not empty")
    if "minProperties" in spec:
        parts.append(f"at least {spec['minProperties']} entry")
    return ", ".join(parts)


def field_rows(schema: dict[str, Any] | None = None) -> list[tuple[str, str, str, str]]:
    """(path, type and limits, required or default, description) for every field."""
    schema = schema or case_json_schema()
    rows: list[tuple[str, str, str, str]] = []

    def walk(obj: dict[str, Any], prefix: str) -> None:
        required = set(obj.get("required", []))
        for name, spec in obj["properties"].items():
            path = f"{prefix}{name}"
            ref = _ref_name(spec)
            limits = _limits(spec)
            kind = _type(spec) if ref is None else "see below"
            shown = kind + (f" ({limits})" if limits else "")
            if name in required:
                need = "required"
            elif spec.get("default") is not None:
                need = f"default `{json.dumps(spec['default'])}`"
            else:
                need = "optional"
            rows.append((path, shown, need, spec.get("description", "")))
            if ref is not None:
                inner = "<side>." if path == "leads" else ""
                walk(schema["$defs"][ref], f"{path}.{inner}")

    walk(schema, "")
    return rows


def field_table() -> str:
    """The field reference of docs/authoring.md, as a Markdown table."""
    lines = ["| field | type | required? | meaning |", "| --- | --- | --- | --- |"]
    for path, kind, need, text in field_rows():
        kind, text = kind.replace("|", "\\|"), text.replace("|", "\\|")
        lines.append(f"| `{path}` | {kind} | {need} | {text} |")
    return "\n".join(lines)
