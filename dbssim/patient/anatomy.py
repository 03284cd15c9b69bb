"""Simplified local atlases: grey-matter regions (ellipsoids) and fibre tracts (bundles).

Coordinates are hemisphere-local AC–PC millimetres with the mid-commissural
point as origin: x lateral (away from the midline), y anterior, z superior.
Both hemispheres use the same atlas; the body side a structure serves is
contralateral to the hemisphere. Atlas files live in ``dbssim/data/atlases``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from pydantic import Field

from dbssim.errors import InputError
from dbssim.physics.activation import (
    DEFAULT_EFIELD_THRESHOLD_V_PER_MM,
    DEFAULT_FIBRE_CHRONAXIE_US,
    DEFAULT_FIBRE_THRESHOLD_V_PER_MM2,
    DEFAULT_GREY_CHRONAXIE_US,
)
from dbssim.validation import StrictModel, read_bundled_yaml

Vec3 = tuple[float, float, float]
BodyPart = Literal["face", "arm", "leg", "axial"]
Onset = Literal["immediate", "minutes", "chronic"]
FrequencyCurve = Literal["summation", "flat"]
REGION_SAMPLE_SPACING_MM = 0.5  # numerical choice: ~8 points per mm³ of a 1 mm³ voxel grid
MAX_REGION_POINTS = 1500  # numerical choice: keeps a scenario evaluation well under 1 ms


@dataclass(frozen=True)
class TissuePhysiology:
    """Excitability of one tissue class: threshold at 60 µs and Weiss chronaxie."""

    threshold: float  # V/mm (grey matter, field) or V/mm² (fibres, activating function)
    chronaxie_us: float


# One physiology per tissue class, shared by every atlas (issue 10 item 2): a nucleus in the
# GPi, STN or VIM atlas is excited like any other grey matter, and every fibre tract (internal
# capsule, optic tract, medial lemniscus, cerebello-thalamic and oculomotor fibres) like a
# 5.7 µm myelinated axon. No source retrieved for this project says one of these tissues
# differs from the others in threshold or chronaxie; position alone sets their thresholds.
# Grey matter: 0.2 V/mm at 60 µs (Lead-DBS; Alonso et al. 2016, Brain Sci 6:39) and the
# 100 µs teaching chronaxie (clinical chronaxies of 30–200 µs, Holsheimer et al. 2000,
# not confirmed). Fibres: the activating-function threshold and chronaxie fitted to the
# OSS-DBS v2 pathway-activation table of MRG 5.7 µm axons (physics.activation).
GREY_MATTER = TissuePhysiology(DEFAULT_EFIELD_THRESHOLD_V_PER_MM, DEFAULT_GREY_CHRONAXIE_US)
MYELINATED_FIBRE = TissuePhysiology(DEFAULT_FIBRE_THRESHOLD_V_PER_MM2, DEFAULT_FIBRE_CHRONAXIE_US)


class Region(StrictModel):
    """A grey-matter region modelled as an ellipsoid."""

    id: str
    name: str
    centre_mm: Vec3
    semi_axes_mm: Vec3 = Field(description="Semi-axes along x, y, z before yaw, mm")
    yaw_deg: float = Field(default=0.0, ge=-180, le=180, description="Rotation about z")
    source: str = Field(description="Where the position and size come from")
    within: str | None = Field(default=None, description="Parent region id, for display")

    def to_atlas(self, points_local_mm: np.ndarray) -> np.ndarray:
        """Express region-local points in atlas coordinates.

        The ellipsoid is turned by ``yaw_deg`` about z, then moved to ``centre_mm``: the one
        place a region's orientation is applied (sampling and drawing both use it).

        Parameters
        ----------
        points_local_mm : numpy.ndarray, shape (N, 3)
            Points along the region's semi-axes (x, y, z before yaw), mm, centred on 0.

        Returns
        -------
        numpy.ndarray, shape (N, 3)
            The same points in hemisphere-local atlas (AC–PC) coordinates, mm.
        """
        yaw = math.radians(self.yaw_deg)
        rot = np.array(
            [[math.cos(yaw), -math.sin(yaw), 0], [math.sin(yaw), math.cos(yaw), 0], [0, 0, 1]]
        )
        return np.asarray(points_local_mm) @ rot.T + np.asarray(self.centre_mm)

    @property
    def threshold_v_per_mm(self) -> float:
        """|E| threshold at 60 µs: the one grey-matter value (``GREY_MATTER``)."""
        return GREY_MATTER.threshold

    @property
    def chronaxie_us(self) -> float:
        """Strength–duration chronaxie: the one grey-matter value (``GREY_MATTER``)."""
        return GREY_MATTER.chronaxie_us


class Tract(StrictModel):
    """A fibre bundle around a polyline centre path."""

    id: str
    name: str
    path_mm: list[Vec3] = Field(min_length=2)
    bundle_radius_mm: float = Field(gt=0, le=5)
    n_fibres: int = Field(default=19, ge=1, le=100)
    source: str

    @property
    def threshold_v_per_mm2(self) -> float:
        """Activating-function threshold at 60 µs: the one fibre value (``MYELINATED_FIBRE``)."""
        return MYELINATED_FIBRE.threshold

    @property
    def chronaxie_us(self) -> float:
        """Strength–duration chronaxie: the one fibre value (``MYELINATED_FIBRE``)."""
        return MYELINATED_FIBRE.chronaxie_us


class SideEffectSpec(StrictModel):
    """A stimulation-induced side effect: substrate, strength, time course and semiology."""

    id: str
    structure: str = Field(description="Region or tract id whose activation causes it")
    # Default 0.05: a few per cent of fibres activated is not perceptible (teaching value).
    onset_fraction: float = Field(
        default=0.05, ge=0, lt=1, description="Activated fraction below which there is no effect"
    )
    full_at_fraction: float = Field(
        gt=0, le=1, description="Activated fraction at which severity reaches 4"
    )
    onset: Onset
    medication_gain: float = Field(
        default=0.0,
        ge=0,
        le=5,
        description="Extra drive per unit of levodopa effect (dyskinesia: medication on)",
    )
    frequency_curve: FrequencyCurve = "flat"
    habituates: bool = False
    raises_items: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Scale item id ({side} = body side) -> points the side effect adds to that item "
            "at severity 4, in proportion below; items the scale lacks are ignored"
        ),
    )
    sign: str = Field(description="What the examiner sees")
    says: str = Field(description="What the patient says; {side} is the body side")


class Atlas(StrictModel):
    """A target's local atlas with the substrates of benefit and of side effects."""

    id: str
    name: str
    regions: list[Region]
    tracts: list[Tract]
    substrates: dict[BodyPart, list[str]] = Field(
        description="Region ids whose activation relieves symptoms of each body part"
    )
    side_effects: list[SideEffectSpec]

    def structure_ids(self) -> list[str]:
        """List every structure a side effect, substrate or offset may name.

        Returns
        -------
        list of str
            Region ids, then tract ids, in file order.
        """
        return [r.id for r in self.regions] + [t.id for t in self.tracts]

    def effect_names(self) -> dict[str, str]:
        """Name every side effect in words, as a trainee reads it.

        Returns
        -------
        dict of str to str
            Side-effect id to its sign without a body side (lower case, no full stop).
        """
        return {
            spec.id: spec.sign.replace("{side} ", "")
            .replace("{side}", "")
            .strip()
            .rstrip(".")
            .lower()
            for spec in self.side_effects
        }

    def shifted(self, offsets_mm: dict[str, Vec3]) -> Atlas:
        """Move some structures, as an individual patient's anatomy differs from the atlas.

        Parameters
        ----------
        offsets_mm : dict of str to tuple of float
            Structure id to its (x, y, z) shift, mm; a region's centre or every point of
            a tract's path moves by it.

        Returns
        -------
        Atlas
            A new, re-validated atlas; structures not named are unchanged.

        Raises
        ------
        dbssim.errors.InputError
            Field ``anatomy_offsets_mm``: for an id that is not a structure of this atlas.
        """
        unknown = set(offsets_mm) - set(self.structure_ids())
        if unknown:
            raise InputError(
                "anatomy_offsets_mm",
                f"unknown structure(s) {sorted(unknown)}; "
                f"allowed: {', '.join(self.structure_ids())}",
            )
        regions = [
            r.revalidated(centre_mm=_add(r.centre_mm, offsets_mm[r.id]))
            if r.id in offsets_mm
            else r
            for r in self.regions
        ]
        tracts = [
            t.revalidated(path_mm=[_add(p, offsets_mm[t.id]) for p in t.path_mm])
            if t.id in offsets_mm
            else t
            for t in self.tracts
        ]
        return self.revalidated(regions=regions, tracts=tracts)


