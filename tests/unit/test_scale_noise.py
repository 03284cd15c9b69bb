"""Per-item rater noise shared out of each scale's published SEM (dbssim.patient.scales)."""

from __future__ import annotations

import math

import pytest

from dbssim.patient.scales import load_scale

SCALES = ["bfmdrs", "twstrs", "updrs3", "tetras"]


@pytest.mark.parametrize("scale_id", SCALES)
def test_the_item_noises_add_up_to_the_sem(scale_id: str) -> None:
    scale = load_scale(scale_id)
    everything = [item.id for item in scale.items]
    assert scale.sum_noise_sd(everything) == pytest.approx(scale.sem_total, rel=1e-9)


def test_a_wider_item_carries_more_noise() -> None:
    scale = load_scale("bfmdrs")
    by_range = sorted(scale.items, key=lambda item: item.max_score)
    low, high = by_range[0], by_range[-1]
    assert low.max_score < high.max_score
    ratio = scale.item_noise_sd(high.id) / scale.item_noise_sd(low.id)
    assert ratio == pytest.approx(high.max_score / low.max_score)


def test_the_noise_of_some_items_is_less_than_of_all() -> None:
    scale = load_scale("bfmdrs")
    left = [item.id for item in scale.items if item.side == "left"]
    assert left
    part = scale.sum_noise_sd(left)
    assert 0 < part < scale.sem_total
    rest = [item.id for item in scale.items if item.id not in left]
    # Independent errors: the two parts' variances make up the whole.
    assert math.hypot(part, scale.sum_noise_sd(rest)) == pytest.approx(scale.sem_total)
