"""From field to activated fraction: grey-matter regions and fibre tracts.

Grey matter is activated where the field magnitude exceeds a threshold;
fibres by the activating function (second spatial difference of the
potential along the fibre). Both thresholds scale with pulse width by the
Weiss strength–duration law, and both give a smooth activated fraction
through a logistic curve rather than a hard step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dbssim.errors import InputError
from dbssim.physics.field import UnitSolution, compute_unit_solution_cached
from dbssim.physics.leads import Lead
from dbssim.physics.pose import LeadPose

REFERENCE_PULSE_WIDTH_US = 60.0  # thresholds below are quoted at 60 µs (Lead-DBS defaults)
# E-field threshold for the VTA: 0.2 V/mm at 60 µs (Lead-DBS dembek_ethresh; Alonso et al. 2016).
DEFAULT_EFIELD_THRESHOLD_V_PER_MM = 0.2
# Grey-matter chronaxie. Teaching value: clinical chronaxies of 30–200 µs are reported
# (Holsheimer et al. 2000, dossier §2.2, not confirmed); 100 µs sits inside that range.
DEFAULT_GREY_CHRONAXIE_US = 100.0
# Logistic slope relative to threshold: Lead-DBS ea_SigmoidFromEfield uses 20.3 per V/mm
# centred at 0.206 V/mm, i.e. 20.3 * 0.206 = 4.18 per unit of E/E_threshold.
RELATIVE_SLOPE = 20.3 * 0.206
# Node spacing of the fibre model: internode length of a 5.7 µm MRG axon, 0.5 mm
# (McIntyre, Richardson & Grill 2002).
FIBRE_NODE_SPACING_MM = 0.5
# Activating-function threshold and chronaxie of a 5.7 µm myelinated axon, fitted here to the
# OSS-DBS v2 pathway-activation table (MRG 2002 axons, 3389 contact 1, 60/90/120 µs, 1–5 mA):
# every row's furthest activated distance within 0.25 mm (see docs/science.md).
DEFAULT_FIBRE_THRESHOLD_V_PER_MM2 = 0.038
# Grey matter under an anode (positive potential) needs a stronger field than under a
# cathode. Teaching value 3: between equal thresholds and the ~5x of a straight axon, whose
# anodic side lobes reach 0.2 of the cathodic peak of the activating function (dossier §1.4).
ANODIC_THRESHOLD_RATIO = 3.0
DEFAULT_FIBRE_CHRONAXIE_US = 150.0


def strength_duration_factor(
    pulse_width_us: float,
    chronaxie_us: float,
    reference_pulse_width_us: float = REFERENCE_PULSE_WIDTH_US,
) -> float:
    """Threshold at ``pulse_width_us`` relative to the threshold at the reference width.

    Notes
    -----
    Weiss (1901): I_th(PW) = b (1 + c / PW), with rheobase b and chronaxie c.
    The factor is (1 + c/PW) / (1 + c/PW_ref).
    """
    if not pulse_width_us > 0:
        raise InputError("pulse_width_us", f"must be > 0 µs (got {pulse_width_us})")
    return (1.0 + chronaxie_us / pulse_width_us) / (1.0 + chronaxie_us / reference_pulse_width_us)


def logistic_activation(drive: np.ndarray, threshold: float) -> np.ndarray:
    """Probability of activation for a drive (field or activating function) vs threshold.

    A logistic in drive/threshold, shifted and rescaled so that zero drive
    gives exactly zero (the plain logistic would still give 1.5 % at no
    stimulation); 0.5 at threshold is kept to within 1 %.
    """
    return _logit(np.asarray(drive, dtype=float), threshold)


@dataclass(frozen=True)
class GreyRegionField:
    """Precomputed unit fields at one grey-matter region's sample points."""

    unit: UnitSolution
    weights: np.ndarray  # (n_points,) volume weights summing to 1

    def activated_fraction(
        self,
        currents_ma: np.ndarray,
        pulse_width_us: float,
        threshold_v_per_mm: float,
        chronaxie_us: float,
    ) -> float:
        """Volume fraction of the region activated, 0–1."""
        threshold = threshold_v_per_mm * strength_duration_factor(pulse_width_us, chronaxie_us)
        e = self.unit.efield_norm_v_per_mm(currents_ma)
        e = polarity_weighted(e, self.unit.potential_v(currents_ma))
        return float(self.weights @ logistic_activation(e, threshold))


