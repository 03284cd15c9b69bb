"""Former home of the scenario code, split by job (issue 9); the names are re-exported here.

New code imports from the module that holds a name:
:mod:`~dbssim.patient.scenario_schema` (the schema), :mod:`~dbssim.patient.scenario_files`
(reading files), :mod:`~dbssim.patient.scenario_library` (the bundled folder) and
:mod:`~dbssim.patient.patient_draws` (random patients).
"""

from dbssim.patient.patient_draws import draw_similar_patient
from dbssim.patient.scenario_files import (
    FILE_FIELD,
    MAX_SCENARIO_BYTES,
    TOO_DEEP,
    ScenarioError,
    load_scenario_file,
    parse_scenario,
)
from dbssim.patient.scenario_library import list_scenario_ids, load_scenario, scenarios_dir
from dbssim.patient.scenario_schema import (
    CaseSheet,
    LeadPlacement,
    Scenario,
    Side,
    Variability,
)

__all__ = [
    "FILE_FIELD",
    "MAX_SCENARIO_BYTES",
    "TOO_DEEP",
    "CaseSheet",
    "LeadPlacement",
    "Scenario",
    "ScenarioError",
    "Side",
    "Variability",
    "draw_similar_patient",
    "list_scenario_ids",
    "load_scenario",
    "load_scenario_file",
    "parse_scenario",
    "scenarios_dir",
]
