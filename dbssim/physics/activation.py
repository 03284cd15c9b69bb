"""From field to activated fraction: grey-matter regions and fibre tracts.

Grey matter is activated where the field magnitude exceeds a threshold;
fibres by the activating function (second spatial difference of the
potential along the fibre). Both thresholds scale with pulse width by the
Weiss strength–duration law, and both give a smooth activated fraction
through a logistic curve rather than a hard step.
"""

from __future__ import annotations

import math
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
# (Holsheimer et al. 2000, not confirmed); 100 µs sits inside that range.
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
# anodic side lobes reach 0.2 of the cathodic peak of the activating function.
ANODIC_THRESHOLD_RATIO = 3.0
DEFAULT_FIBRE_CHRONAXIE_US = 150.0


def strength_duration_factor(
    pulse_width_us: float,
    chronaxie_us: float,
    reference_pulse_width_us: float = REFERENCE_PULSE_WIDTH_US,
) -> float:
    """Scale a threshold quoted at the reference pulse width to another pulse width.

    Shorter pulses need a stronger stimulus; how much stronger depends on the tissue's
    chronaxie, which is why short pulses can widen the therapeutic window.

    Parameters
    ----------
    pulse_width_us : float
        Pulse width, µs, > 0.
    chronaxie_us : float
        Chronaxie of the tissue, µs, > 0.
    reference_pulse_width_us : float
        Pulse width at which the threshold is quoted, µs; default 60 µs (Lead-DBS).

    Returns
    -------
    float
        Threshold at ``pulse_width_us`` over threshold at the reference width (> 1 for
        shorter pulses, < 1 for longer ones).

    Raises
    ------
    dbssim.errors.InputError
        If ``pulse_width_us`` is not positive.

    Notes
    -----
    Weiss (1901): I_th(PW) = b (1 + c / PW), with rheobase b and chronaxie c.
    The factor is (1 + c/PW) / (1 + c/PW_ref).
    """
    if not pulse_width_us > 0:
        raise InputError("pulse_width_us", f"must be > 0 µs (got {pulse_width_us})")
    return (1.0 + chronaxie_us / pulse_width_us) / (1.0 + chronaxie_us / reference_pulse_width_us)


