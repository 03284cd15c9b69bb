"""Calibration residuals: published results that SET a model constant.

A result a constant was fitted to cannot also be evidence that the model is
right. These tests only report how far the model now sits from the number it
was built from (rows in data/calibrations.csv; measurements in evidence.py),
so that a later change which breaks a calibration is noticed. The evidence is
in test_validation.py.
"""

import pytest

from tests.reference.evidence import assert_measured_in_band, load_rows, row_param
from tests.reference.sources import citations

ROWS = load_rows("calibrations.csv")


@pytest.mark.parametrize("row", [row_param(r) for r in ROWS])
def test_calibration_residual_within_tolerance(row):
    assert_measured_in_band(row)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_calibration_residual_source_is_cited_at_its_constant(row):
    # A calibration must be visible where the constant is defined, so a reader of the code
    # knows the number is fitted, not independent.
    assert citations(row["source_key"]), (
        f"{row['id']}: no line of dbssim/ or scenarios/ cites '{row['source_key']}', "
        f"yet it set {row['constant']}"
    )
