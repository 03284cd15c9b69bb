"""Case authoring (issue 5): the form writes valid cases; hostile uploads are refused plainly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dbssim.patient.scenario_library import load_scenario
from dbssim.ui import case_files
from tests.app.helpers import click, errors, live
from tests.app.test_classroom import join, store
from tests.app.test_educator import sign_in

MakeApp = Callable[..., AppTest]
BASE = "dystonia-generalized-gpi"


@pytest.fixture
def author(new_app: MakeApp, educator_mode: str) -> AppTest:
    at = sign_in(new_app(), educator_mode)
    at.sidebar.radio(key="nav_edu").set_value("Case authoring").run()
    assert not at.exception
    return at


def saved_cases() -> list[str]:
    return sorted(store().list_cases())


def bundled_yaml(**changes: object) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(case_files.scenario_yaml(load_scenario(BASE)))
    data.update(changes)
    return data


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="au_upload").upload(name, content, "application/x-yaml")
    return click(at, "au_upload_save")


# --- the form ----------------------------------------------------------------------------------
def test_form_writes_a_valid_case_that_a_class_can_use(author: AppTest, new_app: MakeApp) -> None:
    at = author
    at.text_input(key="au_id").input("gpi-left-2mm-medial")
    at.text_input(key="au_title").input("GPi lead 2 mm too medial")
    at.number_input(key="au_lead_left_x").set_value(-2.0)
    at.selectbox(key="au_structure").set_value("ic_corticobulbar")
    at.number_input(key="au_anat_x").set_value(0.5)
    at.number_input(key="au_item_neck").set_value(6.0)
    click(at, "au_save")
    assert not errors(at), errors(at)
    assert saved_cases() == ["gpi-left-2mm-medial"]
    case = store().load_case("gpi-left-2mm-medial")
    base = load_scenario(BASE)
    assert case.leads["left"].tip_mm[0] == pytest.approx(base.leads["left"].tip_mm[0] - 2)
    assert case.leads["left"].shown_tip_mm == base.leads["left"].tip_mm, "imaging shows the plan"
    assert case.leads["right"].tip_mm == base.leads["right"].tip_mm
    assert case.anatomy_offsets_mm["ic_corticobulbar"][0] == pytest.approx(
        base.anatomy_offsets_mm.get("ic_corticobulbar", (0, 0, 0))[0] + 0.5
    )
    assert case.baseline["neck"] == 6.0
    # Selectable for a class; a trainee who joins gets the authored patient.
    at.sidebar.radio(key="nav_edu").set_value("Class").run()
    label = "GPi lead 2 mm too medial — gpi-left-2mm-medial · authored"  # title with its id
    assert label in at.selectbox(key="class_case").options
    at.text_input(key="class_name").input("Medial lead")
    at.selectbox(key="class_case").set_value("gpi-left-2mm-medial")
    click(at, "class_submit")
    trainee = join(new_app(), next(k.join_code for k in store().list_classes()))
    assert live(trainee).scenario.id == "gpi-left-2mm-medial"
    assert live(trainee).patient.scenario.leads["left"].tip_mm == case.leads["left"].tip_mm


def test_form_errors_are_shown_beside_their_field(author: AppTest) -> None:
    at = author
    at.text_input(key="au_id").input("Not A Valid Id")
    at.text_area(key="au_text_history").input("Fine <script>alert(1)</script>")
    click(at, "au_save")
    shown = errors(at)
    assert any(e.startswith("**id**") for e in shown), shown
    assert saved_cases() == []
    at.text_input(key="au_id").input("ok-id")
    click(at, "au_save")
    shown = errors(at)
    assert any(e.startswith("**case\\.history**") and "HTML" in e for e in shown), shown
    assert all("<script>" not in e for e in shown), "quoted user text is escaped"
    assert saved_cases() == []


def test_an_id_of_a_bundled_case_is_refused(author: AppTest) -> None:
    author.text_input(key="au_id").input(BASE)
    click(author, "au_save")
    assert any("bundled case" in e for e in errors(author)), errors(author)


# --- uploads -----------------------------------------------------------------------------------
def test_a_valid_upload_is_saved(author: AppTest) -> None:
    text = yaml.safe_dump(bundled_yaml(id="uploaded-case", title="Uploaded"))
    upload(author, "uploaded-case.yaml", text.encode())
    assert not errors(author), errors(author)
    assert saved_cases() == ["uploaded-case"]
    assert "uploaded-case" in case_files.list_authored(store())


def _bomb() -> bytes:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):  # 10**9 values once expanded, 400 bytes on disk
        prev, name = chr(96 + n), chr(97 + n)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


HOSTILE = {
    "huge file": (b"# padding\n" * 30_000, "kB"),
    "YAML bomb": (_bomb(), "YAML bomb"),
    "self-reference": (b"title: &t [*t]\n", "nested too deeply"),
    "deep nesting": (b"[" * 5000, "nested too deeply"),
    "unknown key": (
        yaml.safe_dump(bundled_yaml(id="x-case", titel="typo")).encode(),
        "titel: unknown key; did you mean 'title'?",
    ),
    "wrong type": (
        yaml.safe_dump(bundled_yaml(id="x-case", age_years="forty")).encode(),
        "age_years",
    ),
    "script tag": (
        yaml.safe_dump(bundled_yaml(id="x-case", title="<script>alert(1)</script>")).encode(),
        "HTML is not allowed",
    ),
    "python object": (
        b"!!python/object/apply:os.system ['touch pwned']\n",
        "not valid YAML",
    ),
    "not text": (b"\xff\xfe\x00binary", "not UTF-8"),
    "not a mapping": (b"- just\n- a list\n", "must be a mapping"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_uploads_are_refused_with_a_clear_message(author: AppTest, name: str) -> None:
    content, expected = HOSTILE[name]
    upload(author, "case.yaml", content)
    shown = "\n".join(errors(author)).replace("\\", "").replace("**", "")
    assert expected in shown, f"{name}: expected {expected!r} in {shown!r}"
    assert "The file was not saved" in "\n".join(m.value for m in author.markdown)
    assert all("<script>" not in e for e in errors(author)), "user text is escaped"
    assert saved_cases() == [] and not Path("pwned").exists()
