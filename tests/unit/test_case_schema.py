"""Issue 12, finding 8: `dbssim schema`, docs/authoring.md, and errors that list what is allowed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from dbssim.cli.main import main
from dbssim.patient.case_checks import check_case
from dbssim.patient.case_schema import case_json_schema, field_table, scale_ids
from dbssim.patient.case_text import parse_case_text
from dbssim.patient.response import COMPONENTS
from dbssim.patient.scenario import ScenarioError, list_scenario_ids, load_scenario
from dbssim.physics.devices import device_registry
from dbssim.physics.leads import lead_registry
from dbssim.validation import closest_name

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def schema_from_cli(capsys: pytest.CaptureFixture) -> dict[str, Any]:
    assert main(["schema"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_schema_command_prints_a_valid_json_schema(capsys: pytest.CaptureFixture) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = schema_from_cli(capsys)
    assert schema == case_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for sid in list_scenario_ids():
        data = load_scenario(sid).model_dump(mode="json", exclude_none=True)
        assert not list(validator.iter_errors(data)), sid
    bad = load_scenario("pd-stn").model_dump(mode="json", exclude_none=True) | {"age": 40}
    bad["device"] = "medtronic"
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "'age' was unexpected" in messages and "'medtronic' is not one of" in messages


def test_schema_lists_the_allowed_names(capsys: pytest.CaptureFixture) -> None:
    schema = schema_from_cli(capsys)
    props = schema["properties"]
    assert props["scale"]["enum"] == scale_ids()
    assert props["device"]["enum"] == list(device_registry())
    assert props["index_component"]["enum"] == list(COMPONENTS)
    assert schema["$defs"]["LeadPlacement"]["properties"]["model"]["enum"] == list(lead_registry())
    assert all(spec.get("description") for spec in props.values()), "every field described"


def test_docs_field_table_is_the_schemas(capsys: pytest.CaptureFixture) -> None:
    assert main(["schema", "--markdown"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == field_table()
    assert field_table() in DOC.read_text(encoding="utf-8"), "regenerate docs/authoring.md"


def test_docs_worked_example_is_a_valid_case_that_warns_about_its_left_lead() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert example, "docs/authoring.md has a YAML example"
    case = parse_case_text(example.group(1))
    base = load_scenario("dystonia-generalized-gpi")
    assert case.leads["left"].tip_mm[0] == pytest.approx(base.leads["left"].tip_mm[0] - 2)
    assert case.leads["left"].shown_tip_mm == base.leads["left"].tip_mm
    assert (case.age_years, case.sex) == (34, "male")
    found = check_case(case)
    assert not found.errors
    assert [w.split(":")[0] for w in found.warnings] == ["leads.left"], found.warnings
    assert found.warnings[0] in " ".join(text.split()), "the doc quotes the warning"


def refused(**changes: Any) -> str:
    data = load_scenario("pd-stn").model_dump(mode="json") | changes
    with pytest.raises(ScenarioError) as info:
        parse_case_text(yaml.safe_dump(data))
    return "\n".join(info.value.lines)


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("scale", "updrs", scale_ids()),
        ("device", "medtronic", list(device_registry())),
        ("index_component", "tremor", ["pd_tremor", "pd_rigidity", "pd_bradykinesia"]),
        ("schema_version", 2, ["1"]),
        ("disease", "pd", ["dystonia", "parkinson", "essential_tremor"]),
    ],
)
def test_errors_list_the_allowed_values(field: str, value: Any, allowed: list[str]) -> None:
    message = refused(**{field: value})
    assert message.startswith(f"{field}:"), message
    assert all(a in message for a in allowed), message
    assert "Value error" not in message and "(top level)" not in message


def test_age_suggests_age_years_never_target() -> None:
    message = refused(age=34)
    assert "did you mean 'age_years'?" in message and "'target'" not in message.split("?")[0]
    assert closest_name("age", ["target", "title"]) is None
    assert closest_name("tip", ["tip_mm", "shown_tip_mm"]) == "tip_mm"
    assert closest_name("titel", ["title", "target"]) == "title"
