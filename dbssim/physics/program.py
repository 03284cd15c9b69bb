"""Stimulation settings: contact specifications and the currents they drive.

A contact specification (``SPEC``) is a comma-separated list of terms
``LABEL SIGN [:PERCENT]``: ``1-`` (contact 1 cathode, case anode),
``1-,2+`` (bipolar), ``2a-`` (one segment), ``2-`` on a directional lead
(the whole level, split evenly over its segments), ``2a-:70,2b-:30``
(current steering between segments, current mode only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from pydantic import Field, model_validator

from dbssim.errors import InputError
from dbssim.physics.leads import Lead
from dbssim.units import volts_to_milliamperes
from dbssim.validation import StrictModel

_TERM = re.compile(r"^\s*([0-9A-Za-z]+)\s*([+-])\s*(?::\s*([0-9]+(?:\.[0-9]+)?)\s*%?)?\s*$")


@dataclass(frozen=True)
class ContactTerm:
    """One active contact: its index, polarity (-1 cathode, +1 anode) and share (0–1)."""

    index: int
    polarity: int
    share: float
    steered: bool = False  # True when the share was given as a percentage


def parse_contacts(spec: str, lead: Lead) -> list[ContactTerm]:
    """Parse a contact specification for a lead.

    Raises ValueError naming the bad term and the allowed labels.
    """
    if not spec or not spec.strip():
        raise InputError("contacts", f"empty specification; e.g. '{lead.labels[1]}-'")
    raw: list[tuple[list[int], int, float | None]] = []
    for term in spec.split(","):
        m = _TERM.match(term)
        if not m:
            raise InputError(
                "contacts",
                f"cannot read '{term.strip()}'; write a label then - or +, "
                f"e.g. '{lead.labels[1]}-' or '{lead.labels[1]}-,{lead.labels[2]}+'",
            )
        label, sign, pct = m.group(1), m.group(2), m.group(3)
        raw.append((_resolve(label, lead), -1 if sign == "-" else 1, _pct(pct)))
    seen: set[int] = set()
    terms: list[ContactTerm] = []
    for polarity in (-1, 1):
        group = [(idx, pct) for idx, pol, pct in raw if pol == polarity]
        if not group:
            continue
        given = [pct for _, pct in group if pct is not None]
        if given and len(given) != len(group):
            raise InputError("contacts", "give a percentage on every term of a polarity or on none")
        if given and abs(sum(given) - 100.0) > 0.5:
            raise InputError(
                "contacts",
                f"percentages of the {'cathodes' if polarity < 0 else 'anodes'} "
                f"add up to {sum(given):g} %, they must add up to 100 %",
            )
        for idx_list, pct in group:
            share = (pct / 100.0 if pct is not None else 1.0 / len(group)) / len(idx_list)
            for idx in idx_list:
                if idx in seen:
                    raise InputError(
                        "contacts", f"contact {lead.contacts[idx].label} appears twice"
                    )
                seen.add(idx)
                terms.append(ContactTerm(idx, polarity, share, pct is not None))
    return terms


def _pct(text: str | None) -> float | None:
    return float(text) if text is not None else None


def _resolve(label: str, lead: Lead) -> list[int]:
    """Contact indices for a contact label, or all segments of a level label."""
    try:
        return [lead.contact_index(label)]
    except KeyError:
        pass
    for level, level_label in enumerate(lead.level_labels):
        if level_label.lower() == label.lower():
            return lead.level_contacts(level)
    allowed = lead.labels + [lbl for lbl in lead.level_labels if lbl not in lead.labels]
    raise InputError(
        "contacts", f"'{label}' is not a contact of {lead.name}; allowed: {', '.join(allowed)}"
    )


def compute_currents_ma(
    terms: list[ContactTerm],
    n_contacts: int,
    *,
    amplitude_ma: float | None = None,
    amplitude_v: float | None = None,
    impedances_ohm: np.ndarray | None = None,
) -> np.ndarray:
    """Signed current on every contact in mA (negative = cathodic, into the contact).

    In current mode the amplitude is the total cathodic current, split by the
    shares. In voltage mode the amplitude is the voltage between the active
    contacts (or contact and case); the currents follow Ohm's law through
    the contact impedances, as in a voltage-controlled pulse generator.
    """
    if (amplitude_ma is None) == (amplitude_v is None):
        raise InputError("amplitude", "give exactly one of amplitude_ma or amplitude_v")
    currents = np.zeros(n_contacts)
    cath = [t for t in terms if t.polarity < 0]
    anod = [t for t in terms if t.polarity > 0]
    if amplitude_ma is not None:
        if amplitude_ma < 0:
            raise InputError("amplitude_ma", f"must be >= 0 mA (got {amplitude_ma})")
        primary = cath if cath else anod
        sign = -1.0 if cath else 1.0
        for t in primary:
            currents[t.index] += sign * amplitude_ma * t.share
        if cath and anod:
            for t in anod:
                currents[t.index] += amplitude_ma * t.share
        return currents
    assert amplitude_v is not None
    if amplitude_v < 0:
        raise InputError("amplitude_v", f"must be >= 0 V (got {amplitude_v})")
    if impedances_ohm is None:
        raise InputError("impedance_ohm", "voltage mode needs contact impedances")
    if any(t.steered for t in terms):
        raise InputError("contacts", "percentages (current steering) need current mode")
    g = {t.index: 1.0 / impedances_ohm[t.index] for t in terms}

    def z_par(group: list[ContactTerm]) -> float:
        return 1.0 / sum(g[t.index] for t in group) if group else 0.0

    total_ma = volts_to_milliamperes(amplitude_v, z_par(cath) + z_par(anod))
    for group, sign in ((cath, -1.0), (anod, 1.0)):
        conductance = sum(g[t.index] for t in group)
        for t in group:
            currents[t.index] += sign * total_ma * g[t.index] / conductance
    return currents


class Setting(StrictModel):
    """One side's program: active contacts, amplitude, pulse width and frequency."""

    contacts: str = Field(description="Contact specification, e.g. '1-' or '1-,2+'")
    amplitude_ma: float | None = Field(default=None, ge=0, le=30, description="Current, mA")
    amplitude_v: float | None = Field(default=None, ge=0, le=12, description="Voltage, V")
    pulse_width_us: float = Field(default=60, gt=0, le=1000, description="Pulse width, µs")
    frequency_hz: float = Field(default=130, gt=0, le=1000, description="Frequency, Hz")

    @model_validator(mode="after")
    def _one_amplitude(self) -> Setting:
        if (self.amplitude_ma is None) == (self.amplitude_v is None):
            raise ValueError("give exactly one of amplitude_ma or amplitude_v")
        return self


class Program(StrictModel):
    """A program for both sides; a side left out (None) is off."""

    left: Setting | None = None
    right: Setting | None = None