@dataclass(frozen=True)
class FibreTractField:
    """Precomputed unit activating functions of a bundle of fibres.

    ``af_v_per_mm2_per_ma`` has one row per interior node (all fibres
    stacked) and one column per contact; ``fibre_of_node`` says which fibre
    each row belongs to.
    """

    af_v_per_mm2_per_ma: np.ndarray
    fibre_of_node: np.ndarray
    n_fibres: int

    def peak_drive(self, currents_ma: np.ndarray) -> np.ndarray:
        """Largest depolarising activating function on each fibre, V/mm²."""
        af = self.af_v_per_mm2_per_ma @ currents_ma
        peak = np.full(self.n_fibres, -np.inf)
        np.maximum.at(peak, self.fibre_of_node, af)
        return peak

    def activated_fraction(
        self,
        currents_ma: np.ndarray,
        pulse_width_us: float,
        threshold_v_per_mm2: float,
        chronaxie_us: float,
    ) -> float:
        """Fraction of the tract's fibres activated, 0–1."""
        threshold = threshold_v_per_mm2 * strength_duration_factor(pulse_width_us, chronaxie_us)
        return float(np.mean(logistic_activation(self.peak_drive(currents_ma), threshold)))


def resample_polyline(
    points_mm: np.ndarray, spacing_mm: float = FIBRE_NODE_SPACING_MM
) -> np.ndarray:
    """Nodes at equal arc-length spacing along a polyline (N×3 → M×3)."""
    pts = np.asarray(points_mm, dtype=float)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(3, math.floor(s[-1] / spacing_mm) + 1)
    t = np.arange(n) * spacing_mm
    return np.column_stack([np.interp(t, s, pts[:, k]) for k in range(3)])


def activating_function_operator(n_nodes: int, spacing_mm: float) -> np.ndarray:
    """Matrix giving the activating function at interior nodes from node potentials.

    f_n = (phi_{n-1} - 2 phi_n + phi_{n+1}) / dx^2 (Rattay 1986). Under a
    cathode (negative current, potential well) f is positive: depolarising.
    """
    d = np.zeros((n_nodes - 2, n_nodes))
    idx = np.arange(n_nodes - 2)
    d[idx, idx] = 1.0
    d[idx, idx + 1] = -2.0
    d[idx, idx + 2] = 1.0
    return d / spacing_mm**2


def build_grey_region_field(
    lead: Lead,
    points_mm: np.ndarray,
    pose: LeadPose | None,
    conductivity_s_m: float,
    weights: np.ndarray | None = None,
) -> GreyRegionField:
    """Precompute unit fields at a region's sample points (equal weights by default)."""
    unit = compute_unit_solution_cached(lead, points_mm, pose, conductivity_s_m)
    n = len(unit.inside_lead)
    w = np.full(n, 1.0 / n) if weights is None else np.asarray(weights, float) / np.sum(weights)
    return GreyRegionField(unit, w)


def build_fibre_tract_field(
    lead: Lead,
    fibres_mm: list[np.ndarray],
    pose: LeadPose | None,
    conductivity_s_m: float,
) -> FibreTractField:
    """Precompute unit activating functions along each fibre (polylines, resampled)."""
    nodes = [resample_polyline(f) for f in fibres_mm]
    unit = compute_unit_solution_cached(lead, np.vstack(nodes), pose, conductivity_s_m)
    rows, owner, start = [], [], 0
    for i, fibre_nodes in enumerate(nodes):
        n = len(fibre_nodes)
        op = activating_function_operator(n, FIBRE_NODE_SPACING_MM)
        rows.append(op @ unit.potential_v_per_ma[start : start + n])
        owner.append(np.full(n - 2, i))
        start += n
    return FibreTractField(np.vstack(rows), np.concatenate(owner), len(nodes))


