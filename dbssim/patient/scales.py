"""Clinical rating scales: items, ranges, the body part each item rates, components."""

from __future__ import annotations

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


class Scale(StrictModel):
    """A rating scale: items and the published total range."""

    id: str
    name: str
    total_max: float = Field(gt=0, description="Published maximum of the full scale")
    subset_note: str | None = Field(
        default=None, description="Set when only part of the scale is modelled"
    )
    rater_noise_sd: float = Field(ge=0, le=5, description="Rater noise per item, score units")
    items: list[ScaleItem]

    @property
    def modelled_max(self) -> float:
        """Highest total of the modelled items (below ``total_max`` for a subset)."""
        return sum(i.max_score for i in self.items)


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
