"""Every bundled scenario loads, validates and round-trips; bad files are refused clearly."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from dbssim.cli.main import main
from dbssim.patient.patient_draws import draw_similar_patient
from dbssim.patient.scenario_files import ScenarioError, parse_scenario
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario, scenarios_dir

REQUIRED = {
    "dystonia-generalized-gpi",
    "dystonia-cervical-gpi",
    "dystonia-gpi-medial-lead",
    "pd-stn",
    "et-vim",
}
SCENARIO_FILES = sorted(scenarios_dir().glob("*.yaml"))
GOOD = scenarios_dir() / "dystonia-generalized-gpi.yaml"


def test_required_scenarios_are_bundled():
    missing = REQUIRED - set(list_scenario_ids())
    assert not missing, f"missing scenarios: {sorted(missing)}"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_loads_validates_and_round_trips(path):
    s = load_scenario(str(path))
    assert s.id == path.stem
    again = parse_scenario(yaml.safe_dump(s.model_dump(mode="json"), sort_keys=False), s.id)
    assert again == s


def _broken(tmp_path, mutate):
    data = yaml.safe_load(GOOD.read_text())
    mutate(data)
    path = tmp_path / "dystonia-generalized-gpi.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_typo_key_is_refused_with_suggestion(tmp_path):
    path = _broken(tmp_path, lambda d: d.update(conductivty_s_m=0.2))
    with pytest.raises(ScenarioError) as err:
        load_scenario(str(path))
    assert "conductivty_s_m" in str(err.value) and "did you mean 'conductivity_s_m'" in str(
        err.value
    )


def test_nested_typo_names_the_path(tmp_path):
    path = _broken(tmp_path, lambda d: d["leads"]["left"].update(tip=[1, 2, 3]))
    with pytest.raises(
        ScenarioError, match=r"leads\.left\.tip: unknown key; did you mean 'tip_mm'"
    ):
        load_scenario(str(path))


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.update(schema_version=2), "schema_version"),
        (lambda d: d["leads"]["left"].update(model="medtronic-3388"), "medtronic-3389"),
        (lambda d: d["baseline"].update(right_arm=40), "right_arm: 40"),
        (lambda d: d["leads"]["left"].update(impedances_ohm=[1000, 1000]), "2 values given"),
        (lambda d: d.update(age_years="old"), "age_years"),
    ],
)
def test_bad_values_are_refused_with_field_named(tmp_path, mutate, needle):
    with pytest.raises(ScenarioError, match=needle.replace(".", r"\.")):
        load_scenario(str(_broken(tmp_path, mutate)))


def test_yaml_bomb_and_huge_files_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 300_000)
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(str(big))
    with pytest.raises(ScenarioError, match="python/object"):
        parse_scenario("!!python/object/apply:os.system ['echo hi']")


def test_validate_cli(tmp_path, capsys):
    assert main(["validate", str(GOOD)]) == 0
    bad = _broken(tmp_path, lambda d: d.update(titel="x"))
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(bad)])
    assert exit_info.value.code == 1
    assert "titel: unknown key; did you mean 'title'" in capsys.readouterr().out


def test_random_patient_like_this_one_is_seeded():
    s = load_scenario("dystonia-generalized-gpi")
    a = draw_similar_patient(s, np.random.default_rng(1))
    b = draw_similar_patient(s, np.random.default_rng(1))
    c = draw_similar_patient(s, np.random.default_rng(2))
    assert a == b
    assert a.leads["left"].tip_mm != c.leads["left"].tip_mm
    assert a.leads["left"].tip_mm != s.leads["left"].tip_mm


def test_scenarios_cli_lists_ids(capsys):
    assert main(["scenarios", "--json"]) == 0
    import json

    ids = {row["id"] for row in json.loads(capsys.readouterr().out)}
    assert REQUIRED <= ids


def test_bundled_scenarios_are_the_top_level_files_inside_the_package():
    """Users find the cases in scenarios/; the package reads them from its own data folder
    (a link in a checkout, a copy in a wheel), so an installed dbssim has them too.
    The wheel itself is checked by scripts/check_wheel.sh in CI."""
    top_level = Path(__file__).resolve().parents[2] / "scenarios"
    package_dir = Path(__file__).resolve().parents[2] / "dbssim"
    assert package_dir in scenarios_dir().parents, f"{scenarios_dir()} is outside the package"
    assert scenarios_dir().resolve() == top_level.resolve()
    assert sorted(p.name for p in scenarios_dir().glob("*.yaml")) == sorted(
        p.name for p in top_level.glob("*.yaml")
    )
