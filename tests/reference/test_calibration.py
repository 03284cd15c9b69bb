"""Calibration residuals: published results that SET a model constant.

A result a constant was fitted to cannot also be evidence that the model is
right. These tests only report how far the model now sits from the number it
was built from (rows in data/calibrations.csv; measurements in evidence.py),
so that a later change which breaks a calibration is noticed. The evidence is
in test_validation.py.
"""

import pytest

from tests.reference.evidence import in_band, load_rows, measure
from tests.reference.sources import citations

ROWS = load_rows("calibrations.csv")


def _param(row):
    marks = []
    if row["cost"] == "slow":
        marks.append(pytest.mark.slow)
    if row["status"] == "known failure":
        marks.append(pytest.mark.xfail(strict=True, reason=f"known failure: {row['reason']}"))
    return pytest.param(row, id=row["id"], marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_calibration_residual_within_tolerance(row):
    value = measure(row["id"])
    assert in_band(value, row), (
        f"{row['source']} ({row['journal']}): model {value:.4g} {row['unit']}, published "
        f"{row['published']}; tolerance {row['tolerance']} [{row['lower']}, {row['upper']}]"
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_calibration_residual_source_is_cited_at_its_constant(row):
    # A calibration must be visible where the constant is defined, so a reader of the code
    # knows the number is fitted, not independent.
    assert citations(row["source_key"]), (
        f"{row['id']}: no line of dbssim/ or scenarios/ cites '{row['source_key']}', "
        f"yet it set {row['constant']}"
    )
