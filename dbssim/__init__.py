"""dbssim: a deep brain stimulation programming-session simulator.

The public API, all importable from ``dbssim`` itself:

- ``lead_registry()``, ``get_lead(lead_id)``: the lead models and their contacts;
- ``compute_vta(lead, currents_ma, pulse_width_us, *, conductivity_s_m=0.1)``: the
  volume of tissue activated (``volume_mm3``, ``radius_mm``, a surface mesh);
- ``list_scenario_ids()``, ``load_scenario(id_or_path)``: the bundled clinical cases;
- ``Session.start(scenario_id, seed=...)``: a programming session on a virtual patient;
- ``VirtualPatient``, ``Program``, ``Setting``: the patient model and a stimulation program.

Importing the package has no side effects: no files are read, no random
numbers are drawn, no user interface is started, and nothing heavier than this
file is imported until a name is first used.

Examples
--------
>>> import dbssim
>>> vta = dbssim.compute_vta("medtronic-3389", [0, -3.0, 0, 0], 60, conductivity_s_m=0.1)
>>> vta.volume_mm3 > 0
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name → module that defines it (imported on first use).
_EXPORTS = {
    "lead_registry": "dbssim.physics.leads",
    "get_lead": "dbssim.physics.leads",
    "Lead": "dbssim.physics.leads",
    "compute_vta": "dbssim.physics.vta",
    "VTA": "dbssim.physics.vta",
    "Program": "dbssim.physics.program",
    "Setting": "dbssim.physics.program",
    "list_scenario_ids": "dbssim.patient.scenario",
    "load_scenario": "dbssim.patient.scenario",
    "Scenario": "dbssim.patient.scenario",
    "VirtualPatient": "dbssim.patient.virtual_patient",
    "Session": "dbssim.session.engine",
}

__all__ = [
    "VTA",
    "Lead",
    "Program",
    "Scenario",
    "Session",
    "Setting",
    "VirtualPatient",
    "__version__",
    "compute_vta",
    "get_lead",
    "lead_registry",
    "list_scenario_ids",
    "load_scenario",
]

if TYPE_CHECKING:  # for type checkers and editors only; nothing is imported at run time
    from dbssim.patient.scenario import Scenario, list_scenario_ids, load_scenario
    from dbssim.patient.virtual_patient import VirtualPatient
    from dbssim.physics.leads import Lead, get_lead, lead_registry
    from dbssim.physics.program import Program, Setting
    from dbssim.physics.vta import VTA, compute_vta
    from dbssim.session.engine import Session


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dbssim' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
