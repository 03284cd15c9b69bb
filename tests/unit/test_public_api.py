"""The public API of ``import dbssim``: every name resolves, and importing stays light."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

import dbssim

ROOT = Path(__file__).resolve().parents[2]


def test_every_public_name_resolves():
    missing = [name for name in dbssim.__all__ if getattr(dbssim, name, None) is None]
    assert missing == [], f"public names that do not resolve: {missing}"


def test_public_vta_matches_the_physics_function():
    from dbssim.physics.vta import compute_vta

    lead = dbssim.get_lead("medtronic-3389")
    public = dbssim.compute_vta(lead, np.array([0, -2.0, 0, 0]), 60, conductivity_s_m=0.2)
    direct = compute_vta(lead, np.array([0, -2.0, 0, 0]), 60, conductivity_s_m=0.2)
    assert public.volume_mm3 == direct.volume_mm3 > 0
    assert public.radius_mm == direct.radius_mm


def test_import_dbssim_loads_nothing_heavy():
    code = (
        "import json, sys; import dbssim; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('numpy', 'pydantic', 'yaml', 'scipy', 'streamlit', 'plotly') "
        "or m.startswith('dbssim.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"`import dbssim` imported {loaded}"


def test_unknown_name_is_an_attribute_error():
    try:
        dbssim.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("dbssim.no_such_thing did not raise AttributeError")


def test_all_lists_exactly_the_lazy_exports():
    assert set(dbssim.__all__) == {"__version__", *dbssim._EXPORTS}
