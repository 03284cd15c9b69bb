"""Cached unit fields: superposition on the fixed grid, the reach ladder, the disk cache."""

import math
from pathlib import Path

import numpy as np
import pytest

from dbssim.physics import disk_cache, unit_fields
from dbssim.physics.field import compute_unit_solution
from dbssim.physics.leads import get_lead
from dbssim.physics.vta import compute_vta


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DBSSIM_CACHE_DIR", str(folder))
    unit_fields.clear_memory_cache()
    yield folder
    unit_fields.clear_memory_cache()


def _count_solutions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = unit_fields.compute_unit_solution

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(unit_fields, "compute_unit_solution", counting)
    return calls


@pytest.mark.parametrize("reach_mm", [0.1, 0.3, 1.0, 2.9, 3.0, 7.7, 25.0])
def test_ladder_rung_is_at_or_just_above_the_reach(reach_mm):
    rung = unit_fields.ladder_reach_mm(reach_mm)
    assert rung >= reach_mm - 1e-12, f"rung {rung} below reach {reach_mm}"
    assert rung <= max(reach_mm, 0.25) * 2**0.25 + 1e-12, f"rung {rung} too far above {reach_mm}"


def test_weighted_sum_equals_direct_field_on_the_same_grid():
    lead = get_lead("medtronic-b33005")
    currents = np.zeros(8)
    currents[[1, 2]] = [-2.0, -1.0]
    currents[7] = 0.5
    vta = compute_vta(lead, currents, 60, conductivity_s_m=0.2, with_mesh=False)
    threshold = vta.threshold_v_per_mm
    active = np.flatnonzero(currents)
    reach = math.sqrt(np.abs(currents).sum() / (4 * math.pi * 0.2 * threshold))
    grid = unit_fields.vta_grid(lead, active, reach)
    sub = lead.model_copy(update={"contacts": tuple(lead.contacts[i] for i in active)})
    direct = compute_unit_solution(sub, grid.points(), None, 0.2)
    count = np.count_nonzero(direct.efield_norm_v_per_mm(currents[active]) >= threshold)
    expected = count * grid.cell_volume_mm3
    # float32 storage may move a cell sitting exactly on the threshold: allow two cells.
    assert abs(vta.volume_mm3 - expected) <= 2 * grid.cell_volume_mm3, (
        f"superposed {vta.volume_mm3:.3f} mm³ vs direct {expected:.3f} mm³"
    )


def test_amplitudes_on_one_rung_share_one_unit_field(monkeypatch):
    calls = _count_solutions(monkeypatch)
    lead = get_lead("medtronic-3389")
    volumes = [
        compute_vta(lead, [0, -a, 0, 0], 60, with_mesh=False).volume_mm3 for a in (3.0, 3.1, 3.2)
    ]
    assert len(calls) == 1, f"{len(calls)} unit solutions for three amplitudes on one rung"
    assert volumes[0] < volumes[1] < volumes[2], f"volumes not increasing: {volumes}"


def test_conductivity_only_rescales_the_cached_field(monkeypatch):
    lead = get_lead("medtronic-3389")
    a = compute_vta(lead, [0, -2.0, 0, 0], 60, conductivity_s_m=0.1, with_mesh=False)
    calls = _count_solutions(monkeypatch)
    # Twice the current at twice the conductivity: the same field, the same grid.
    b = compute_vta(lead, [0, -4.0, 0, 0], 60, conductivity_s_m=0.2, with_mesh=False)
    assert calls == [], "a new unit solution was computed for a rescaled setting"
    assert b.volume_mm3 == a.volume_mm3


def test_disk_cache_gives_the_same_vta_as_a_fresh_computation(_own_cache, monkeypatch):
    lead = get_lead("abbott-6172")
    currents = np.zeros(8)
    currents[1] = -3.0
    fresh = compute_vta(lead, currents, 90, with_mesh=False)
    assert list(_own_cache.glob("**/*.npz")), "nothing was written to the disk cache"
    unit_fields.clear_memory_cache()
    calls = _count_solutions(monkeypatch)
    again = compute_vta(lead, currents, 90, with_mesh=False)
    assert calls == [], "the field was recomputed although it was on disk"
    assert again.volume_mm3 == fresh.volume_mm3


def test_unwritable_or_damaged_cache_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("DBSSIM_CACHE_DIR", str(blocker))
    lead = get_lead("medtronic-3389")
    off = compute_vta(lead, [0, -1.0, 0, 0], 60, with_mesh=False)
    folder = tmp_path / "damaged"
    monkeypatch.setenv("DBSSIM_CACHE_DIR", str(folder))
    unit_fields.clear_memory_cache()
    compute_vta(lead, [0, -1.0, 0, 0], 60, with_mesh=False)
    for path in folder.glob("**/*.npz"):
        path.write_bytes(b"not an array")
    unit_fields.clear_memory_cache()
    again = compute_vta(lead, [0, -1.0, 0, 0], 60, with_mesh=False)
    assert again.volume_mm3 == off.volume_mm3 > 0


def test_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("DBSSIM_CACHE_DIR", "off")
    assert disk_cache.cache_dir() is None
    monkeypatch.setenv("DBSSIM_CACHE_DIR", str(tmp_path))
    assert disk_cache.cache_dir() == tmp_path


def test_vta_rejects_currents_that_do_not_match_the_lead():
    with pytest.raises(ValueError, match=r"currents_ma: medtronic-3389 has 4 contacts"):
        compute_vta("medtronic-3389", [0, -1.0, 0], 60)
    with pytest.raises(ValueError, match="conductivity_s_m"):
        compute_vta("medtronic-3389", [0, -1.0, 0, 0], 60, conductivity_s_m=0.0)


def test_cached_unit_solution_is_bit_identical_and_read_back(monkeypatch):
    from dbssim.physics import field
    from dbssim.physics.pose import LeadPose

    lead = get_lead("medtronic-b33015")
    pose = LeadPose(tip_mm=(1.0, -2.0, 0.5), direction=(0.2, 0.1, 1.0), rotation_deg=30.0)
    pts = np.random.default_rng(3).uniform(-6, 6, size=(500, 3))
    direct = field.compute_unit_solution(lead, pts, pose, 0.15)
    first = field.compute_unit_solution_cached(lead, pts, pose, 0.15)
    calls = []
    real = field.compute_unit_solution

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(field, "compute_unit_solution", counting)
    second = field.compute_unit_solution_cached(lead, pts, pose, 0.15)
    assert calls == [], "the cached unit solution was computed again"
    for got in (first, second):
        assert np.array_equal(got.potential_v_per_ma, direct.potential_v_per_ma)
        assert np.array_equal(got.efield_v_per_mm_per_ma, direct.efield_v_per_mm_per_ma)
        assert np.array_equal(got.inside_lead, direct.inside_lead)
    field.compute_unit_solution_cached(lead, pts + 1e-6, pose, 0.15)
    field.compute_unit_solution_cached(lead, pts, pose, 0.2)
    assert len(calls) == 2, "other points or another conductivity hit the same entry"
