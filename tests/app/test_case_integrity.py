"""Issue 12, cases: implausible cases refused on upload and in the form, warnings shown,
and the error boundary that keeps tracebacks off every page."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dbssim.ui import navigation
from tests.app.helpers import errors
from tests.app.test_authoring import author, bundled_yaml, saved_cases, upload  # noqa: F401

MakeApp = Callable[..., AppTest]


def with_left(**changes: object) -> dict[str, object]:
    data = bundled_yaml(id="x-case", title="X")
    leads = data["leads"]
    assert isinstance(leads, dict)
    leads["left"].update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"direction": [0, 0, 0]}, "leads.left.direction"),
        ({"tip_mm": [float("nan"), 2.0, -4.0]}, "finite number"),
        ({"tip_mm": [520.0, 2.0, -4.0]}, "mm from the GPI centre"),
    ],
)
def test_an_implausible_upload_is_refused(author: AppTest, changes: dict, expected: str) -> None:  # noqa: F811
    upload(author, "x-case.yaml", yaml.safe_dump(with_left(**changes)).encode())
    shown = "\n".join(errors(author)).replace("\\", "")
    assert expected in shown, shown
    assert saved_cases() == []
    assert not author.exception


def test_a_vertical_lead_upload_is_saved_with_a_warning(author: AppTest) -> None:  # noqa: F811
    upload(author, "x-case.yaml", yaml.safe_dump(with_left(direction=[0, 0, 1])).encode())
    assert saved_cases() == ["x-case"]
    warnings = [w.value.replace("\\", "") for w in author.warning]
    assert any("leads.left" in w and "window" in w for w in warnings), warnings


def test_an_error_on_a_page_shows_one_line_and_logs_a_reference(
    new_app: MakeApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("secret internal detail\nTraceback (most recent call last)")

    at = new_app()
    monkeypatch.setitem(navigation.RENDERERS, "Case", broken)
    with caplog.at_level(logging.ERROR, logger="dbssim.ui"):
        at.run()
    assert not at.exception, "the boundary catches it"
    shown = errors(at)
    assert len(shown) == 1 and "reference" in shown[0], shown
    assert "secret internal detail" not in shown[0] and "Traceback" not in shown[0]
    reference = shown[0].split("reference ")[1].split(")")[0]
    assert any(reference in r.getMessage() for r in caplog.records), "logged with its reference"
    assert at.sidebar.radio(key="nav").options, "the sidebar still works"


def test_a_long_error_is_shown_in_full(author: AppTest) -> None:  # noqa: F811
    """Upload errors were cut at 300 characters: the list of allowed keys lost its end."""
    upload(author, "x-case.yaml", yaml.safe_dump(bundled_yaml(id="x-case", age=34)).encode())
    shown = "\n".join(errors(author)).replace("\\", "")
    assert "did you mean 'age_years'?" in shown, shown
    assert "weeks_since_surgery." in shown, "the whole list of allowed keys"
