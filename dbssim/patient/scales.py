"""Clinical rating scales: items, ranges, the body part each item rates, components."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from dbssim.patient.anatomy import BodyPart
from dbssim.validation import StrictModel, read_bundled_yaml

BodySide = Literal["left", "right", "none"]


class ScaleItem(StrictModel):
    """One scored item of a rating scale."""

    id: str
    name: str
    body_part: BodyPart
    side: BodySide = Field(description="Body side rated; 'none' for midline items")
    max_score: float = Field(gt=0, le=100)
    allowed_scores: list[float] | None = Field(
        default=None, description="Scores a rater can give; default 0..max in steps of 1"
    )
    components: dict[str, float] = Field(description="Component name -> share of the score")

    @model_validator(mode="after")
    def _shares(self) -> ScaleItem:
        total = sum(self.components.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"item {self.id}: component shares add up to {total}, not 1")
        return self

    def scores(self) -> list[float]:
        """List the scores a rater can give on this item.

        Returns
        -------
        list of float
            ``allowed_scores`` sorted, or 0, 1, ..., ``max_score`` when not given.
        """
        if self.allowed_scores is not None:
            return sorted(self.allowed_scores)
        return [float(s) for s in range(int(self.max_score) + 1)]


class Reliability(StrictModel):
    """Published inputs from which a scale's rater noise is derived (see `Scale.sem_total`).

    ``sd_between`` is the between-patient SD of the total in a published cohort of the
    patients the scale is used for; ``icc`` the published reliability of the total.
    """

    kind: Literal["intra_rater", "test_retest", "inter_rater"] = Field(
        description="What the ICC compares: one rater twice, the same patient days apart, "
        "or different raters (overstates one rater's noise within a visit)"
    )
    icc: float = Field(gt=0, lt=1, description="Intraclass correlation of the total score")
    sd_between: float = Field(gt=0, description="Between-patient SD of the total, points")
    icc_source: str = Field(min_length=1)
    sd_source: str = Field(min_length=1)


class Scale(StrictModel):
    """A rating scale: items, the published total range and its published reliability."""

    id: str
    name: str
    total_max: float = Field(gt=0, description="Published maximum of the full scale")
    subset_note: str | None = Field(
        default=None, description="Set when only part of the scale is modelled"
    )
    reliability: Reliability
    items: list[ScaleItem]

    @property
    def modelled_max(self) -> float:
        """Highest total of the modelled items (below ``total_max`` for a subset)."""
        return sum(i.max_score for i in self.items)

    @property
    def sem_total(self) -> float:
        """Standard error of measurement of the total, points: SD_between × √(1 − ICC).

        The classical-test-theory error of one rating: the part of the published spread
        of totals that the reliability study attributes to the rating, not the patient.
        """
        r = self.reliability
        return r.sd_between * math.sqrt(1.0 - r.icc)

    def item_noise_sd(self, item_id: str) -> float:
        """Rater noise of one item, points: the total's SEM shared out by item range.

        ``σ_i = SEM × max_i / √(Σ_j max_j²)``, so independent item errors add up to the
        SEM (``√Σ σ_i² = SEM``) and an item's error scales with its range: one step of
        disagreement is worth twice as many points on a BFMDRS region weighted 1 as on
        one weighted 0.5, and on the TWSTRS duration factor (weighted ×2) as on a
        0–1 shift item. With equal ranges (MDS-UPDRS-III, TETRAS) this is SEM / √n.

        Parameters
        ----------
        item_id : str
            An item of this scale.

        Returns
        -------
        float
            The SD of the rater's error on that item, score points.
        """
        norm = math.sqrt(sum(i.max_score**2 for i in self.items))
        item = next(i for i in self.items if i.id == item_id)
        return self.sem_total * item.max_score / norm

    def sum_noise_sd(self, item_ids: Sequence[str]) -> float:
        """Rater noise of the sum of some items, points: √Σ σ_i² (independent errors)."""
        return math.sqrt(sum(self.item_noise_sd(i) ** 2 for i in item_ids))

    @property
    def rater_noise_sd(self) -> float:
        """Root-mean-square rater noise per item, points: SEM / √(number of items).

        ``rater_noise_sd × √k`` is the expected noise of a sum of ``k`` items of average
        range (the app's "within rater noise" band uses it that way).
        """
        return self.sem_total / math.sqrt(len(self.items))


@cache
def load_scale(scale_id: str) -> Scale:
    """Load and validate a bundled rating scale.

    Parameters
    ----------
    scale_id : str
        File stem in ``dbssim/data/scales``, e.g. ``"updrs3"``.

    Returns
    -------
    Scale
        The scale's items and ranges (cached: treat as read-only).

    Raises
    ------
    dbssim.errors.InputError
        For an unknown id; the message lists the known ones.
    """
    return Scale.model_validate(read_bundled_yaml("scales", "scale", scale_id))
