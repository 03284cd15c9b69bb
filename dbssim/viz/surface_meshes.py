"""Triangle meshes of the shapes the core describes, for drawing only (no physics here)."""

from __future__ import annotations

import math

import numpy as np

from dbssim.patient.anatomy import Region
from dbssim.physics.vta import grid_faces


def ellipsoid_mesh(region: Region, n_polar: int = 14, n_azimuth: int = 24) -> np.ndarray:
    """Vertices (rows × cols flattened, N×3 mm) of a region's ellipsoid surface."""
    theta = np.linspace(0, math.pi, n_polar)
    phi = np.linspace(0, 2 * math.pi, n_azimuth, endpoint=False)
    tt, pp = np.meshgrid(theta, phi, indexing="ij")
    a, b, c = region.semi_axes_mm
    pts = np.column_stack(
        [
            (a * np.sin(tt) * np.cos(pp)).ravel(),
            (b * np.sin(tt) * np.sin(pp)).ravel(),
            (c * np.cos(tt)).ravel(),
        ]
    )
    return region.to_atlas(pts)


def cylinder_mesh(
    radius_mm: float,
    z0_mm: float,
    z1_mm: float,
    angle_centre_deg: float = 0.0,
    angle_span_deg: float = 360.0,
    n_angles: int = 24,
) -> tuple[np.ndarray, np.ndarray]:
    """Lead-local vertices and faces of a (partial) cylinder surface along +z."""
    full = angle_span_deg >= 360.0
    half = math.radians(angle_span_deg) / 2
    centre = math.radians(angle_centre_deg)
    angles = (
        np.linspace(0, 2 * math.pi, n_angles, endpoint=False)
        if full
        else np.linspace(centre - half, centre + half, max(4, n_angles // 3))
    )
    zs = np.array([z0_mm, z1_mm])
    zz, aa = np.meshgrid(zs, angles, indexing="ij")
    pts = np.column_stack(
        [(radius_mm * np.cos(aa)).ravel(), (radius_mm * np.sin(aa)).ravel(), zz.ravel()]
    )
    return pts, grid_faces(2, len(angles), wrap=full)