@dataclass(frozen=True)
class StackedStructures:
    """All regions and tracts of one lead stacked into a few arrays, for fast evaluation.

    One matrix product gives the field at every region point and the
    activating function at every fibre node; segment reductions give the
    activated fraction of each structure.
    """

    ids: tuple[str, ...]  # regions first, then tracts
    region_efield: np.ndarray  # (P, 3, C) V/mm per mA
    region_potential: np.ndarray  # (P, C) V per mA
    region_inside: np.ndarray  # (P,) bool
    region_weight: np.ndarray  # (P,) weights, summing to 1 within each region
    region_threshold: np.ndarray  # (P,) V/mm at 60 µs
    region_chronaxie: np.ndarray  # (P,) µs
    region_starts: np.ndarray  # (R,) first point of each region
    tract_af: np.ndarray  # (N, C) V/mm² per mA
    fibre_starts: np.ndarray  # (F,) first node row of each fibre
    fibre_threshold: np.ndarray  # (F,) V/mm² at 60 µs
    fibre_chronaxie: np.ndarray  # (F,) µs
    tract_starts: np.ndarray  # (T,) first fibre of each tract
    tract_sizes: np.ndarray  # (T,) fibres per tract

    def activations(self, currents_ma: np.ndarray, pulse_width_us: float) -> np.ndarray:
        """Activated fraction of every structure, in ``ids`` order."""
        if not pulse_width_us > 0:
            raise InputError("pulse_width_us", f"must be > 0 µs (got {pulse_width_us})")
        e = np.linalg.norm(self.region_efield @ currents_ma, axis=1)
        e[self.region_inside] = 0.0
        if np.any(currents_ma > 0):  # only an anode makes any potential positive
            e = polarity_weighted(e, self.region_potential @ currents_ma)
        th = self.region_threshold * _sd(pulse_width_us, self.region_chronaxie)
        regions = np.add.reduceat(_logit(e, th) * self.region_weight, self.region_starts)
        af = self.tract_af @ currents_ma
        peak = np.maximum.reduceat(af, self.fibre_starts)
        fth = self.fibre_threshold * _sd(pulse_width_us, self.fibre_chronaxie)
        tracts = np.add.reduceat(_logit(peak, fth), self.tract_starts) / self.tract_sizes
        return np.concatenate([regions, tracts])

    def activation_curves(
        self, contact_index: int, amplitudes_ma: np.ndarray, pulse_width_us: float
    ) -> np.ndarray:
        """(A, S) activated fractions for monopolar cathodic stimulation at many amplitudes."""
        unit = np.zeros(self.region_efield.shape[2])
        unit[contact_index] = -1.0
        amps = np.asarray(amplitudes_ma, dtype=float)[:, None]
        regions = np.zeros((len(amps), 0))
        if len(self.region_starts):
            e1 = np.linalg.norm(self.region_efield @ unit, axis=1)
            e1[self.region_inside] = 0.0
            th = self.region_threshold * _sd(pulse_width_us, self.region_chronaxie)
            fraction = _logit(amps * e1, th)
            fraction *= self.region_weight
            regions = np.add.reduceat(fraction, self.region_starts, axis=1)
        tracts = np.zeros((len(amps), 0))
        if len(self.tract_starts):
            peak1 = np.maximum.reduceat(self.tract_af @ unit, self.fibre_starts)
            fth = self.fibre_threshold * _sd(pulse_width_us, self.fibre_chronaxie)
            tracts = np.add.reduceat(_logit(amps * peak1, fth), self.tract_starts, axis=1)
            tracts /= self.tract_sizes
        return np.concatenate([regions, tracts], axis=1)

    def select(self, ids: Sequence[str]) -> StackedStructures:
        """The same arrays restricted to the structures ``ids`` (kept in this stack's order).

        Every structure keeps its own points, fibres and nodes in the same order,
        so its activations are the very numbers the whole stack gives.
        """
        wanted = set(ids)
        n_regions = len(self.region_starts)
        keep = [k for k, sid in enumerate(self.ids) if sid in wanted]
        regions = [k for k in keep if k < n_regions]
        tracts = [k - n_regions for k in keep if k >= n_regions]
        r_bounds = np.append(self.region_starts, len(self.region_weight))
        t_bounds = np.append(self.tract_starts, len(self.fibre_starts))
        f_bounds = np.append(self.fibre_starts, len(self.tract_af))
        rows = _ranges(r_bounds, regions)
        fibres = _ranges(t_bounds, tracts)
        nodes = _ranges(f_bounds, fibres.tolist())
        fibre_sizes = f_bounds[fibres + 1] - f_bounds[fibres]
        region_sizes = np.diff(r_bounds)[regions]
        return StackedStructures(
            ids=tuple(self.ids[k] for k in keep),
            region_efield=self.region_efield[rows],
            region_potential=self.region_potential[rows],
            region_inside=self.region_inside[rows],
            region_weight=self.region_weight[rows],
            region_threshold=self.region_threshold[rows],
            region_chronaxie=self.region_chronaxie[rows],
            region_starts=_starts(region_sizes),
            tract_af=self.tract_af[nodes],
            fibre_starts=_starts(fibre_sizes),
            fibre_threshold=self.fibre_threshold[fibres],
            fibre_chronaxie=self.fibre_chronaxie[fibres],
            tract_starts=_starts(np.diff(t_bounds)[tracts]),
            tract_sizes=self.tract_sizes[tracts],
        )


