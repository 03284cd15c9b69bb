"""Unit fields of single contacts on fixed VTA grids, computed once and kept.

The field is linear in the contact currents, so a VTA needs, per active
contact, the field at 1 mA on a grid; every amplitude, split and conductivity
then costs one weighted sum. Grids are fixed: the box around the active
contacts grows in a ladder of reaches (ratio 2^(1/4)), so all settings whose
reach falls on one rung share one grid and its unit fields.

Fields are stored in float32 at 1 S/m (the field scales as 1/σ) both in
memory and on disk, so a field read back from disk is the very array that was
computed: a warm and a cold call give the same VTA.

Fields also go to the disk cache (``disk_cache``), named by a hash of the
contact geometry, the grid and the field model.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from dbssim.physics.disk_cache import cache_key, load_arrays, save_arrays
from dbssim.physics.field import SOFTENING_MM, SOURCE_SPACING_MM, compute_unit_solution
from dbssim.physics.leads import Lead

MAX_GRID_POINTS = 100_000  # numerical choice: one unit field ≈ 1.2 MB, computed in < 1 s
MIN_STEP_MM = 0.05  # numerical choice: no finer grid than 50 µm
# Reach ladder: rungs at 0.25 mm × 2^(k/4). Numerical choice: a setting's box is at most
# 19 % wider than it needs, and about 20 rungs span 0.25–30 mm.
_LADDER_BASE_MM = 0.25
_LADDER_PER_OCTAVE = 4
_MARGIN_MM = 0.5  # box margin beyond the reach (numerical choice, as before the cache)
_MEMORY_ENTRIES = 48  # unit fields kept in memory: ≤ ~60 MB (numerical choice)
_CACHE_VERSION = 1  # bump when the field model or the grid layout changes
_KIND = "vta-unit-fields"  # sub-folder of the disk cache


@dataclass(frozen=True)
class VtaGrid:
    """A regular grid in lead-local mm: x and y in ±``half_mm``, z in [``z_lo_mm``, ...].

    Cell centres are ``x0 + (i + 0.5) * step`` (same for y), ``z_lo + (k + 0.5) * step``.
    """

    half_mm: float
    z_lo_mm: float
    step_mm: float
    nx: int
    nz: int

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.nx, self.nx, self.nz)

    @property
    def cell_volume_mm3(self) -> float:
        return self.step_mm**3

    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre coordinates along x (= y) and z."""
        xs = -self.half_mm + (np.arange(self.nx) + 0.5) * self.step_mm
        zs = self.z_lo_mm + (np.arange(self.nz) + 0.5) * self.step_mm
        return xs, zs

    def points(self) -> np.ndarray:
        """(nx·nx·nz, 3) cell centres, x slowest, z fastest."""
        xs, zs = self.axes()
        gx, gy, gz = np.meshgrid(xs, xs, zs, indexing="ij")
        return np.column_stack([gx.ravel(), gy.ravel(), gz.ravel()])

    def key(self) -> str:
        return f"{self.half_mm!r}/{self.z_lo_mm!r}/{self.step_mm!r}/{self.nx}/{self.nz}"


def ladder_reach_mm(reach_mm: float) -> float:
    """The smallest rung of the reach ladder at or above ``reach_mm``."""
    if reach_mm <= _LADDER_BASE_MM:
        return _LADDER_BASE_MM
    k = math.ceil(_LADDER_PER_OCTAVE * math.log2(reach_mm / _LADDER_BASE_MM) - 1e-9)
    return _LADDER_BASE_MM * 2.0 ** (k / _LADDER_PER_OCTAVE)


def vta_grid(lead: Lead, active: np.ndarray, reach_mm: float) -> VtaGrid:
    """The fixed grid for these active contacts and the ladder rung above ``reach_mm``.

    The box holds the active contacts plus the reach and a margin on every
    side; the step keeps the grid within ``MAX_GRID_POINTS`` points.
    """
    rung = ladder_reach_mm(reach_mm)
    contacts = [lead.contacts[i] for i in active]
    z_lo = min(c.z_min_mm for c in contacts) - rung - _MARGIN_MM
    z_hi = max(c.z_max_mm for c in contacts) + rung + _MARGIN_MM
    half = rung + lead.diameter_mm / 2 + _MARGIN_MM
    box = (2 * half) ** 2 * (z_hi - z_lo)
    step = max(MIN_STEP_MM, (box / MAX_GRID_POINTS) ** (1 / 3))
    return VtaGrid(half, z_lo, step, math.ceil(2 * half / step), math.ceil((z_hi - z_lo) / step))


def inside_lead(diameter_mm: float, points_mm: np.ndarray) -> np.ndarray:
    """True for lead-local points inside the lead body (as ``compute_unit_solution``)."""
    rho = np.hypot(points_mm[:, 0], points_mm[:, 1])
    return (rho < diameter_mm / 2) & (points_mm[:, 2] > -1e-9)


@dataclass(frozen=True)
class UnitField:
    """One contact's field at 1 mA and 1 S/m on a grid (float32, read-only arrays)."""

    efield_v_per_mm: np.ndarray  # (n_points, 3)
    norm_v_per_mm: np.ndarray  # (n_points,) |E|, zero inside the lead body


_memory: OrderedDict[str, UnitField] = OrderedDict()


def unit_field(lead: Lead, contact_index: int, grid: VtaGrid) -> UnitField:
    """The field of one contact at 1 mA and 1 S/m on ``grid``.

    From memory, else from the disk cache, else computed (and kept in both).
    """
    key = _field_key(lead, contact_index, grid)
    kept = _memory.get(key)
    if kept is not None:
        _memory.move_to_end(key)
        return kept
    field = _read_disk(key, grid)
    if field is None:
        solo = lead.model_copy(update={"contacts": (lead.contacts[contact_index],)})
        unit = compute_unit_solution(solo, grid.points(), None, 1.0)
        field = np.ascontiguousarray(unit.efield_v_per_mm_per_ma[:, :, 0], dtype=np.float32)
        _write_disk(key, field)
    norm = np.sqrt(np.einsum("pk,pk->p", field, field))
    norm[inside_lead(lead.diameter_mm, grid.points())] = 0.0
    field.setflags(write=False)
    norm.setflags(write=False)
    kept = UnitField(field, norm)
    _memory[key] = kept
    while len(_memory) > _MEMORY_ENTRIES:
        _memory.popitem(last=False)
    return kept


def clear_memory_cache() -> None:
    """Forget the unit fields kept in this process (the disk cache is left alone)."""
    _memory.clear()


def _field_key(lead: Lead, contact_index: int, grid: VtaGrid) -> str:
    contact = lead.contacts[contact_index]
    return cache_key(
        {
            "version": _CACHE_VERSION,
            "contact": contact.model_dump(exclude={"label", "level"}),
            "lead_diameter_mm": lead.diameter_mm,
            "grid": grid.key(),
            "source_spacing_mm": SOURCE_SPACING_MM,
            "softening_mm": SOFTENING_MM,
        }
    )


def _read_disk(key: str, grid: VtaGrid) -> np.ndarray | None:
    arrays = load_arrays(_KIND, key)
    field = None if arrays is None else arrays.get("efield")
    expected = (grid.nx * grid.nx * grid.nz, 3)
    if field is None or field.shape != expected or field.dtype != np.float32:
        return None  # missing, stale or damaged: recompute
    return field


def _write_disk(key: str, field: np.ndarray) -> None:
    save_arrays(_KIND, key, {"efield": field})