def _add(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


@cache
def load_atlas(atlas_id: str) -> Atlas:
    """Load and validate a bundled atlas.

    Parameters
    ----------
    atlas_id : str
        File stem in ``dbssim/data/atlases``, e.g. ``"stn"``.

    Returns
    -------
    Atlas
        The atlas, with every substrate and side-effect structure checked to exist
        (cached: treat as read-only).

    Raises
    ------
    dbssim.errors.InputError
        For an unknown id; the message lists the known ones.
    """
    atlas = Atlas.model_validate(read_bundled_yaml("atlases", "atlas", atlas_id))
    _check_references(atlas)
    return atlas


def _check_references(atlas: Atlas) -> None:
    ids = set(atlas.structure_ids())
    for part, region_ids in atlas.substrates.items():
        for rid in region_ids:
            if rid not in ids:
                raise ValueError(f"atlas {atlas.id}: substrates.{part} names unknown '{rid}'")
    for se in atlas.side_effects:
        if se.structure not in ids:
            raise ValueError(f"atlas {atlas.id}: side effect {se.id} names unknown {se.structure}")


def sample_region(region: Region) -> np.ndarray:
    """Sample points filling a region, for counting the activated fraction.

    A regular grid rather than random points, so the same region gives the same
    fraction every run without a seed.

    Parameters
    ----------
    region : Region
        The ellipsoid to fill.

    Returns
    -------
    numpy.ndarray, shape (N, 3)
        Grid points inside the ellipsoid in atlas coordinates, mm; spacing 0.5 mm, coarser
        for large regions so that N stays at about 1500 or fewer (at least one point, the
        centre, for a region smaller than the grid).
    """
    a = np.asarray(region.semi_axes_mm)
    volume = 4 / 3 * math.pi * float(np.prod(a))
    spacing = max(REGION_SAMPLE_SPACING_MM, (volume / MAX_REGION_POINTS) ** (1 / 3))
    axes = [np.arange(-ai + spacing / 2, ai, spacing) for ai in a]
    gx, gy, gz = np.meshgrid(*axes, indexing="ij")
    pts = np.column_stack([gx.ravel(), gy.ravel(), gz.ravel()])
    pts = pts[np.sum((pts / a) ** 2, axis=1) <= 1.0]
    if len(pts) == 0:
        pts = np.zeros((1, 3))
    return region.to_atlas(pts)


def sample_tract(tract: Tract) -> list[np.ndarray]:
    """Lay out the individual fibres of a tract over the bundle's cross-section.

    Parameters
    ----------
    tract : Tract
        The bundle: centre path, radius and number of fibres.

    Returns
    -------
    list of numpy.ndarray, each shape (P, 3)
        One polyline per fibre (``n_fibres`` of them), atlas mm: the centre path shifted
        in the plane normal to its end-to-end axis.

    Notes
    -----
    Fibre k sits at radius ``R · sqrt((k + 0.5) / n)`` and angle ``k · π(3 - √5)`` (a
    sunflower spiral), which covers the disc evenly with no random draw.
    """
    path = np.asarray(tract.path_mm, dtype=float)
    axis = path[-1] - path[0]
    axis /= np.linalg.norm(axis)
    ref = np.array([1.0, 0.0, 0.0]) if abs(axis[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = np.cross(axis, ref)
    u /= np.linalg.norm(u)
    v = np.cross(axis, u)
    fibres = []
    golden = math.pi * (3 - math.sqrt(5))  # sunflower spiral: even cover of a disc
    for k in range(tract.n_fibres):
        r = tract.bundle_radius_mm * math.sqrt((k + 0.5) / tract.n_fibres)
        offset = r * (math.cos(k * golden) * u + math.sin(k * golden) * v)
        fibres.append(path + offset)
    return fibres
