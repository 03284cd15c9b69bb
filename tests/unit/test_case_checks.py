"""Semantic case checks (issue 12): cases that passed validation and crashed later.

Each case below was "valid" for ``dbssim validate`` and "Saved" on upload before these checks;
the trainee then met a raw traceback (zero direction, NaN) or an unprogrammable patient.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from dbssim.cli.main import main
from dbssim.patient.case_checks import (
    MAX_TARGET_DISTANCE_MM,
    MIN_USEFUL_WINDOW_MA,
    check_case,
    distance_to_target_mm,
)
from dbssim.patient.case_text import parse_case_text
from dbssim.patient.scenario import ScenarioError, list_scenario_ids, load_scenario

BASE = "pd-stn"


def case_data(scenario_id: str = BASE, **left: Any) -> dict[str, Any]:
    data: dict[str, Any] = load_scenario(scenario_id).model_dump(mode="json")
    data["leads"]["left"].update(left)
    return data


def write_case(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_case_text(yaml.safe_dump(data, sort_keys=False))
    return "\n".join(info.value.lines)


def test_zero_direction_is_refused_naming_the_field() -> None:
    message = refused(case_data(direction=[0, 0, 0]))
    assert "leads.left.direction" in message and "no length" in message


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_tip_is_refused(value: float) -> None:
    message = refused(case_data(tip_mm=[value, 1.0, -4.0]))
    assert "leads.left.tip_mm.0" in message and "finite" in message


def test_a_lead_500_mm_from_its_target_is_refused() -> None:
    tip = load_scenario(BASE).leads["left"].tip_mm
    message = refused(case_data(tip_mm=[tip[0] + 500, tip[1], tip[2]]))
    assert "leads.left.tip_mm" in message and "STN" in message
    assert f"at most {MAX_TARGET_DISTANCE_MM:g} mm" in message


def test_a_lead_pointing_down_is_refused() -> None:
    assert "z component must be positive" in refused(case_data(direction=[0.1, 0.4, -0.9]))


def test_a_vertical_lead_gives_a_warning_about_its_window() -> None:
    """The from-the-docs vertical lead: capsular effects first on most contacts, no warning."""
    scenario = parse_case_text(yaml.safe_dump(case_data(direction=[0, 0, 1])))
    found = check_case(scenario)
    assert not found.errors
    left = [w for w in found.warnings if w.startswith("leads.left:")]
    assert left, found.warnings
    assert f"under {MIN_USEFUL_WINDOW_MA:g} mA" in left[0] or "no contact" in left[0]


def test_bundled_cases_pass_and_only_the_misplaced_lead_case_warns() -> None:
    for sid in list_scenario_ids():
        found = check_case(load_scenario(sid))
        assert not found.errors, (sid, found.errors)
        expected = sid == "dystonia-gpi-medial-lead"  # its lesson: no contact works
        assert bool(found.warnings) == expected, (sid, found.warnings)


def test_a_lead_2_mm_too_medial_is_plausible() -> None:
    """The worked example of docs/authoring.md: a teaching case, not a mistake."""
    data = case_data("dystonia-generalized-gpi")
    data["id"] = "gpi-left-2mm-medial"
    data["leads"]["left"]["tip_mm"][0] -= 2.0
    scenario = parse_case_text(yaml.safe_dump(data, sort_keys=False))
    assert distance_to_target_mm(scenario, scenario.leads["left"]) < MAX_TARGET_DISTANCE_MM
    assert not check_case(scenario).errors


# --- dbssim validate runs the upload's checks and the semantic ones -----------------------------
def test_validate_refuses_a_zero_direction(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = write_case(tmp_path, case_data(direction=[0, 0, 0]))
    with pytest.raises(SystemExit) as info:
        main(["validate", str(path)])
    assert info.value.code == 1
    assert "leads.left.direction" in capsys.readouterr().out


def test_validate_runs_the_upload_html_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = case_data()
    data["case"]["history"] = "Fine <img src=x onerror=alert(1)>"
    with pytest.raises(SystemExit):
        main(["validate", str(write_case(tmp_path, data))])
    assert "case.history: HTML is not allowed" in capsys.readouterr().out


def test_validate_refuses_deep_nesting_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nested too deeply" in err[0], err


def test_validate_prints_the_window_warning_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = write_case(tmp_path, case_data(direction=[0, 0, 1]))
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "valid scenario" in captured.out
    assert "warning: leads.left:" in captured.err
