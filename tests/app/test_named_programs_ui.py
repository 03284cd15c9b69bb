"""Issue 11: named programs A/B on the Programming page, and the mA / V toggle (AppTest)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.helpers import click, errors, live, markdown_and_errors, start, table

MakeApp = Callable[[], AppTest]


def _apply(at: AppTest, amplitude: float) -> None:
    at.number_input(key="amp_left").set_value(amplitude).run()
    click(at, "apply_left")


def test_save_a_save_b_switch_back_to_a_without_a_safety_penalty(new_app: MakeApp) -> None:
    at = start(new_app())  # dystonia-generalized-gpi, seed of the case
    assert at.button(key="save_A_left").disabled, "nothing applied yet: nothing to save"
    assert at.button(key="switch_A_left").disabled
    click(at, "contact_left_2")
    _apply(at, 1.0)
    click(at, "stim_on")
    for amplitude in (2.0, 3.0, 4.0):  # ramp in 1 mA steps
        _apply(at, amplitude)
    click(at, "examine")
    assert not live(at).entries[-1].signs, "the case assumes 2- at 4 mA shows no sign"
    click(at, "save_A_left")
    assert "**A:** 2- · 4 mA · 60 µs · 130 Hz — **applied now**" in markdown_and_errors(at)
    # Change the setting: contact 2 off (cathode → anode → off), contact 3 at 1 mA.
    click(at, "contact_left_2")
    click(at, "contact_left_2")
    click(at, "contact_left_3")
    _apply(at, 1.0)
    click(at, "examine")
    click(at, "save_B_left")
    assert live(at).programs["left"].contacts == "3-"
    assert "**B:** 3- · 1 mA · 60 µs · 130 Hz — **applied now**" in markdown_and_errors(at)
    assert at.button(key="switch_B_left").disabled, "B is the applied program"
    switch_step = len(live(at).entries)
    click(at, "switch_A_left")
    program = live(at).programs["left"]
    assert (program.contacts, program.amplitude_ma) == ("2-", 4.0), errors(at)
    assert at.number_input(key="amp_left").value == 4.0, "the editor shows program A"
    assert at.button(key="contact_left_2").label == "2 −"
    assert at.button(key="contact_left_3").label == "3"
    assert "(changes not applied yet)" not in at.button(key="apply_left").label
    assert "**A:** 2- · 4 mA · 60 µs · 130 Hz — **applied now**" in markdown_and_errors(at)
    at.sidebar.checkbox(key="finish_confirm").check().run()
    click(at, "finish")
    safety = at.session_state["debrief"]["scores"]["safety"]
    steps = [d["step"] for d in safety["deductions"]]
    assert switch_step not in steps, f"switching to tolerated A was penalised: {safety}"
    # Ramped, started low, and went back to a tested program: no step cost points (a side
    # effect the final program leaves on at six months is judged apart, at the finish).
    stepwise = [d for d in safety["deductions"] if d["kind"] != "side_effect_left_on"]
    assert stepwise == [], safety
    named = table(at, "named_programs_table")
    assert named["name"].tolist() == ["A", "B"]
    assert named["applied at the end"].tolist() == ["✓", ""]


def test_switching_after_a_reload_uses_the_stored_programs(new_app: Callable[..., AppTest]) -> None:
    at = start(new_app())
    click(at, "contact_left_1")
    _apply(at, 2.0)
    click(at, "save_A_left")
    _apply(at, 2.5)
    code = at.session_state["stored"].code
    again = new_app(session=code)
    assert "**A:** 1- · 2 mA" in markdown_and_errors(again)
    click(again, "switch_A_left")
    assert live(again).programs["left"].amplitude_ma == 2.0, errors(again)


def test_the_volt_toggle_follows_the_device_and_keeps_the_current(new_app: MakeApp) -> None:
    at = start(new_app(), "pd-stn")  # Medtronic Percept PC: mA and V
    toggle = at.radio(key="mode_left")
    assert toggle.value == "mA" and toggle.options == ["mA", "V"]
    click(at, "contact_left_0")
    at.number_input(key="amp_left").set_value(2.0).run()
    at.radio(key="mode_left").set_value("V").run()
    amp = at.number_input(key="amp_left")
    assert amp.label == "Amplitude (V)" and amp.step == 0.1
    impedance_ohm = live(at).patient.sides["left"].impedances_ohm[0]
    assert amp.value == round(2.0 * impedance_ohm / 1000, 1), "the same current in V"
    shown = markdown_and_errors(at)
    density = [p.text for p in at.get("progress")]
    assert any("charge density" in t for t in density), (density, shown)
    click(at, "apply_left")
    program = live(at).programs["left"]
    assert program.amplitude_v == amp.value and program.amplitude_ma is None, errors(at)
    assert "(changes not applied yet)" not in at.button(key="apply_left").label
    at.number_input(key="amp_left").set_value(11.0).run()
    assert any("outside the range of the device (0 to 10.5 V)" in e for e in errors(at))
    at.radio(key="mode_left").set_value("mA").run()
    assert at.number_input(key="amp_left").label == "Amplitude (mA)"


def test_no_toggle_on_a_single_mode_device(new_app: MakeApp) -> None:
    at = start(new_app(), "dystonia-cervical-gpi")  # Vercise Genus: current only
    assert not [r for r in at.radio if r.key == "mode_left"]
    at = start(new_app(), "et-vim")  # Kinetra: voltage only
    assert not [r for r in at.radio if r.key == "mode_left"]
    assert at.number_input(key="amp_left").label == "Amplitude (V)"


def test_toggling_to_v_and_back_without_editing_restores_the_ma_value(new_app: MakeApp) -> None:
    at = start(new_app())  # dystonia-generalized-gpi: Percept PC, mA and V
    click(at, "contact_left_1")
    click(at, "contact_left_2")
    _apply(at, 2.0)
    assert "(changes not applied yet)" not in at.button(key="apply_left").label
    at.radio(key="mode_left").set_value("V").run()
    volts = at.number_input(key="amp_left").value
    at.radio(key="mode_left").set_value("mA").run()
    assert at.number_input(key="amp_left").value == 2.0, f"2.0 mA -> {volts} V -> mA drifted"
    assert "(changes not applied yet)" not in at.button(key="apply_left").label
    # An edit in V is a new value: converting it back is no longer a round trip.
    at.radio(key="mode_left").set_value("V").run()
    at.number_input(key="amp_left").set_value(volts + 1.0).run()
    at.radio(key="mode_left").set_value("mA").run()
    assert at.number_input(key="amp_left").value > 2.0
