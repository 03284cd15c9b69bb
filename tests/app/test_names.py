"""Issue 12, finding 11: names as people type them, errors that name the right field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dbssim.store.records import StoreError, check_name
from tests.app.helpers import click, errors, live, start
from tests.app.test_classroom import store
from tests.app.test_educator import sign_in

MakeApp = Callable[..., AppTest]
DOCTOR = "Dr 👩\u200d⚕️"  # woman + zero-width joiner + staff of Aesculapius + variation selector


@pytest.mark.parametrize("name", [DOCTOR, "👨\u200d👩\u200d👧", "Fellow A", "Ärztin Ö"])
def test_visible_names_are_accepted(name: str) -> None:
    check_name("trainee", name)


@pytest.mark.parametrize(
    "name", ["a\u200d", "\u200db", "a \u200d b", "x\u202ey", "tab\there", "a\u200d\u200db"]
)
def test_invisible_and_control_characters_are_refused(name: str) -> None:
    with pytest.raises(StoreError, match="control or invisible"):
        check_name("trainee", name)


def test_an_emoji_pseudonym_starts_a_session(new_app: MakeApp) -> None:
    at = new_app()
    at.text_input(key="pseudonym_input").input(DOCTOR)
    start(at)
    assert live(at) is not None
    assert store().list_sessions()[0].trainee == DOCTOR


@pytest.fixture
def class_page(new_app: MakeApp, educator_mode: str) -> AppTest:
    return sign_in(new_app(), educator_mode)


def test_a_10000_character_class_name_is_refused_by_its_length(class_page: AppTest) -> None:
    at = class_page
    at.text_input(key="class_name").input("x" * 10_000)
    click(at, "class_submit")
    shown = " ".join(errors(at))
    assert "class name" in shown and "10000 characters" in shown, shown
    assert "pseudonym" not in shown and "empty" not in shown
    assert store().list_classes() == []


def test_an_empty_class_name_speaks_of_the_class_name(class_page: AppTest) -> None:
    click(class_page, "class_submit")
    shown = " ".join(errors(class_page))
    assert "class name" in shown and "empty" in shown and "pseudonym" not in shown, shown
