"""All structures of one lead stacked into a few arrays: one evaluation, every structure.

Built once per patient and side from the per-structure unit fields of
:mod:`dbssim.physics.activation`; a setting is then a few matrix products, which is what
makes the simulator instant (DESIGN §3.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dbssim.errors import InputError
from dbssim.physics.activation import (
    FibreTractField,
    GreyRegionField,
    _logit,
    _sd,
    polarity_weighted,
)


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
    _threshold_cache: dict[float, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # Per contact, contiguous: (C, 3·P) field and (C, N) activating function per mA.
    _efield_by_contact: np.ndarray = field(init=False, repr=False, compare=False)
    _af_by_contact: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Lay the unit solutions out per contact once, for `activations`."""
        n_contacts = self.region_efield.shape[2]
        # (C, 3, P): each field component of each contact contiguous, for `_norm3`.
        by_contact = np.ascontiguousarray(self.region_efield.transpose(2, 1, 0))
        by_contact = by_contact.reshape(n_contacts, -1)
        object.__setattr__(self, "_efield_by_contact", by_contact)
        object.__setattr__(self, "_af_by_contact", np.ascontiguousarray(self.tract_af.T))

    def activations(self, currents_ma: np.ndarray, pulse_width_us: float) -> np.ndarray:
        """Compute the activated fraction of every structure for one program.

        Parameters
        ----------
        currents_ma : numpy.ndarray, shape (n_contacts,)
            Signed current per contact, mA.
        pulse_width_us : float
            Pulse width, µs, > 0.

        Returns
        -------
        numpy.ndarray, shape (n_structures,)
            Activated fraction 0–1 of each structure, in ``ids`` order: the same rules
            as `GreyRegionField` and `FibreTractField`, all at once.

        Raises
        ------
        dbssim.errors.InputError
            If ``pulse_width_us`` is not positive.
        """
        if not pulse_width_us > 0:
            raise InputError("pulse_width_us", f"must be > 0 µs (got {pulse_width_us})")
        e = _norm3(_combine(self._efield_by_contact, currents_ma).reshape(3, -1))
        e[self.region_inside] = 0.0
        if currents_ma.max() > 0:  # only an anode makes any potential positive
            e = polarity_weighted(e, self.region_potential @ currents_ma)
        th, fth = self._thresholds(pulse_width_us)
        x = _logit(e, th)
        x *= self.region_weight
        regions = np.add.reduceat(x, self.region_starts)
        af = _combine(self._af_by_contact, currents_ma)
        peak = np.maximum.reduceat(af, self.fibre_starts)
        tracts = np.add.reduceat(_logit(peak, fth), self.tract_starts) / self.tract_sizes
        return np.concatenate([regions, tracts])

    def _thresholds(self, pulse_width_us: float) -> tuple[np.ndarray, np.ndarray]:
        """Region (V/mm) and fibre (V/mm²) thresholds at a pulse width, kept per width.

        A session uses a handful of pulse widths, so the Weiss factors over every point
        and fibre are computed once per width instead of at every evaluation.
        """
        cached = self._threshold_cache.get(pulse_width_us)
        if cached is None:
            cached = (
                self.region_threshold * _sd(pulse_width_us, self.region_chronaxie),
                self.fibre_threshold * _sd(pulse_width_us, self.fibre_chronaxie),
            )
            if len(self._threshold_cache) < 64:  # bounded: a sweep of widths cannot grow it
                self._threshold_cache[pulse_width_us] = cached
        return cached

    def activation_curves(
        self, contact_index: int, amplitudes_ma: np.ndarray, pulse_width_us: float
    ) -> np.ndarray:
        """Compute activation against amplitude for monopolar cathodic stimulation.

        The monopolar review's question, answered for many amplitudes at once: the unit
        field is computed once and only scaled.

        Parameters
        ----------
        contact_index : int
            The cathode, index into the lead's contacts (case is the anode).
        amplitudes_ma : numpy.ndarray, shape (A,)
            Cathodic currents, mA, ≥ 0.
        pulse_width_us : float
            Pulse width, µs, > 0.

        Returns
        -------
        numpy.ndarray, shape (A, n_structures)
            Activated fraction 0–1 of each structure (``ids`` order) at each amplitude.
        """
        unit = np.zeros(self.region_efield.shape[2])
        unit[contact_index] = -1.0
        return self.pattern_curves(unit, amplitudes_ma, pulse_width_us)

    def pattern_curves(
        self, unit_ma: np.ndarray, amplitudes_ma: np.ndarray, pulse_width_us: float
    ) -> np.ndarray:
        """Compute activation against amplitude for a cathodic pattern ``amplitude × unit_ma``.

        Field and activating function scale linearly with the currents, so one solution
        serves every amplitude (a whole level in ring mode, or a steered split).

        Parameters
        ----------
        unit_ma : numpy.ndarray, shape (n_contacts,)
            Each contact's share of 1 mA, ≤ 0 (cathodes only; the case is the anode).
        amplitudes_ma : numpy.ndarray, shape (A,)
            Total cathodic currents, mA, ≥ 0.
        pulse_width_us : float
            Pulse width, µs, > 0.

        Returns
        -------
        numpy.ndarray, shape (A, n_structures)
            Activated fraction 0–1 of each structure (``ids`` order) at each amplitude.

        Raises
        ------
        dbssim.errors.InputError
            If a share is positive (an anode).
        """
        unit = np.asarray(unit_ma, dtype=float)
        if np.any(unit > 0):
            raise InputError("unit_ma", "cathodes only (every share <= 0)")
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
        """Restrict the stack to some structures.

        Every structure keeps its own points, fibres and nodes in the same order,
        so its activations are the very numbers the whole stack gives.

        Parameters
        ----------
        ids : sequence of str
            Structure ids to keep; ids not in the stack are ignored.

        Returns
        -------
        StackedStructures
            A smaller stack, structures kept in this stack's order.
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


def _combine(by_contact: np.ndarray, currents_ma: np.ndarray) -> np.ndarray:
    """Weighted sum of per-contact unit solutions over the contacts that carry current.

    A program drives one to four of up to eight contacts, so summing only those rows is
    several times faster than the full matrix product. With one active contact the
    numbers are exactly the product's; with several they may differ from BLAS's fused
    multiply–add in the last bit (about 1e-16 in an activated fraction).
    """
    active = np.flatnonzero(currents_ma)
    if len(active) == 0:
        return np.zeros(by_contact.shape[1])
    out = by_contact[active[0]] * currents_ma[active[0]]
    for j in active[1:]:
        out += by_contact[j] * currents_ma[j]
    return out


def _norm3(components: np.ndarray) -> np.ndarray:
    """Length of vectors given as three rows (x, y, z), the numbers ``np.linalg.norm`` gives.

    ``(x² + y²) + z²`` is the order numpy's reduction over a length-3 axis adds the
    squares in; spelled out on contiguous rows it is ~8x faster than that reduction.
    """
    squares = components * components
    total = squares[0] + squares[1]
    total += squares[2]
    return np.sqrt(total, out=total)


def _ranges(bounds: np.ndarray, which: list[int]) -> np.ndarray:
    """List indices bounds[k]..bounds[k+1]-1 for each k in ``which``, concatenated."""
    parts = [np.arange(bounds[k], bounds[k + 1]) for k in which]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=int)


def _starts(sizes: np.ndarray) -> np.ndarray:
    """First index of each of consecutive blocks of ``sizes``."""
    return (
        np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        if len(sizes)
        else np.zeros(0, dtype=int)
    )


def stack_structures(
    regions: dict[str, tuple[GreyRegionField, float, float]],
    tracts: dict[str, tuple[FibreTractField, float, float]],
) -> StackedStructures:
    """Stack per-structure precomputations into a few arrays for fast evaluation.

    Parameters
    ----------
    regions : dict of str to (GreyRegionField, float, float)
        Region id to its unit field, threshold at 60 µs (V/mm) and chronaxie (µs).
    tracts : dict of str to (FibreTractField, float, float)
        Tract id to its unit activating functions, threshold at 60 µs (V/mm²) and
        chronaxie (µs).

    Returns
    -------
    StackedStructures
        Regions first, then tracts, in the dicts' order.
    """
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
