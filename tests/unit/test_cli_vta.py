"""`dbssim vta`: JSON contract and one-line errors."""

import json
import subprocess
import sys

import pytest

from dbssim.cli.main import main


def test_vta_json_contract(capsys):
    code = main(
        [
            "vta",
            "--lead",
            "medtronic-3389",
            "--contact",
            "1",
            "--amplitude-ma",
            "3",
            "--pulse-width-us",
            "60",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"volume_mm3", "radius_mm"}
    assert out["radius_mm"] == pytest.approx(
        (3 * out["volume_mm3"] / (4 * 3.14159265)) ** (1 / 3), abs=1e-3
    )
    assert 2.8 < out["radius_mm"] < 3.8  # dossier §1.1: ~3.3 mm at 3 mA, 60 µs, ~0.1 S/m


def test_longer_pulse_width_gives_larger_vta(capsys):
    radii = []
    for pw in ("60", "120"):
        main(
            [
                "vta",
                "--lead",
                "medtronic-3389",
                "--contact",
                "1",
                "--amplitude-ma",
                "2",
                "--pulse-width-us",
                pw,
                "--json",
            ]
        )
        radii.append(json.loads(capsys.readouterr().out)["radius_mm"])
    assert radii[1] > radii[0]


def test_voltage_mode_with_given_impedance(capsys):
    main(
        [
            "vta",
            "--lead",
            "medtronic-3389",
            "--contact",
            "1",
            "--amplitude-v",
            "3",
            "--impedance-ohm",
            "1000",
            "--json",
        ]
    )
    by_v = json.loads(capsys.readouterr().out)
    main(["vta", "--lead", "medtronic-3389", "--contact", "1", "--amplitude-ma", "3", "--json"])
    by_ma = json.loads(capsys.readouterr().out)
    assert by_v == by_ma


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--lead", "medtronic-3388", "--contact", "1", "--amplitude-ma", "3"], "medtronic-3389"),
        (
            ["--lead", "medtronic-3389", "--contact", "9", "--amplitude-ma", "3"],
            "allowed: 0, 1, 2, 3",
        ),
        (["--lead", "medtronic-3389", "--contact", "1", "--amplitude-ma", "40"], "0 to 25.5 mA"),
        (["--lead", "abbott-6172", "--contact", "2A", "--amplitude-ma", "13"], "0 to 12.75 mA"),
        (["--lead", "medtronic-3389", "--contact", "1", "--amplitude-ma", "abc"], "invalid float"),
        (
            [
                "--lead",
                "medtronic-3389",
                "--contact",
                "1",
                "--amplitude-ma",
                "2",
                "--pulse-width-us",
                "5",
            ],
            "20 to 450 µs",
        ),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args, needle, capsys):
    assert main(["vta", *args, "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err
    assert "\n" not in err and "Traceback" not in err


def test_console_entry_point_runs_without_traceback():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dbssim.cli.main",
            "vta",
            "--lead",
            "nope",
            "--contact",
            "1",
            "--amplitude-ma",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "unknown lead 'nope'" in proc.stderr
    help_proc = subprocess.run(
        [sys.executable, "-m", "dbssim.cli.main", "vta", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert help_proc.returncode == 0 and "--amplitude-ma" in help_proc.stdout
