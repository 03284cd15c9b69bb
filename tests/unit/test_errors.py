"""Structured errors: one type with a field path and a message, raised by every layer (issue 9)."""

from __future__ import annotations

import pytest
import yaml

from dbssim.cli.main import UsageError
from dbssim.errors import InputError
from dbssim.patient.scenario_files import ScenarioError, parse_scenario
from dbssim.patient.scenario_library import scenarios_dir
from dbssim.physics.leads import get_lead
from dbssim.session.action_files import ActionFileError, parse_actions
from dbssim.session.engine import Session, SessionError
from dbssim.store.records import StoreError


@pytest.mark.parametrize(
    "kind", [ScenarioError, SessionError, ActionFileError, StoreError, UsageError]
)
def test_every_error_type_is_an_input_error(kind: type) -> None:
    assert issubclass(kind, InputError)


def test_str_is_field_then_message() -> None:
    error = InputError("leads.left.tip_mm", "must be finite", ["x"])
    assert (str(error), error.field, error.message, error.allowed) == (
        "leads.left.tip_mm: must be finite",
        "leads.left.tip_mm",
        "must be finite",
        ("x",),
    )
    assert isinstance(error, ValueError), "callers that catch ValueError must keep working"


def test_device_refusal_reaches_the_session_as_field_and_message() -> None:
    session = Session.start("pd-stn", seed=0)
    setting = {"action": "set", "side": "left", "contacts": "1-", "frequency_hz": 130}
    with pytest.raises(SessionError) as info:
        session.apply(setting | {"amplitude_ma": 2.0, "pulse_width_us": 15})
    assert info.value.field == "pulse_width_us", info.value
    assert info.value.message.startswith("15 µs is outside what"), info.value.message


def test_scenario_model_check_keeps_its_own_field_under_the_path() -> None:
    data = yaml.safe_load((scenarios_dir() / "pd-stn.yaml").read_text(encoding="utf-8"))
    data["leads"]["left"]["impedances_ohm"] = [1000, 1000]
    with pytest.raises(ScenarioError) as info:
        parse_scenario(yaml.safe_dump(data))
    problem = info.value.problems[0]
    assert problem.field == "leads.left.impedances_ohm", problem
    assert problem.message.startswith("2 values given"), problem.message


def test_unknown_key_lists_the_allowed_keys() -> None:
    data = yaml.safe_load((scenarios_dir() / "pd-stn.yaml").read_text(encoding="utf-8"))
    data["sexx"] = "male"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(yaml.safe_dump(data))
    problem = info.value.problems[0]
    assert problem.field == "sexx" and problem.allowed is not None and "sex" in problem.allowed


def test_registry_lookup_names_the_allowed_values() -> None:
    with pytest.raises(InputError) as info:
        get_lead("medtronic-3390")
    assert info.value.field == "lead" and "medtronic-3389" in (info.value.allowed or ())


def test_action_file_error_locates_the_action() -> None:
    with pytest.raises(ActionFileError) as info:
        parse_actions('[{"action": "examine"}, {"action": "wait", "minutes": -1}]')
    error = info.value
    assert (error.index, error.key, error.field) == (1, "minutes", "actions[1].minutes"), error