def _ranges(bounds: np.ndarray, which: list[int]) -> np.ndarray:
    """Indices bounds[k]..bounds[k+1]-1 for each k in ``which``, concatenated."""
    parts = [np.arange(bounds[k], bounds[k + 1]) for k in which]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=int)


def _starts(sizes: np.ndarray) -> np.ndarray:
    """First index of each of consecutive blocks of ``sizes``."""
    return (
        np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        if len(sizes)
        else np.zeros(0, dtype=int)
    )


def polarity_weighted(efield_norm: np.ndarray, potential_v: np.ndarray) -> np.ndarray:
    """Field magnitude as grey matter feels it: divided by the anodic ratio where the
    potential is positive (near an anode), unchanged near a cathode."""
    return np.where(potential_v > 0, efield_norm / ANODIC_THRESHOLD_RATIO, efield_norm)


def _sd(pulse_width_us: float, chronaxie_us: np.ndarray) -> np.ndarray:
    """Weiss factor for arrays of chronaxies (see ``strength_duration_factor``)."""
    return (1.0 + chronaxie_us / pulse_width_us) / (1.0 + chronaxie_us / REFERENCE_PULSE_WIDTH_US)


_AT_ZERO = 0.5 * (1.0 + math.tanh(-0.5 * RELATIVE_SLOPE))  # plain logistic at zero drive


def _logit(drive: np.ndarray, threshold: np.ndarray | float) -> np.ndarray:
    # The operations of 0.5 (1 + tanh(k/2 (d/t - 1))), rescaled, in the same order but in
    # place: the same numbers with one temporary instead of seven (the expert search runs
    # this over ~10^5-10^6 values per candidate).
    x = np.divide(drive, threshold)
    x -= 1.0
    x *= 0.5 * RELATIVE_SLOPE
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5
    x -= _AT_ZERO
    np.maximum(x, 0.0, out=x)
    x /= 1.0 - _AT_ZERO
    return x


def stack_structures(
    regions: dict[str, tuple[GreyRegionField, float, float]],
    tracts: dict[str, tuple[FibreTractField, float, float]],
) -> StackedStructures:
    """Stack per-structure precomputations (field, threshold, chronaxie) into arrays."""
    r_fields = [f for f, _, _ in regions.values()]
    sizes = np.array([len(f.weights) for f in r_fields])
    t_fields = [f for f, _, _ in tracts.values()]
    fibre_rows = [np.bincount(f.fibre_of_node, minlength=f.n_fibres) for f in t_fields]
    fibre_sizes = np.concatenate(fibre_rows)
    n_fibres = np.array([f.n_fibres for f in t_fields])
    return StackedStructures(
        ids=tuple(regions) + tuple(tracts),
        region_efield=np.concatenate([f.unit.efield_v_per_mm_per_ma for f in r_fields]),
        region_potential=np.concatenate([f.unit.potential_v_per_ma for f in r_fields]),
        region_inside=np.concatenate([f.unit.inside_lead for f in r_fields]),
        region_weight=np.concatenate([f.weights for f in r_fields]),
        region_threshold=np.repeat([t for _, t, _ in regions.values()], sizes),
        region_chronaxie=np.repeat([c for _, _, c in regions.values()], sizes),
        region_starts=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
        tract_af=np.concatenate([f.af_v_per_mm2_per_ma for f in t_fields]),
        fibre_starts=np.concatenate([[0], np.cumsum(fibre_sizes)[:-1]]),
        fibre_threshold=np.repeat([t for _, t, _ in tracts.values()], n_fibres),
        fibre_chronaxie=np.repeat([c for _, _, c in tracts.values()], n_fibres),
        tract_starts=np.concatenate([[0], np.cumsum(n_fibres)[:-1]]),
        tract_sizes=n_fibres.astype(float),
    )
