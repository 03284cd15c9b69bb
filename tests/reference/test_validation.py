"""Validation: published results that set NO constant, against the model's number.

Rows, sources and tolerances are in data/validations.csv (docs/science.md reads
the same rows); evidence.py says how each number is measured. A result the model
misses stays here as a strict xfail with the model's number in its reason:
neither the model nor the tolerance is bent to make it pass.
"""

import re

import pytest

from tests.reference.evidence import assert_measured_in_band, load_rows, row_param
from tests.reference.sources import citations

ROWS = load_rows("validations.csv")
CALIBRATIONS = load_rows("calibrations.csv")


@pytest.mark.parametrize("row", [row_param(r) for r in ROWS])
def test_validation_against_published(row):
    assert_measured_in_band(row)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_validation_source_set_no_constant(row):
    # If the code cites a validation source, a constant may have been set from it and the
    # row would be a calibration. Rows that name the source for something else say so.
    found = citations(row["source_key"])
    if row["cited_in_code_for"]:
        assert found, f"{row['id']}: the code no longer cites it; clear cited_in_code_for"
        return
    assert not found, f"{row['id']}: '{row['source_key']}' is cited in the code: {found}"


def test_no_source_is_both_calibration_and_validation():
    text = " | ".join(f"{c['source']} {c['journal']}" for c in CALIBRATIONS)
    both = [r["id"] for r in ROWS if re.search(r["source_key"], text)]
    assert not both, f"validated against a source that also calibrates the model: {both}"


def test_validations_cover_three_diseases_and_eight_results():
    assert len(ROWS) >= 8
    assert {r["disease"] for r in ROWS} == {"dystonia", "parkinson", "essential_tremor"}


def test_every_row_has_a_measure_and_every_measure_a_row():
    from tests.reference.evidence import MEASURES

    ids = [r["id"] for r in ROWS + CALIBRATIONS]
    assert len(ids) == len(set(ids)), "duplicate row ids"
    assert set(ids) == set(MEASURES), set(ids) ^ set(MEASURES)
