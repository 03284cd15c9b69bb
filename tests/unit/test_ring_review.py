"""Ring-level rows of the review and the names thresholds are kept under (issue 11, finding 2)."""

from __future__ import annotations

import numpy as np
import pytest

from dbssim.patient.review import compute_review, ring_levels
from dbssim.physics.program import Setting
from dbssim.session.engine import SessionError
from dbssim.session.threshold_names import threshold_contact
from tests.helpers import patient


def test_review_adds_one_ring_row_per_segmented_level_after_the_contacts() -> None:
    p = patient("pd-stn")
    rows = compute_review(p, "left")
    lead = p.sides["left"].lead
    assert [r["contact"] for r in rows] == [*lead.labels, "1", "2"]
    assert [r.get("mode") for r in rows[-2:]] == ["ring", "ring"]
    assert all("mode" not in r for r in rows[: len(lead.labels)]), "contact rows keep their fields"


def test_ring_curves_equal_the_engine_for_an_even_split() -> None:
    """The review's ring activation is the one a `2-` program produces (same physics)."""
    p = patient("pd-stn")
    model = p.sides["left"]
    unit = next(u for lbl, u in ring_levels(model.lead) if lbl == "2")
    amps = np.array([1.0, 2.5])
    curves = model.pattern_curves(unit, amps, 60.0)
    for k, amp in enumerate(amps):
        setting = Setting(contacts="2-", amplitude_ma=amp, pulse_width_us=60, frequency_hz=130)
        direct = model.activations(model.currents_ma(setting), 60.0)
        for sid, fraction in direct.items():
            assert curves[sid][k] == pytest.approx(fraction, abs=1e-9), (sid, amp)


def test_a_ring_lead_has_no_ring_rows() -> None:
    rows = compute_review(patient("dystonia-generalized-gpi"), "left")
    assert all("mode" not in r for r in rows)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("2a", "2a"),
        ("2", "2"),
        ("2-", "2"),
        ("2a-,2b-,2c-", "2"),
        ("2a-:70,2b-:30", "2a-:70,2b-:30"),
        ("2B-:30,2a-:70", "2a-:70,2b-:30"),
        ("0-,3-", "0-,3-"),  # double monopolar: an even split is not called steering
        ("3-:50,0-:50", "0-,3-"),
        ("2a-,2b-", "2a-,2b-"),  # two segments of three: not the ring
    ],
)
def test_threshold_contact_names(given: str, kept: str) -> None:
    assert threshold_contact(patient("pd-stn").sides["left"].lead, given) == kept


@pytest.mark.parametrize("given", ["9", "2a-,3+", "2a-:70,2b-:20"])
def test_threshold_contact_refusals_name_the_field(given: str) -> None:
    with pytest.raises(SessionError) as info:
        threshold_contact(patient("pd-stn").sides["left"].lead, given)
    assert info.value.field == "contact"
