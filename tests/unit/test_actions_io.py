"""Action files: the documented example replays cleanly; bad files name index and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dbssim.patient.scenario_library import load_scenario
from dbssim.session.action_files import (
    MAX_ACTIONS_FILE_BYTES,
    ActionFileError,
    dry_run,
    load_actions,
    parse_actions,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "actions-dystonia.json"
ISSUE_EXAMPLES = [  # every action shape issue 5 lists
    {"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 2.0,
     "pulse_width_us": 60, "frequency_hz": 130},
    {"action": "stim_on"}, {"action": "stim_off"}, {"action": "examine"}, {"action": "ask"},
    {"action": "wait", "minutes": 5},
    {"action": "record_threshold", "side": "left", "contact": "1", "kind": "side_effect",
     "amplitude_ma": 3.5},
    {"action": "visit", "after_days": 30}, {"action": "finish"},
]  # fmt: skip


def test_documented_example_replays_to_a_finished_session() -> None:
    scenario = load_scenario("dystonia-generalized-gpi")
    actions = load_actions(EXAMPLE)
    session = dry_run(scenario, scenario.seed, actions)
    assert session.finished and len(session.log) == len(actions)
    kinds = {a["action"] for a in actions}
    assert kinds == {a["action"] for a in ISSUE_EXAMPLES}, f"example misses {kinds}"


def test_every_action_shape_of_the_issue_is_accepted() -> None:
    scenario = load_scenario("dystonia-generalized-gpi")
    assert dry_run(scenario, 0, parse_actions(json.dumps(ISSUE_EXAMPLES))).finished


@pytest.mark.parametrize(
    ("text", "index", "field"),
    [
        ('[{"action": "ask"}, {"action": "wait"}]', 1, "minutes"),
        ('[{"action": "wait", "minutes": NaN}]', 0, "minutes"),
        ('[{"action": "visit", "after_days": 1.5}]', 0, "after_days"),
        ('[{"action": "ask", "extra": 1}]', 0, "extra"),
        ("[]" + " " * 10, None, "actions"),
        ("{}", None, "actions"),
        ("not json", None, "actions"),
    ],
)
def test_bad_actions_name_index_and_field(text: str, index: int | None, field: str) -> None:
    if text.strip() == "[]":
        assert parse_actions(text) == []
        return
    with pytest.raises(ActionFileError) as info:
        parse_actions(text)
    assert (info.value.index, info.value.key) == (index, field), str(info.value)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text("[" + " " * MAX_ACTIONS_FILE_BYTES + "]", "utf-8")
    with pytest.raises(ActionFileError, match="larger than"):
        load_actions(path)