def logistic_activation(drive: np.ndarray, threshold: float) -> np.ndarray:
    """Compute the probability of activation for a drive against its threshold.

    A logistic in drive/threshold, shifted and rescaled so that zero drive
    gives exactly zero (the plain logistic would still give 1.5 % at no
    stimulation); 0.5 at threshold is kept to within 1 %.

    Parameters
    ----------
    drive : numpy.ndarray
        Field magnitude (V/mm, grey matter) or activating function (V/mm², fibres).
    threshold : float
        Threshold in the same unit, already scaled to the pulse width, > 0.

    Returns
    -------
    numpy.ndarray
        Activation probability 0–1, the shape of ``drive``.

    Notes
    -----
    ``p = max(0, L(d/t) - L(0)) / (1 - L(0))`` with
    ``L(x) = 1 / (1 + exp(-k (x - 1)))`` and ``k = 20.3 × 0.206 ≈ 4.18``: the slope of
    Lead-DBS's sigmoid (20.3 per V/mm centred at 0.206 V/mm) made relative to threshold.
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
        """Compute the volume fraction of the region activated.

        Parameters
        ----------
        currents_ma : numpy.ndarray, shape (n_contacts,)
            Signed current per contact, mA (negative = cathodic).
        pulse_width_us : float
            Pulse width, µs, > 0.
        threshold_v_per_mm : float
            Field threshold at 60 µs, V/mm, > 0.
        chronaxie_us : float
            Chronaxie of the tissue, µs, > 0.

        Returns
        -------
        float
            Weighted fraction of the region's sample points activated, 0–1; near an
            anode the field counts ``1 / ANODIC_THRESHOLD_RATIO`` as much.
        """
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
        """Find the largest activating function along each fibre.

        Parameters
        ----------
        currents_ma : numpy.ndarray, shape (n_contacts,)
            Signed current per contact, mA.

        Returns
        -------
        numpy.ndarray, shape (n_fibres,)
            Peak activating function per fibre, V/mm² (positive = depolarising): a fibre
            fires where its most depolarised node does.
        """
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
        """Compute the fraction of the tract's fibres activated.

        Parameters
        ----------
        currents_ma : numpy.ndarray, shape (n_contacts,)
            Signed current per contact, mA.
        pulse_width_us : float
            Pulse width, µs, > 0.
        threshold_v_per_mm2 : float
            Activating-function threshold at 60 µs, V/mm², > 0.
        chronaxie_us : float
            Chronaxie of the fibres, µs, > 0.

        Returns
        -------
        float
            Mean activation probability over the fibres, 0–1.
        """
        threshold = threshold_v_per_mm2 * strength_duration_factor(pulse_width_us, chronaxie_us)
        return float(np.mean(logistic_activation(self.peak_drive(currents_ma), threshold)))


def resample_polyline(
    points_mm: np.ndarray, spacing_mm: float = FIBRE_NODE_SPACING_MM
) -> np.ndarray:
    """Place nodes of Ranvier at equal arc-length spacing along a fibre's polyline.

    Parameters
    ----------
    points_mm : numpy.ndarray, shape (N, 3)
        Polyline vertices, mm.
    spacing_mm : float
        Node spacing, mm, > 0; default 0.5 mm, the internode of a 5.7 µm MRG axon.

    Returns
    -------
    numpy.ndarray, shape (M, 3)
        Node positions from the first vertex on, mm; at least 3 nodes so that one
        interior node has an activating function.

    References
    ----------
    McIntyre CC, Richardson AG, Grill WM 2002, J Neurophysiol (MRG axon model).
    """
    pts = np.asarray(points_mm, dtype=float)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(3, math.floor(s[-1] / spacing_mm) + 1)
    t = np.arange(n) * spacing_mm
    return np.column_stack([np.interp(t, s, pts[:, k]) for k in range(3)])


def activating_function_operator(n_nodes: int, spacing_mm: float) -> np.ndarray:
    """Build the matrix that turns node potentials into the activating function.

    Parameters
    ----------
    n_nodes : int
        Number of nodes along the fibre, ≥ 3.
    spacing_mm : float
        Node spacing, mm, > 0.

    Returns
    -------
    numpy.ndarray, shape (n_nodes - 2, n_nodes)
        Second-difference operator, 1/mm²: times potentials in V it gives V/mm² at the
        interior nodes.

    Notes
    -----
    f_n = (phi_{n-1} - 2 phi_n + phi_{n+1}) / dx^2 (Rattay 1986). Under a
    cathode (negative current, potential well) f is positive: depolarising.

    References
    ----------
    Rattay F 1986, IEEE Trans Biomed Eng (the activating function).
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
    """Precompute the field per mA of each contact at a region's sample points.

    Done once per patient, so that any program is then one matrix product.

    Parameters
    ----------
    lead : Lead
        The lead whose contacts are sources.
    points_mm : numpy.ndarray, shape (N, 3)
        Sample points of the region, atlas mm.
    pose : LeadPose or None
        Where the lead sits; None: points are already lead-local.
    conductivity_s_m : float
        Tissue conductivity, S/m, > 0.
    weights : numpy.ndarray, shape (N,), optional
        Volume weights of the points (normalised to sum 1); default equal.

    Returns
    -------
    GreyRegionField
        Unit solution and weights of the region.
    """
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
    """Precompute the activating function per mA of each contact along every fibre.

    Parameters
    ----------
    lead : Lead
        The lead whose contacts are sources.
    fibres_mm : list of numpy.ndarray, each shape (P, 3)
        Fibre polylines, atlas mm; each is resampled to nodes 0.5 mm apart.
    pose : LeadPose or None
        Where the lead sits; None: points are already lead-local.
    conductivity_s_m : float
        Tissue conductivity, S/m, > 0.

    Returns
    -------
    FibreTractField
        Activating function per mA at every interior node, and which fibre owns it.
    """
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


def polarity_weighted(efield_norm: np.ndarray, potential_v: np.ndarray) -> np.ndarray:
    """Weigh the field magnitude as grey matter feels it near an anode or a cathode.

    Parameters
    ----------
    efield_norm : numpy.ndarray
        Field magnitude, V/mm.
    potential_v : numpy.ndarray
        Potential at the same points, V (same shape).

    Returns
    -------
    numpy.ndarray
        The field divided by `ANODIC_THRESHOLD_RATIO` (3, a teaching value) where the
        potential is positive (near an anode), unchanged near a cathode.
    """
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
