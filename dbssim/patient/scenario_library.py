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
    """Find the folder of the bundled scenarios.

    In a checkout ``dbssim/data/scenarios`` is a link to the top-level ``scenarios/`` (where
    users look for them); a wheel holds a copy of the files.

    Returns
    -------
    pathlib.Path
        ``dbssim/data/scenarios`` inside the installed package.
    """
    return Path(__file__).resolve().parents[1] / "data" / "scenarios"


def list_scenario_ids() -> list[str]:
    """List the ids of the bundled scenarios.

    Returns
    -------
    list of str
        File stems of the YAML files in `scenarios_dir`, sorted.
    """
    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


def load_scenario(scenario_id_or_path: str) -> Scenario:
    """Load a bundled scenario by id, or any scenario file by path.

    Parameters
    ----------
    scenario_id_or_path : str
        A bundled id (e.g. ``"pd-stn"``), or a path ending in ``.yaml``/``.yml``.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        For an unknown id (the message suggests the closest and lists the known ones) or
        a file that fails to read or validate.
    """
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
