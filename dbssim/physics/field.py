"""Electric potential and field of a lead in a homogeneous isotropic conductor.

Each contact is modelled as a grid of point current sources on its surface,
carrying equal shares of the contact's current; the implanted pulse
generator case is the distant return electrode. Because the medium is linear,
the solution for any setting is a weighted sum of one precomputed solution
per contact at unit current (superposition): ``phi = U @ currents_ma``.

Units: mm, mA, S/m. A current I (mA) at distance r (mm) gives a potential
I / (4 pi sigma r) in V and a field I / (4 pi sigma r^2) in V/mm.

Not modelled: the insulating lead body, floating inactive contacts, the
encapsulation layer, tissue anisotropy and inhomogeneity, and capacitance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dbssim.errors import InputError
from dbssim.physics.disk_cache import cache_key, load_arrays, save_arrays
from dbssim.physics.leads import Contact, Lead
from dbssim.physics.pose import LeadPose

# Source grid spacing on the contact surface. Teaching value (numerical choice):
# 0.25 mm keeps the far field exact to <1 % and the near field smooth beyond ~0.2 mm.
SOURCE_SPACING_MM = 0.25
# Regularisation length so a sample point on a source does not see a singularity:
# half the source spacing (numerical choice, not from literature).
SOFTENING_MM = 0.5 * SOURCE_SPACING_MM
# Potential at the centre of a uniformly charged square patch of side h is
# q/(4 pi sigma) * 4 ln(1 + sqrt 2) / h (standard electrostatics result).
_SQUARE_SELF_FACTOR = 4.0 * math.log(1.0 + math.sqrt(2.0))
DEFAULT_CONDUCTIVITY_S_M = 0.1  # DESIGN §3.2; ≈1/(4π·0.72) = 0.11 S/m in Dembek's formula
_CHUNK = 4096
_CACHE_VERSION = 1  # bump when the field model changes: old cache entries are then ignored
_KIND = "unit-solutions"  # sub-folder of the disk cache


@dataclass(frozen=True)
class ContactSources:
    """Point sources of one contact in lead-local mm, and the area each stands for."""

    points_mm: np.ndarray  # (n, 3)
    patch_area_mm2: float


@lru_cache(maxsize=256)
def compute_contact_sources(
    contact: Contact, spacing_mm: float = SOURCE_SPACING_MM
) -> ContactSources:
    """Lay a regular grid of point sources over a contact's lateral surface (kept per contact)."""
    n_z = max(2, math.ceil(contact.length_mm / spacing_mm))
    arc_mm = contact.radius_mm * math.radians(contact.angle_span_deg)
    n_a = max(2, math.ceil(arc_mm / spacing_mm))
    z = contact.z_min_mm + (np.arange(n_z) + 0.5) * contact.length_mm / n_z
    half = math.radians(contact.angle_span_deg) / 2
    centre = math.radians(contact.angle_centre_deg)
    if contact.is_segment:
        a = centre - half + (np.arange(n_a) + 0.5) * 2 * half / n_a
    else:
        a = np.arange(n_a) * 2 * math.pi / n_a
    aa, zz = np.meshgrid(a, z, indexing="ij")
    pts = np.column_stack(
        [contact.radius_mm * np.cos(aa).ravel(), contact.radius_mm * np.sin(aa).ravel(), zz.ravel()]
    )
    pts.setflags(write=False)  # shared between callers by the cache
    return ContactSources(points_mm=pts, patch_area_mm2=contact.area_mm2 / len(pts))


@dataclass(frozen=True)
class UnitSolution:
    """Potential and field at sample points for 1 mA on each contact (case return).

    Attributes
    ----------
    potential_v_per_ma : (n_points, n_contacts) potential in V per mA.
    efield_v_per_mm_per_ma : (n_points, 3, n_contacts) field in V/mm per mA, atlas axes.
    inside_lead : (n_points,) True where a point lies inside the lead body.
    """

    potential_v_per_ma: np.ndarray
    efield_v_per_mm_per_ma: np.ndarray
    inside_lead: np.ndarray

    def potential_v(self, currents_ma: np.ndarray) -> np.ndarray:
        """Potential in V at every point for contact currents in mA (+ anodic)."""
        return self.potential_v_per_ma @ currents_ma

    def efield_v_per_mm(self, currents_ma: np.ndarray) -> np.ndarray:
        """Field vectors (n_points, 3) in V/mm for contact currents in mA."""
        return self.efield_v_per_mm_per_ma @ currents_ma

    def efield_norm_v_per_mm(self, currents_ma: np.ndarray) -> np.ndarray:
        """Field magnitude in V/mm; zero inside the lead body."""
        e = np.linalg.norm(self.efield_v_per_mm(currents_ma), axis=1)
        return np.where(self.inside_lead, 0.0, e)


