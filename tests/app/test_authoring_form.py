"""Issue 12, finding 8: the authoring form sets who the patient is and what is implanted.

The form could not set age, sex, weeks since surgery, device or lead, so a "34-year-old
man" case showed the trainee "52-year-old female · 4 weeks after surgery".
"""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from dbssim.patient.scenario import load_scenario
from dbssim.physics.devices import get_device
from dbssim.physics.leads import get_lead
from dbssim.ui.text import plain
from tests.app.helpers import click, errors
from tests.app.test_authoring import BASE, author, saved_cases  # noqa: F401
from tests.app.test_classroom import join, store

MakeApp = Callable[..., AppTest]
LEAD = "bsci-vercise-directed"  # 8 contacts; the base case has 4-contact Medtronic 3389 leads
DEVICE = "bsci-vercise-genus"


def write_man_of_34(at: AppTest) -> AppTest:
    at.text_input(key="au_id").input("man-34-directional")
    at.text_input(key="au_title").input("A 34-year-old man with directional leads")
    at.number_input(key="au_age").set_value(34)
    at.selectbox(key="au_sex").set_value("male")
    at.number_input(key="au_weeks").set_value(6.0)
    at.selectbox(key="au_device").set_value(DEVICE)
    at.selectbox(key="au_lead_model").set_value(LEAD)
    at.number_input(key="au_lead_left_x").set_value(-2.0)
    return click(at, "au_save")


def test_the_form_sets_patient_device_and_lead(author: AppTest) -> None:  # noqa: F811
    at = write_man_of_34(author)
    assert not errors(at), errors(at)
    assert saved_cases() == ["man-34-directional"]
    case = store().load_case("man-34-directional")
    assert (case.age_years, case.sex, case.weeks_since_surgery) == (34, "male", 6.0)
    assert case.device == DEVICE and case.amplitude_mode in get_device(DEVICE).modes
    n_contacts = len(get_lead(LEAD).contacts)
    for placement in case.leads.values():
        assert placement.model == LEAD and len(placement.impedances_ohm) == n_contacts
    shown = " ".join(c.value for c in at.caption)
    assert "Nearest contact to the target's centre: left lead" in shown, shown


def test_the_trainee_sees_the_authored_patient(author: AppTest, new_app: MakeApp) -> None:  # noqa: F811
    write_man_of_34(author)
    klass = store().create_class("Form", "man-34-directional", seed=1)
    trainee = join(new_app(), klass.join_code)
    trainee.sidebar.radio(key="nav").set_value("Case").run()
    captions = " ".join(c.value for c in trainee.caption)
    assert "34-year-old male · 6 weeks after surgery" in captions, captions
    hardware = trainee.get_by_key("hardware_table").markdown[0].value  # the hardware table
    rows = [line.split(" | ")[1:3] for line in hardware.splitlines()[2:]]
    assert rows and {lead for lead, _ in rows} == {plain(get_lead(LEAD).name)}
    assert {device for _, device in rows} == {plain(get_device(DEVICE).name)}


def test_the_form_starts_from_the_base_case(author: AppTest) -> None:  # noqa: F811
    base = load_scenario(BASE)
    assert author.number_input(key="au_age").value == base.age_years
    assert author.selectbox(key="au_sex").value == base.sex
    assert author.selectbox(key="au_device").value == base.device
