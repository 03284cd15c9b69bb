"""Volume of tissue activated (VTA): the region where |E| exceeds a threshold."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dbssim.physics.activation import (
    DEFAULT_EFIELD_THRESHOLD_V_PER_MM,
    DEFAULT_GREY_CHRONAXIE_US,
    REFERENCE_PULSE_WIDTH_US,
    strength_duration_factor,
)
from dbssim.physics.field import DEFAULT_CONDUCTIVITY_S_M, compute_unit_solution
from dbssim.physics.leads import Lead

MAX_GRID_POINTS = 100_000  # numerical choice: keeps one VTA well under a second
_MESH_POLAR, _MESH_AZIMUTH, _MESH_STEPS = 16, 32, 80  # mesh resolution, numerical choice


@dataclass(frozen=True)
class VTA:
    """A VTA in lead-local mm: volume, equivalent-sphere radius and a surface mesh."""

    volume_mm3: float
    radius_mm: float
    threshold_v_per_mm: float
    vertices_mm: np.ndarray  # (n, 3)
    faces: np.ndarray  # (m, 3) vertex indices


def compute_vta(
    lead: Lead,
    currents_ma: np.ndarray,
    pulse_width_us: float = REFERENCE_PULSE_WIDTH_US,
    conductivity_s_m: float = DEFAULT_CONDUCTIVITY_S_M,
    threshold_v_per_mm: float = DEFAULT_EFIELD_THRESHOLD_V_PER_MM,
    chronaxie_us: float = DEFAULT_GREY_CHRONAXIE_US,
    with_mesh: bool = True,
) -> VTA:
    """VTA of a setting: volume outside the lead where |E| exceeds the threshold.

    The threshold is ``threshold_v_per_mm`` at 60 µs scaled to the pulse width
    by the Weiss law with ``chronaxie_us``. The volume is counted on a
    regular grid; the radius is that of a sphere of equal volume.
    """
    currents = np.asarray(currents_ma, dtype=float)
    threshold = threshold_v_per_mm * strength_duration_factor(pulse_width_us, chronaxie_us)
    active = np.flatnonzero(np.abs(currents) > 0)
    if active.size == 0:
        return VTA(0.0, 0.0, threshold, np.zeros((0, 3)), np.zeros((0, 3), dtype=int))
    sub = lead.model_copy(update={"contacts": tuple(lead.contacts[i] for i in active)})
    sub_currents = currents[active]
    # Far from all sources the field is at most sum|I| / (4 pi sigma r^2): a safe box size.
    reach = math.sqrt(np.abs(sub_currents).sum() / (4 * math.pi * conductivity_s_m * threshold))
    z_lo = min(c.z_min_mm for c in sub.contacts) - reach - 0.5
    z_hi = max(c.z_max_mm for c in sub.contacts) + reach + 0.5
    half = reach + lead.diameter_mm / 2 + 0.5
    box = (2 * half) ** 2 * (z_hi - z_lo)
    step = max(0.05, (box / MAX_GRID_POINTS) ** (1 / 3))
    xs = np.arange(-half + step / 2, half, step)
    zs = np.arange(z_lo + step / 2, z_hi, step)
    gx, gy, gz = np.meshgrid(xs, xs, zs, indexing="ij")
    pts = np.column_stack([gx.ravel(), gy.ravel(), gz.ravel()])
    unit = compute_unit_solution(sub, pts, None, conductivity_s_m)
    inside = unit.efield_norm_v_per_mm(sub_currents) >= threshold
    volume = float(inside.sum()) * step**3
    radius = (3 * volume / (4 * math.pi)) ** (1 / 3)
    if not with_mesh or volume == 0:
        return VTA(volume, radius, threshold, np.zeros((0, 3)), np.zeros((0, 3), dtype=int))
    vertices, faces = _star_mesh(sub, sub_currents, conductivity_s_m, threshold, half + 1)
    return VTA(volume, radius, threshold, vertices, faces)


def _star_mesh(
    lead: Lead, currents: np.ndarray, conductivity_s_m: float, threshold: float, r_max: float
) -> tuple[np.ndarray, np.ndarray]:
    """Triangle mesh of the threshold surface, found along rays from the weighted centre.

    Points inside the lead body count as inside the VTA so the surface wraps
    the lead. Good for display; the volume comes from the grid.
    """
    w = np.abs(currents) / np.abs(currents).sum()
    centre = np.array([0.0, 0.0, float(w @ [c.z_centre_mm for c in lead.contacts])])
    theta = np.linspace(0, math.pi, _MESH_POLAR + 1)
    phi = np.linspace(0, 2 * math.pi, _MESH_AZIMUTH, endpoint=False)
    tt, pp = np.meshgrid(theta, phi, indexing="ij")
    dirs = np.column_stack(
        [(np.sin(tt) * np.cos(pp)).ravel(), (np.sin(tt) * np.sin(pp)).ravel(), np.cos(tt).ravel()]
    )
    radii = np.linspace(0, r_max, _MESH_STEPS)
    pts = centre + dirs[:, None, :] * radii[None, :, None]
    unit = compute_unit_solution(lead, pts.reshape(-1, 3), None, conductivity_s_m)
    e = np.linalg.norm(unit.efield_v_per_mm(currents), axis=1)
    above = ((e >= threshold) | unit.inside_lead).reshape(len(dirs), len(radii))
    last = np.where(above.any(axis=1), len(radii) - 1 - np.argmax(above[:, ::-1], axis=1), 0)
    vertices = centre + dirs * radii[last][:, None]
    return vertices, grid_faces(_MESH_POLAR + 1, _MESH_AZIMUTH, wrap=True)


def grid_faces(n_rows: int, n_cols: int, wrap: bool) -> np.ndarray:
    """Triangles joining a row-major grid of vertices (rows × cols); ``wrap`` closes rows."""
    faces = []
    cols = n_cols if wrap else n_cols - 1
    for i in range(n_rows - 1):
        for j in range(cols):
            a = i * n_cols + j
            b = i * n_cols + (j + 1) % n_cols
            c, d = a + n_cols, b + n_cols
            faces += [(a, c, b), (b, c, d)]
    return np.asarray(faces, dtype=int)