def compute_unit_solution(
    lead: Lead,
    points_mm: np.ndarray,
    pose: LeadPose | None = None,
    conductivity_s_m: float = DEFAULT_CONDUCTIVITY_S_M,
) -> UnitSolution:
    """Precompute potential and field at ``points_mm`` for 1 mA on each contact.

    Parameters
    ----------
    lead : the lead model.
    points_mm : (n, 3) sample points; atlas coordinates if ``pose`` is given,
        else lead-local coordinates.
    pose : where the lead sits in the atlas, or None for lead-local points.
    conductivity_s_m : homogeneous tissue conductivity in S/m, > 0.
    """
    if not conductivity_s_m > 0:
        raise InputError("conductivity_s_m", f"must be > 0 S/m (got {conductivity_s_m})")
    points = np.atleast_2d(np.asarray(points_mm, dtype=float))
    local = pose.to_local(points) if pose is not None else points
    n, c = len(local), len(lead.contacts)
    phi = np.empty((n, c))
    efield = np.empty((n, 3, c))
    k = 1.0 / (4.0 * math.pi * conductivity_s_m)
    for j, contact in enumerate(lead.contacts):
        src = compute_contact_sources(contact).points_mm
        weight = k / len(src)
        for start in range(0, n, _CHUNK):
            block = local[start : start + _CHUNK]
            d = block[:, None, :] - src[None, :, :]
            r2 = np.einsum("psk,psk->ps", d, d) + SOFTENING_MM**2
            inv_r = 1.0 / np.sqrt(r2)
            phi[start : start + _CHUNK, j] = weight * inv_r.sum(axis=1)
            efield[start : start + _CHUNK, :, j] = weight * np.einsum("ps,psk->pk", inv_r**3, d)
    if pose is not None:
        efield = np.einsum("ik,pkc->pic", pose.rotation_matrix(), efield)
    rho = np.hypot(local[:, 0], local[:, 1])
    inside = (rho < lead.diameter_mm / 2) & (local[:, 2] > -1e-9)
    return UnitSolution(phi, efield, inside)


def compute_contact_impedance_ohm(
    contact: Contact, conductivity_s_m: float = DEFAULT_CONDUCTIVITY_S_M
) -> float:
    """Impedance in ohm between one contact and a distant case.

    The contact's current is spread evenly over its surface; the impedance
    is the surface-averaged potential divided by the current. The self
    term of each source patch uses the analytic potential of a uniformly
    charged square patch.
    """
    sources = compute_contact_sources(contact)
    pts = sources.points_mm
    n = len(pts)
    d = np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=2)
    np.fill_diagonal(d, np.inf)
    k = 1.0 / (4.0 * math.pi * conductivity_s_m)
    q = 1.0 / n  # mA per source at 1 mA total
    side = math.sqrt(sources.patch_area_mm2)
    self_term = k * q * _SQUARE_SELF_FACTOR / side
    mean_v = float(np.mean(k * q * (1.0 / d).sum(axis=1) + self_term))
    return mean_v * 1e3  # V per mA -> ohm


def compute_unit_solution_cached(
    lead: Lead,
    points_mm: np.ndarray,
    pose: LeadPose | None = None,
    conductivity_s_m: float = DEFAULT_CONDUCTIVITY_S_M,
) -> UnitSolution:
    """``compute_unit_solution``, kept in the disk cache across processes.

    The saved arrays are the computed ones, bit for bit, so a patient built
    from the cache behaves exactly like one computed afresh.
    """
    points = np.atleast_2d(np.asarray(points_mm, dtype=float))
    key = cache_key(
        {
            "version": _CACHE_VERSION,
            "contacts": [c.model_dump() for c in lead.contacts],
            "diameter_mm": lead.diameter_mm,
            "pose": None if pose is None else pose.model_dump(),
            "conductivity_s_m": conductivity_s_m,
            "source_spacing_mm": SOURCE_SPACING_MM,
            "softening_mm": SOFTENING_MM,
        },
        points,
    )
    saved = load_arrays(_KIND, key)
    if saved is not None and set(saved) == {"phi", "efield", "inside"}:
        n, c = len(points), len(lead.contacts)
        if saved["phi"].shape == (n, c) and saved["efield"].shape == (n, 3, c):
            return UnitSolution(saved["phi"], saved["efield"], saved["inside"])
    unit = compute_unit_solution(lead, points, pose, conductivity_s_m)
    save_arrays(
        _KIND,
        key,
        {
            "phi": unit.potential_v_per_ma,
            "efield": unit.efield_v_per_mm_per_ma,
            "inside": unit.inside_lead,
        },
    )
    return unit


def compute_lead_impedances_ohm(
    lead: Lead, conductivity_s_m: float = DEFAULT_CONDUCTIVITY_S_M
) -> np.ndarray:
    """Impedance in ohm of every contact of a lead to the case."""
    return np.array([compute_contact_impedance_ohm(c, conductivity_s_m) for c in lead.contacts])
