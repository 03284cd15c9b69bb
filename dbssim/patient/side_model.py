"""One implanted lead's precomputed fields, and the currents and activations of a setting."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dbssim.physics.leads import Lead
from dbssim.physics.pose import LeadPose
from dbssim.physics.program import Setting, compute_currents_ma, parse_contacts
from dbssim.physics.structure_stack import StackedStructures


@dataclass(frozen=True)
class SideModel:
    """Precomputed fields of one implanted lead on its hemisphere's atlas."""

    lead: Lead
    pose: LeadPose
    impedances_ohm: np.ndarray
    structures: StackedStructures
    # Recent settings' currents: a session re-evaluates the same few settings many times.
    _currents: dict[tuple[str, float | None, float | None], np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def currents_ma(self, setting: Setting) -> np.ndarray:
        """Compute the current on every contact for one side's setting.

        Parameters
        ----------
        setting : Setting
            The program of this side (current or voltage mode).

        Returns
        -------
        numpy.ndarray, shape (n_contacts,)
            Signed current per contact, mA (negative = cathodic); in voltage mode through
            this lead's contact impedances.

        Raises
        ------
        dbssim.errors.InputError
            If the contact specification cannot be read for this lead.
        """
        key = (setting.contacts, setting.amplitude_ma, setting.amplitude_v)
        currents = self._currents.get(key)
        if currents is None:
            terms = parse_contacts(setting.contacts, self.lead)
            currents = compute_currents_ma(
                terms,
                len(self.lead.contacts),
                amplitude_ma=setting.amplitude_ma,
                amplitude_v=setting.amplitude_v,
                impedances_ohm=self.impedances_ohm,
            )
            if len(self._currents) >= 256:  # bounded: start afresh (safe beside other threads)
                self._currents.clear()
            self._currents[key] = currents
        return currents.copy()  # callers may scale or edit their array

    def activations(self, currents_ma: np.ndarray, pulse_width_us: float) -> dict[str, float]:
        """Compute the activated fraction of every structure on this side.

        Parameters
        ----------
        currents_ma : numpy.ndarray, shape (n_contacts,)
            Signed current per contact, mA.
        pulse_width_us : float
            Pulse width, µs, > 0.

        Returns
        -------
        dict of str to float
            Structure id to its activated fraction, 0–1.
        """
        values = self.structures.activations(currents_ma, pulse_width_us)
        return dict(zip(self.structures.ids, values.tolist(), strict=True))

    def activation_curves(
        self, contact_index: int, amplitudes_ma: np.ndarray, pulse_width_us: float
    ) -> dict[str, np.ndarray]:
        """Compute activation against amplitude for monopolar cathodic stimulation.

        Field and activating function scale linearly with a single contact's
        current, so one unit solution serves every amplitude.

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
        dict of str to numpy.ndarray
            Structure id to its activated fraction 0–1 at each amplitude, shape (A,).
        """
        curves = self.structures.activation_curves(contact_index, amplitudes_ma, pulse_width_us)
        return {sid: curves[:, k] for k, sid in enumerate(self.structures.ids)}

    def pattern_curves(
        self, unit_ma: np.ndarray, amplitudes_ma: np.ndarray, pulse_width_us: float
    ) -> dict[str, np.ndarray]:
        """Compute activation against amplitude for cathodic shares over several contacts.

        Parameters
        ----------
        unit_ma : numpy.ndarray, shape (n_contacts,)
            Each contact's share of 1 mA, ≤ 0 (a whole level in ring mode, or a steered split).
        amplitudes_ma : numpy.ndarray, shape (A,)
            Total cathodic currents, mA, ≥ 0.
        pulse_width_us : float
            Pulse width, µs, > 0.

        Returns
        -------
        dict of str to numpy.ndarray
            Structure id → activated fraction 0–1 per amplitude.
        """
        curves = self.structures.pattern_curves(unit_ma, amplitudes_ma, pulse_width_us)
        return {sid: curves[:, k] for k, sid in enumerate(self.structures.ids)}
