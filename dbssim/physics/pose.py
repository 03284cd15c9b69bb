"""Where a lead sits: tip position, trajectory and rotation, and frame changes."""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from dbssim.errors import InputError
from dbssim.validation import StrictModel


class LeadPose(StrictModel):
    """Position and orientation of a lead in atlas (AC–PC) millimetres.

    ``direction`` points from the tip up the lead shaft. ``rotation_deg`` turns
    the orientation marker (segment "a") about the lead axis, measured from
    the projection of atlas +y (anterior) onto the plane normal to the shaft.
    """

    tip_mm: tuple[float, float, float] = Field(description="Tip position, x y z in mm")
    direction: tuple[float, float, float] = Field(
        default=(0.0, 0.0, 1.0), description="Unit vector from tip up the shaft"
    )
    rotation_deg: float = Field(default=0.0, ge=-360, le=360, description="Marker rotation")

    @field_validator("direction")
    @classmethod
    def _unit(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        norm = float(np.linalg.norm(v))
        if norm < 1e-9:
            raise InputError("direction", "must not be the zero vector")
        return (v[0] / norm, v[1] / norm, v[2] / norm)

    def rotation_matrix(self) -> np.ndarray:
        """3×3 matrix whose columns are the lead-local x, y, z axes in atlas coordinates."""
        z = np.asarray(self.direction, dtype=float)
        ref = np.array([0.0, 1.0, 0.0]) if abs(z[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
        x = ref - z * float(ref @ z)
        x /= np.linalg.norm(x)
        y = np.cross(z, x)
        a = np.radians(self.rotation_deg)
        x_rot = np.cos(a) * x + np.sin(a) * y
        y_rot = np.cross(z, x_rot)
        return np.column_stack([x_rot, y_rot, z])

    def to_local(self, points_mm: np.ndarray) -> np.ndarray:
        """Atlas points (N×3) to lead-local coordinates."""
        return (np.asarray(points_mm, dtype=float) - np.asarray(self.tip_mm)) @ (
            self.rotation_matrix()
        )

    def to_atlas(self, points_local_mm: np.ndarray) -> np.ndarray:
        """Lead-local points (N×3) to atlas coordinates."""
        return np.asarray(points_local_mm, dtype=float) @ self.rotation_matrix().T + np.asarray(
            self.tip_mm
        )
