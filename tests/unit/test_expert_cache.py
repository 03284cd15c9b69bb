"""The expert search and the true review run once per patient (issue 13, item 2)."""

from __future__ import annotations

from typing import Any

import pytest

import dbssim.session.scoring as scoring
from dbssim.session.engine import Session

SCENARIO = "et-vim"  # the quickest expert search


def finished(seed: int, random_patient: bool = False) -> Session:
    session = Session.start(SCENARIO, seed, random_patient)
    session.apply({"action": "finish"})
    return session


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    found: list[str] = []
    search, review = scoring.find_expert_program, scoring.compute_review

    def counted_search(patient: Any) -> Any:
        found.append("expert")
        return search(patient)

    def counted_review(patient: Any, side: str) -> Any:
        found.append(f"review {side}")
        return review(patient, side)

    monkeypatch.setattr(scoring, "find_expert_program", counted_search)
    monkeypatch.setattr(scoring, "compute_review", counted_review)
    scoring._expert.cache_clear()
    scoring._review.cache_clear()
    return found


def test_one_search_per_patient(searches: list[str]) -> None:
    first = scoring.debrief(finished(seed=1))
    second = scoring.debrief(finished(seed=2))  # the same fixed patient, other rater noise
    assert searches.count("expert") == 1, searches
    assert len([s for s in searches if s.startswith("review")]) == len(first["review"])
    assert first["expert_program"] == second["expert_program"]
    assert first["review"] == second["review"]


def test_each_random_patient_is_searched(searches: list[str]) -> None:
    scoring.debrief(finished(seed=1, random_patient=True))
    scoring.debrief(finished(seed=2, random_patient=True))
    scoring.debrief(finished(seed=1, random_patient=True))
    assert searches.count("expert") == 2, searches


def test_cached_answers_are_copies(searches: list[str]) -> None:
    first = scoring.debrief(finished(seed=1))
    first["expert_outcome"]["total"] = -1.0
    first["review"].clear()
    second = scoring.debrief(finished(seed=1))
    assert second["expert_outcome"]["total"] != -1.0 and second["review"], second
