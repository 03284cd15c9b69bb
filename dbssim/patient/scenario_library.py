"""The bundled scenarios: YAML files in ``scenarios/`` at the repository root.

They are installed with the package under ``dbssim/data/scenarios`` (the same files).
"""

from __future__ import annotations

from pathlib import Path

from dbssim.errors import InputError
from dbssim.patient.scenario_files import ScenarioError, load_scenario_file
from dbssim.patient.scenario_schema import Scenario
from dbssim.validation import closest_name


def scenarios_dir() -> Path:
    """Folder of the bundled scenarios.

    In a checkout ``dbssim/data/scenarios`` is a link to the top-level ``scenarios/`` (where
    users look for them); a wheel holds a copy of the files.
    """
    return Path(__file__).resolve().parents[1] / "data" / "scenarios"


def list_scenario_ids() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


def load_scenario(scenario_id_or_path: str) -> Scenario:
    """Load a bundled scenario by id, or any scenario file by path."""
    if scenario_id_or_path.endswith((".yaml", ".yml")):
        return load_scenario_file(scenario_id_or_path)
    ids = list_scenario_ids()
    if scenario_id_or_path not in ids:
        hint = closest_name(scenario_id_or_path, ids)
        extra = f"; did you mean '{hint}'?" if hint else ""
        raise ScenarioError(
            [
                InputError(
                    "scenario",
                    f"unknown scenario '{scenario_id_or_path}'{extra}; known: {', '.join(ids)}",
                    ids,
                )
            ]
        )
    return load_scenario_file(scenarios_dir() / f"{scenario_id_or_path}.yaml")
