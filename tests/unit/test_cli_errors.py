"""Every bad input to the CLI: one line on standard error, exit status 2 (issue 12, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbssim.cli.main import main
from dbssim.patient.scenario_library import scenarios_dir

DEPTH = 5_000  # ~10 KB of brackets: far deeper than Python's recursion limit


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_refusal(code: int, out: str, err: str) -> str:
    assert code == 2, f"exit status {code}; stderr: {err!r}"
    assert out == "", f"the refusal went to standard output: {out!r}"
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), f"not one error line: {err!r}"
    assert "Traceback" not in err and "http" not in err, err
    return lines[0]


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    path = tmp_path / "nested.yaml"
    path.write_text("[" * DEPTH + "]" * DEPTH, encoding="utf-8")
    return path


def test_validate_deeply_nested_file(nested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = assert_one_line_refusal(*run(["validate", str(nested)], capsys))
    assert "nested too deeply" in line, line


def test_review_deeply_nested_file(nested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = assert_one_line_refusal(*run(["review", str(nested), "--json"], capsys))
    assert "nested too deeply" in line, line


def test_evaluate_deeply_nested_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "program.json"
    program.write_text("[" * DEPTH + "]" * DEPTH, encoding="utf-8")
    args = ["evaluate", "pd-stn", "--program", str(program), "--json"]
    line = assert_one_line_refusal(*run(args, capsys))
    assert line.startswith("error: --program:") and "nested too deeply" in line, line


def test_replay_deeply_nested_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBSSIM_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    actions = tmp_path / "actions.json"
    actions.write_text("[" * DEPTH + "]" * DEPTH, encoding="utf-8")
    line = assert_one_line_refusal(*run(["replay", "pd-stn", "--actions", str(actions)], capsys))
    assert "nested too deeply" in line, line


def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-case.yaml"
    line = assert_one_line_refusal(*run(["validate", str(missing)], capsys))
    assert "no such file" in line and str(missing) in line, line


def test_validate_invalid_scenario_still_lists_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A readable file with schema problems is validate's verdict: every problem, exit 1."""
    text = (scenarios_dir() / "pd-stn.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "pd-stn.yaml"
    bad.write_text(text.replace("age_years:", "age_yeers:"), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["validate", str(bad)])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert "age_yeers: unknown key; did you mean 'age_years'?" in out, out


def test_zero_lead_direction_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (scenarios_dir() / "pd-stn.yaml").read_text(encoding="utf-8")
    assert "direction: [0.22, 0.45, 0.87]" in text, "the test case changed: update this test"
    case = tmp_path / "pd-stn.yaml"
    case.write_text(text.replace("direction: [0.22, 0.45, 0.87]", "direction: [0, 0, 0]"), "utf-8")
    for command in (["review", str(case), "--side", "left", "--json"], ["optimize", str(case)]):
        line = assert_one_line_refusal(*run(command, capsys))
        assert "direction" in line and "no length" in line, line


@pytest.mark.parametrize(
    ("option", "value", "limit"),
    [
        ("--amplitude-ma", "999", "0 to 25.5 mA"),  # Medtronic Percept PC; the schema says 30
        ("--pulse-width-us", "999", "20 to 450 µs"),  # the schema says 1000
    ],
)
def test_evaluate_cites_the_device_limit(
    option: str, value: str, limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = {
        "--amplitude-ma": "2",
        "--pulse-width-us": "60",
        "--frequency-hz": "130",
    } | {option: value}
    command = ["evaluate", "pd-stn", "--side", "left", "--contacts", "1-"]
    command += [x for pair in args.items() for x in pair]
    line = assert_one_line_refusal(*run([*command, "--json"], capsys))
    assert line.startswith(f"error: {option}:") and limit in line, line
    assert "Percept" in line, line


def test_unknown_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = assert_one_line_refusal(*run(["review", "pd-stn", "--sied", "left"], capsys))
    assert "--sied" in line, line
