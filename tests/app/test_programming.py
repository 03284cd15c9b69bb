"""Programming page after a new user's test: contact help, the device's step grid,
stimulation that delivers nothing, and Parkinson's medication."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dbssim.patient.scenario_library import load_scenario
from dbssim.store.service import Store
from dbssim.ui.text import load_text
from tests.app.helpers import (
    SCENARIO,
    click,
    errors,
    go,
    live,
    markdown_and_errors,
    next_element,
    program_left,
    start,
    text,
)

MakeApp = Callable[[], AppTest]


# --- contact buttons: no tooltip over the next contact ---------------------------------------
def test_contact_buttons_have_no_tooltip_and_one_legend_per_lead(new_app: MakeApp) -> None:
    at = start(new_app())
    contacts = [b for b in at.button if str(b.key).startswith("contact_")]
    assert len(contacts) == 8, f"4 contacts on each of 2 leads, got {len(contacts)}"
    with_help = [b.key for b in contacts if b.help]
    assert not with_help, f"a tooltip covers the contact above and swallows clicks: {with_help}"
    legend = load_text("contacts_legend")
    assert [c.value for c in at.caption].count(legend) == 2, "one legend per lead"


# --- the device's step grid --------------------------------------------------------------------
def test_typed_amplitude_is_sent_as_the_field_shows_it(new_app: MakeApp) -> None:
    at = start(new_app())  # Percept PC: 0.1 mA steps, the field shows one decimal
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(1.23).run()
    assert at.session_state["drafts"]["left"]["amplitude"] == 1.2, "1.23 shows as 1.2"
    assert at.number_input(key="amp_left").value == 1.2
    click(at, "apply_left")
    assert live(at).programs["left"].amplitude_ma == 1.2, "1.23 must never reach the engine"
    assert not errors(at), errors(at)


def test_off_grid_value_is_refused_beside_its_control(new_app: MakeApp) -> None:
    at = start(new_app())  # Percept PC: pulse width in 10 µs steps
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(1.0).run()
    at.number_input(key="pw_left").set_value(65.0).run()
    click(at, "apply_left")
    beside = next_element(at, "pw_left")
    assert beside is not None and beside.type == "error", f"no error under pw_left: {beside}"
    assert "pulse_width_us" in beside.value and "steps by" in beside.value, beside.value
    assert live(at).programs["left"] is None, "a refused setting leaves no trace"


def test_two_decimal_device_shows_and_refuses_off_grid_amplitudes(
    new_app: Callable[..., AppTest],
) -> None:
    # Abbott Infinity steps by 0.05 mA: 1.23 shows as typed and the engine refuses it.
    case = load_scenario(SCENARIO).revalidated(device="abbott-infinity")
    stored = Store.open(os.environ["DBSSIM_DATABASE_URL"]).start_session(case, 1, "Fellow")
    at = new_app(session=stored.code)
    field = at.number_input(key="amp_left")
    assert (field.step, field.proto.format) == (0.05, "%.2f")
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(1.23).run()
    assert at.number_input(key="amp_left").value == 1.23, "two decimals are shown as typed"
    click(at, "apply_left")
    beside = next_element(at, "amp_left")
    assert beside.type == "error", f"no error under amp_left: {beside}"
    assert "amplitude_ma" in beside.value and "steps by 0.05 mA" in beside.value, beside.value
    assert live(at).programs["left"] is None
    at.number_input(key="amp_left").set_value(1.25).run()
    click(at, "apply_left")
    assert live(at).programs["left"].amplitude_ma == 1.25


def test_out_of_range_amplitude_is_never_applied_silently(new_app: MakeApp) -> None:
    at = program_left(start(new_app()), amplitude=2.0)
    at.number_input(key="amp_left").set_value(40.0).run()
    beside = next_element(at, "amp_left")
    assert beside.type == "error" and "outside the range" in beside.value, beside
    click(at, "apply_left")
    assert live(at).programs["left"].amplitude_ma == 2.0, "the old value must not be re-sent"
    assert any("amplitude_ma" in e for e in errors(at)), errors(at)


# --- stimulation that delivers nothing ------------------------------------------------------------
@pytest.mark.parametrize("amplitude", [None, 0.0])
def test_stimulation_on_without_a_program_warns(new_app: MakeApp, amplitude: float | None) -> None:
    at = start(new_app())
    if amplitude is not None:
        program_left(at, amplitude=amplitude)
    click(at, "stim_on")
    assert live(at).stimulation_on, "switching on is allowed"
    warning = load_text("nothing_delivered")
    assert warning in [w.value for w in at.warning], "no warning that nothing is delivered"
    assert "delivering nothing" in text(at), "the sidebar says so too"
    program_left(at, amplitude=2.0)
    assert warning not in [w.value for w in at.warning], "warning must go once a lead delivers"


# --- Parkinson's disease: medication ------------------------------------------------------------
def test_medication_control_for_parkinson_cases_only(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")
    assert at.toggle(key="medication").value is False
    assert "Medication off" in text(at)
    at.toggle(key="medication").set_value(True).run()
    assert live(at).medication_on
    assert live(at).log[-1]["action"] == {"action": "medication", "state": "on"}
    assert "Medication :orange[**on**]" in text(at)
    go(at, "Case")
    go(at, "Programming")
    assert at.toggle(key="medication").value is True, "the toggle follows the engine"
    at.toggle(key="medication").set_value(False).run()
    assert not live(at).medication_on
    assert "Medication off" in text(at)

    other = start(new_app())  # dystonia: no medication
    assert not [t for t in other.toggle if t.key == "medication"]
    assert "Medication" not in markdown_and_errors(other)
