"""Volume of tissue activated (VTA): the region where |E| exceeds a threshold.

A VTA is a weighted sum of cached unit fields (one per active contact, on a
fixed grid, see ``unit_fields``), a threshold and a count; the display surface
is read from the same grid along rays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dbssim.physics.activation import (
    DEFAULT_EFIELD_THRESHOLD_V_PER_MM,
    DEFAULT_GREY_CHRONAXIE_US,
    REFERENCE_PULSE_WIDTH_US,
    strength_duration_factor,
)
from dbssim.physics.field import DEFAULT_CONDUCTIVITY_S_M
from dbssim.physics.leads import Lead, get_lead
from dbssim.physics.unit_fields import VtaGrid, inside_lead, unit_field, vta_grid

_MESH_POLAR, _MESH_AZIMUTH, _MESH_STEPS = 16, 32, 80  # mesh resolution, numerical choice
_WINDOW = 4  # ray samples re-examined on each side of the coarse crossing (numerical choice)


@dataclass(frozen=True)
class VTA:
    """A VTA in lead-local mm: volume, equivalent-sphere radius and a surface mesh."""

    volume_mm3: float
    radius_mm: float
    threshold_v_per_mm: float
    vertices_mm: np.ndarray  # (n, 3)
    faces: np.ndarray  # (m, 3) vertex indices


def compute_vta(
    lead: Lead | str,
    currents_ma: np.ndarray | list[float],
    pulse_width_us: float = REFERENCE_PULSE_WIDTH_US,
    *,
    conductivity_s_m: float = DEFAULT_CONDUCTIVITY_S_M,
    threshold_v_per_mm: float = DEFAULT_EFIELD_THRESHOLD_V_PER_MM,
    chronaxie_us: float = DEFAULT_GREY_CHRONAXIE_US,
    with_mesh: bool = False,
) -> VTA:
    """Volume of tissue activated by a setting: where |E| exceeds the threshold.

    Parameters
    ----------
    lead : Lead or str
        The lead model, or its id (e.g. ``"medtronic-3389"``, see ``dbssim.lead_registry``).
    currents_ma : array of float, one per contact
        Contact currents in mA, negative on cathodes, positive on anodes; the
        case takes the balance.
    pulse_width_us : float, > 0
        Pulse width in µs; the threshold scales with it (Weiss law).
    conductivity_s_m : float, > 0
        Homogeneous tissue conductivity in S/m (default 0.1).
    threshold_v_per_mm : float
        Field threshold at 60 µs in V/mm (default 0.2, Lead-DBS).
    chronaxie_us : float
        Chronaxie of the strength–duration scaling in µs (default 100).
    with_mesh : bool
        Also return a closed surface for display (about a millisecond more).

    Returns
    -------
    VTA
        ``volume_mm3``, ``radius_mm`` (radius of the sphere of equal volume),
        ``threshold_v_per_mm`` (at this pulse width) and the surface
        ``vertices_mm`` / ``faces`` in lead-local mm (empty without a mesh).

    Notes
    -----
    The medium is linear, so the field of any setting is the sum of each
    active contact's field at 1 mA (and 1 S/m), scaled by its current (and by
    1/σ). Those unit fields are computed once per lead, contact and grid and
    kept in memory and in a user cache folder; the first VTA of a contact
    costs about a second, later ones about a millisecond. The volume is
    counted on a regular grid of at most 10⁵ points around the active
    contacts; points inside the lead body do not count.

    Examples
    --------
    >>> import dbssim
    >>> vta = dbssim.compute_vta("medtronic-3389", [0, -3.0, 0, 0], 60)
    >>> round(vta.radius_mm, 1)
    3.4
    """
    if isinstance(lead, str):
        lead = get_lead(lead)
    currents = np.asarray(currents_ma, dtype=float)
    if currents.shape != (len(lead.contacts),):
        raise ValueError(
            f"currents_ma: {lead.id} has {len(lead.contacts)} contacts, so one current per "
            f"contact is needed (got shape {currents.shape})"
        )
    if not np.all(np.isfinite(currents)):
        raise ValueError(f"currents_ma: every current must be a finite number (got {currents})")
    if not conductivity_s_m > 0:
        raise ValueError(f"conductivity_s_m: must be > 0 S/m (got {conductivity_s_m})")
    threshold = threshold_v_per_mm * strength_duration_factor(pulse_width_us, chronaxie_us)
    active = np.flatnonzero(np.abs(currents) > 0)
    if active.size == 0:
        return VTA(0.0, 0.0, threshold, np.zeros((0, 3)), np.zeros((0, 3), dtype=int))
    # Far from all sources the field is at most sum|I| / (4 pi sigma r^2): a safe box size.
    reach = math.sqrt(np.abs(currents).sum() / (4 * math.pi * conductivity_s_m * threshold))
    grid = vta_grid(lead, active, reach)
    magnitude = _field_magnitude(lead, active, currents[active], grid)
    level = threshold * conductivity_s_m  # the unit fields are at 1 S/m
    volume = float(np.count_nonzero(magnitude >= level)) * grid.cell_volume_mm3
    radius = (3 * volume / (4 * math.pi)) ** (1 / 3)
    if not with_mesh or volume == 0:
        return VTA(volume, radius, threshold, np.zeros((0, 3)), np.zeros((0, 3), dtype=int))
    weights = np.abs(currents[active]) / np.abs(currents[active]).sum()
    centre_z = float(weights @ [lead.contacts[i].z_centre_mm for i in active])
    vertices = _star_surface(lead, grid, magnitude, level, centre_z)
    return VTA(volume, radius, threshold, vertices, _surface_faces())


def _field_magnitude(
    lead: Lead, active: np.ndarray, currents_ma: np.ndarray, grid: VtaGrid
) -> np.ndarray:
    """|E| at 1 S/m on the grid cells (zero inside the lead): the weighted sum of unit fields."""
    if active.size == 1:  # one contact: the magnitude just scales
        return unit_field(lead, int(active[0]), grid).norm_v_per_mm * abs(float(currents_ma[0]))
    total = np.zeros((grid.nx * grid.nx * grid.nz, 3))
    for index, current in zip(active, currents_ma, strict=True):
        total += unit_field(lead, int(index), grid).efield_v_per_mm * current
    magnitude = np.sqrt(np.einsum("pk,pk->p", total, total))
    magnitude[_lead_mask(lead.diameter_mm, grid)] = 0.0
    return magnitude


@lru_cache(maxsize=32)
def _lead_mask(diameter_mm: float, grid: VtaGrid) -> np.ndarray:
    mask = inside_lead(diameter_mm, grid.points())
    mask.setflags(write=False)
    return mask


def _star_surface(
    lead: Lead, grid: VtaGrid, magnitude: np.ndarray, level: float, centre_z_mm: float
) -> np.ndarray:
    """Vertices of the threshold surface, found along rays from a point on the axis.

    Points inside the lead body count as inside the VTA so the surface wraps
    the lead. The last sample above the threshold is found on the grid cells;
    the crossing is then placed linearly between trilinear values. Good for
    display; the volume comes from the grid count.
    """
    rays = _rays(grid, centre_z_mm, lead.diameter_mm)
    values = magnitude.reshape(grid.shape)
    e = np.where(rays.cell >= 0, magnitude[rays.cell], 0.0)
    above = (e >= level) | rays.in_lead
    n = len(rays.radii)
    coarse = np.where(above.any(axis=1), n - 1 - np.argmax(above[:, ::-1], axis=1), 0)
    # Trilinear values in a window around the coarse crossing: the cell lookup can be off
    # by half a cell, the window is wider than that.
    steps = np.clip(coarse[:, None] + np.arange(-_WINDOW, _WINDOW + 2), 0, n - 1)
    centre = np.array([0.0, 0.0, centre_z_mm])
    r_win = rays.radii[steps]
    pts = centre + rays.dirs[:, None, :] * r_win[:, :, None]
    e_win = _trilinear(values, grid, pts.reshape(-1, 3)).reshape(steps.shape)
    rows = np.arange(len(steps))
    above_win = (e_win >= level) | rays.in_lead[rows[:, None], steps]
    k = np.where(
        above_win.any(axis=1), steps.shape[1] - 1 - np.argmax(above_win[:, ::-1], axis=1), 0
    )
    k_next = np.minimum(k + 1, steps.shape[1] - 1)
    e_in, e_out = e_win[rows, k], e_win[rows, k_next]
    r_in, r_out = r_win[rows, k], r_win[rows, k_next]
    crossing = (r_out > r_in) & (e_in >= level) & (e_out < level)
    frac = np.where(crossing, (e_in - level) / np.where(crossing, e_in - e_out, 1.0), 0.0)
    r = r_in + frac * (r_out - r_in)
    vertices: np.ndarray = centre + rays.dirs * r[:, None]
    return vertices


@dataclass(frozen=True)
class _Rays:
    dirs: np.ndarray  # (n_rays, 3) unit vectors
    radii: np.ndarray  # (n_steps,) mm
    cell: np.ndarray  # (n_rays, n_steps) flat grid cell of each sample, -1 outside
    in_lead: np.ndarray  # (n_rays, n_steps) sample inside the lead body


@lru_cache(maxsize=32)
def _rays(grid: VtaGrid, centre_z_mm: float, diameter_mm: float) -> _Rays:
    """Ray samples and their grid cells: fixed for a grid and a centre, so kept."""
    theta = np.linspace(0, math.pi, _MESH_POLAR + 1)
    phi = np.linspace(0, 2 * math.pi, _MESH_AZIMUTH, endpoint=False)
    tt, pp = np.meshgrid(theta, phi, indexing="ij")
    dirs = np.column_stack(
        [(np.sin(tt) * np.cos(pp)).ravel(), (np.sin(tt) * np.sin(pp)).ravel(), np.cos(tt).ravel()]
    )
    radii = np.linspace(0, grid.half_mm + 1, _MESH_STEPS)
    centre = np.array([0.0, 0.0, centre_z_mm])
    pts = (centre + dirs[:, None, :] * radii[None, :, None]).reshape(-1, 3)
    origin = np.array([-grid.half_mm, -grid.half_mm, grid.z_lo_mm])
    idx = np.floor((pts - origin) / grid.step_mm).astype(np.intp)
    ok = np.all((idx >= 0) & (idx < np.array(grid.shape)), axis=1)
    flat = (idx[:, 0] * grid.nx + idx[:, 1]) * grid.nz + idx[:, 2]
    shape = (len(dirs), len(radii))
    cell = np.where(ok, flat, -1).reshape(shape)
    return _Rays(dirs, radii, cell, inside_lead(diameter_mm, pts).reshape(shape))


@lru_cache(maxsize=1)
def _surface_faces() -> np.ndarray:
    faces = grid_faces(_MESH_POLAR + 1, _MESH_AZIMUTH, wrap=True)
    faces.setflags(write=False)
    return faces


def _trilinear(values: np.ndarray, grid: VtaGrid, pts: np.ndarray) -> np.ndarray:
    """Trilinear interpolation of cell-centred ``values`` at ``pts``; 0 outside the grid."""
    origin = np.array([-grid.half_mm, -grid.half_mm, grid.z_lo_mm])
    f = (pts - origin) / grid.step_mm - 0.5
    upper = np.array(grid.shape) - 1
    ok = np.all((f >= 0) & (f <= upper), axis=1)
    f = f[ok]
    i0 = np.minimum(f.astype(np.intp), upper - 1)  # f >= 0, so truncation is floor
    t = f - i0
    sx, sy = grid.nx * grid.nz, grid.nz
    base = i0[:, 0] * sx + i0[:, 1] * sy + i0[:, 2]
    flat = values.ravel()
    tx, ty, tz = t[:, 0], t[:, 1], t[:, 2]
    ux, uy, uz = 1 - tx, 1 - ty, 1 - tz
    c00 = flat[base] * uz + flat[base + 1] * tz
    c01 = flat[base + sy] * uz + flat[base + sy + 1] * tz
    c10 = flat[base + sx] * uz + flat[base + sx + 1] * tz
    c11 = flat[base + sx + sy] * uz + flat[base + sx + sy + 1] * tz
    out = np.zeros(len(pts))
    out[ok] = (c00 * uy + c01 * ty) * ux + (c10 * uy + c11 * ty) * tx
    return out


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
