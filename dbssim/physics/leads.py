"""Registry of DBS leads with their real contact geometry.

Geometry (tip length, contact length, spacing, diameter) comes from the
electrode defaults of OSS-DBS v2 (SFB-ELAINE/OSS-DBSv2,
``ossdbs/electrodes/defaults.py``). Lead-local coordinates: the lead axis is
+z, the distal end of the tip is the origin, and for directional leads the
centre of segment "a" (the orientation marker) points along +x.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Literal

from pydantic import Field

from dbssim.validation import StrictModel, lookup

# Segment arc of directional leads: 90° with 30° insulating gaps, as modelled for
# SenSight in OSS-DBS v2 (medtronic.py, __contact_directed). Reused for the
# other vendors' segments: teaching value, the other vendors' arcs are not sourced.
SEGMENT_SPAN_DEG = 90.0
SEGMENT_CENTRES_DEG = (0.0, 120.0, 240.0)  # OSS-DBS v2: segments at 0/120/240°


class Contact(StrictModel):
    """One electrode contact: a ring or a segment of a ring."""

    label: str = Field(description="Label as the clinician programmer shows it")
    level: int = Field(ge=0, description="Level index from the tip, 0 = most distal")
    z_min_mm: float = Field(ge=0, description="Lower edge above the lead end, mm")
    z_max_mm: float = Field(gt=0, description="Upper edge above the lead end, mm")
    angle_centre_deg: float = Field(ge=0, lt=360, description="Angular centre, degrees from +x")
    angle_span_deg: float = Field(gt=0, le=360, description="Angular span; 360 for a ring")
    radius_mm: float = Field(gt=0, description="Lead radius, mm")

    @property
    def is_segment(self) -> bool:
        """True for one segment of a directional level, False for a full ring."""
        return self.angle_span_deg < 360.0

    @property
    def length_mm(self) -> float:
        """Axial length of the contact, mm."""
        return self.z_max_mm - self.z_min_mm

    @property
    def z_centre_mm(self) -> float:
        """Axial centre above the distal end of the lead, mm."""
        return 0.5 * (self.z_min_mm + self.z_max_mm)

    @property
    def area_mm2(self) -> float:
        """Lateral surface area, mm²: 2π r h × span/360°, edges ignored.

        The charge density the programmer warns about is charge per phase over this area,
        so a 90° segment reaches the limit at a quarter of a ring's current.
        """
        return 2 * math.pi * self.radius_mm * self.length_mm * self.angle_span_deg / 360.0

    @property
    def centre_mm(self) -> tuple[float, float, float]:
        """Geometric centre on the lead surface (ring: on the axis), lead-local mm."""
        if not self.is_segment:
            return (0.0, 0.0, self.z_centre_mm)
        a = math.radians(self.angle_centre_deg)
        return (self.radius_mm * math.cos(a), self.radius_mm * math.sin(a), self.z_centre_mm)


class Lead(StrictModel):
    """A lead model: identity, geometry and contacts."""

    id: str
    name: str
    manufacturer: str
    diameter_mm: float = Field(gt=0)
    tip_mm: float = Field(ge=0, description="Insulated tip below the first contact, mm")
    contact_length_mm: float = Field(gt=0)
    spacing_mm: float = Field(gt=0, description="Insulation between levels, mm")
    contacts: tuple[Contact, ...]
    level_labels: tuple[str, ...] = Field(
        description="Labels that address a whole level (all its segments) at once"
    )
    default_device: str = Field(description="Device profile id this lead is paired with")

    @property
    def is_directional(self) -> bool:
        """True if any level is split into segments."""
        return any(c.is_segment for c in self.contacts)

    @property
    def labels(self) -> list[str]:
        """Contact labels from the tip up, as the clinician programmer shows them."""
        return [c.label for c in self.contacts]

    @property
    def n_levels(self) -> int:
        """Number of contact levels along the shaft (4 for every lead in the registry)."""
        return max(c.level for c in self.contacts) + 1

    def contact_index(self, label: str) -> int:
        """Find a contact by its label.

        Parameters
        ----------
        label : str
            Contact label as the programmer shows it, e.g. ``"1"`` or ``"2a"``;
            case-insensitive.

        Returns
        -------
        int
            Position of the contact in ``contacts`` (0 = the first listed, at the tip).

        Raises
        ------
        KeyError
            If no contact has this label (level labels such as ``"2"`` on a segmented
            level are not contacts; see `level_contacts`).
        """
        for i, c in enumerate(self.contacts):
            if c.label.lower() == label.lower():
                return i
        raise KeyError(label)

    def level_contacts(self, level: int) -> list[int]:
        """List the contacts that make up one level.

        Parameters
        ----------
        level : int
            Level index from the tip, 0 to ``n_levels - 1``.

        Returns
        -------
        list of int
            Indices into ``contacts``: one for a ring, three for a segmented level, none
            for a level number the lead does not have.
        """
        return [i for i, c in enumerate(self.contacts) if c.level == level]


def _build(
    lead_id: str,
    name: str,
    manufacturer: str,
    *,
    tip_mm: float,
    contact_length_mm: float,
    spacing_mm: float,
    diameter_mm: float,
    levels: list[list[str]],
    level_labels: list[str],
    default_device: str,
) -> Lead:
    """Lay out contacts level by level from the tip; a level of 3 labels is segmented."""
    contacts = []
    radius = diameter_mm / 2
    for level, labels in enumerate(levels):
        z_min = tip_mm + level * (contact_length_mm + spacing_mm)
        for k, label in enumerate(labels):
            segmented = len(labels) > 1
            contacts.append(
                Contact(
                    label=label,
                    level=level,
                    z_min_mm=z_min,
                    z_max_mm=z_min + contact_length_mm,
                    angle_centre_deg=SEGMENT_CENTRES_DEG[k] if segmented else 0.0,
                    angle_span_deg=SEGMENT_SPAN_DEG if segmented else 360.0,
                    radius_mm=radius,
                )
            )
    return Lead(
        id=lead_id,
        name=name,
        manufacturer=manufacturer,
        diameter_mm=diameter_mm,
        tip_mm=tip_mm,
        contact_length_mm=contact_length_mm,
        spacing_mm=spacing_mm,
        contacts=tuple(contacts),
        level_labels=tuple(level_labels),
        default_device=default_device,
    )


_RING4 = [["0"], ["1"], ["2"], ["3"]]
_MDT_DIR = [["0"], ["1a", "1b", "1c"], ["2a", "2b", "2c"], ["3"]]
_ABT_DIR = [["1"], ["2A", "2B", "2C"], ["3A", "3B", "3C"], ["4"]]
_BSC_DIR = [["1"], ["2", "3", "4"], ["5", "6", "7"], ["8"]]

LeadId = Literal[
    "medtronic-3387",
    "medtronic-3389",
    "medtronic-b33005",
    "medtronic-b33015",
    "bsci-vercise-directed",
    "abbott-6172",
    "abbott-6173",
]


@cache
def lead_registry() -> dict[str, Lead]:
    """Build every lead the simulator knows, keyed by id.

    Built once and cached, so the same dict is returned each call: treat it as
    read-only.

    Returns
    -------
    dict of str to Lead
        Lead id (e.g. ``"medtronic-3389"``) to its geometry and contacts.

    References
    ----------
    Tip, contact length, spacing and diameter: the electrode defaults of OSS-DBS v2
    (SFB-ELAINE/OSS-DBSv2, ``ossdbs/electrodes/defaults.py``); the 90° segment arc
    with 30° gaps: its SenSight model (``medtronic.py``).
    """
    # Every geometric number below: OSS-DBS v2 electrode defaults
    # (Butenko et al. 2020, PLoS Comput Biol 16:e1008023).
    leads = [
        _build("medtronic-3387", "Medtronic 3387", "Medtronic", tip_mm=1.5,
               contact_length_mm=1.5, spacing_mm=1.5, diameter_mm=1.27,
               levels=_RING4, level_labels=["0", "1", "2", "3"],
               default_device="medtronic-percept-pc"),
        _build("medtronic-3389", "Medtronic 3389", "Medtronic", tip_mm=1.5,
               contact_length_mm=1.5, spacing_mm=0.5, diameter_mm=1.27,
               levels=_RING4, level_labels=["0", "1", "2", "3"],
               default_device="medtronic-percept-pc"),
        _build("medtronic-b33005", "Medtronic SenSight B33005", "Medtronic", tip_mm=0.9,
               contact_length_mm=1.5, spacing_mm=0.5, diameter_mm=1.36,
               levels=_MDT_DIR, level_labels=["0", "1", "2", "3"],
               default_device="medtronic-percept-pc"),
        _build("medtronic-b33015", "Medtronic SenSight B33015", "Medtronic", tip_mm=0.9,
               contact_length_mm=1.5, spacing_mm=1.5, diameter_mm=1.36,
               levels=_MDT_DIR, level_labels=["0", "1", "2", "3"],
               default_device="medtronic-percept-pc"),
        _build("bsci-vercise-directed", "Boston Scientific Vercise Directed (DB-2202)",
               "Boston Scientific", tip_mm=1.5, contact_length_mm=1.5, spacing_mm=0.5,
               diameter_mm=1.3, levels=_BSC_DIR, level_labels=[],
               default_device="bsci-vercise-genus"),
        _build("abbott-6172", "Abbott Infinity directional 6172", "Abbott", tip_mm=1.0,
               contact_length_mm=1.5, spacing_mm=0.5, diameter_mm=1.29,
               levels=_ABT_DIR, level_labels=["1", "2", "3", "4"],
               default_device="abbott-infinity"),
        _build("abbott-6173", "Abbott Infinity directional 6173", "Abbott", tip_mm=1.0,
               contact_length_mm=1.5, spacing_mm=1.5, diameter_mm=1.29,
               levels=_ABT_DIR, level_labels=["1", "2", "3", "4"],
               default_device="abbott-infinity"),
    ]  # fmt: skip
    return {lead.id: lead for lead in leads}


def get_lead(lead_id: str) -> Lead:
    """Look up a lead by id.

    Parameters
    ----------
    lead_id : str
        One of the ids in `lead_registry`, e.g. ``"medtronic-3389"``.

    Returns
    -------
    Lead
        The lead's geometry and contacts.

    Raises
    ------
    dbssim.errors.InputError
        For an unknown id; the message lists the known ids and the closest match.
    """
    return lookup(lead_registry(), lead_id, "lead", "leads")
