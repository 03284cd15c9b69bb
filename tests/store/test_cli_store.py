"""``dbssim replay``, ``results`` and ``report`` on both backends (issue 5, DESIGN §6)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from dbssim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "actions-dystonia.json"
SCENARIO = "dystonia-generalized-gpi"
HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``dbssim ARGS`` in-process against the test store: (exit code, stdout, stderr)."""
    monkeypatch.setenv("DBSSIM_DATABASE_URL", store_url)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write_actions(tmp_path: Path, actions: Any, name: str = "actions.json") -> str:
    path = tmp_path / name
    path.write_text(actions if isinstance(actions, str) else json.dumps(actions), "utf-8")
    return str(path)


@pytest.mark.slow
def test_replay_results_report(cli: Any, tmp_path: Path) -> None:
    code, out, err = cli(
        "replay", SCENARIO, "--actions", str(EXAMPLE), "--trainee", HOSTILE, "--json"
    )
    assert code == 0, f"replay of the documented example failed: {err}"
    answer = json.loads(out)
    assert set(answer) == {"session_id", "code", "scores", "finished"}, answer
    assert answer["finished"] is True
    assert set(answer["scores"]) == {"outcome", "safety", "efficiency", "process"}
    assert re.fullmatch(r"[0-9A-Z]{8}", answer["code"]), answer["code"]

    code, out, err = cli("results", "--json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["session_id"] == answer["session_id"] and row["trainee"] == HOSTILE
    assert row["scenario"] == SCENARIO and row["finished"] is True
    assert row["scores"] == {k: v["score"] for k, v in answer["scores"].items()}
    assert row["actions"] == len(json.loads(EXAMPLE.read_text("utf-8")))
    assert row["duration_s"] >= 0

    code, out, _ = cli("results", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 1 and rows[0]["trainee"] == HOSTILE
    assert float(rows[0]["score_outcome"]) == answer["scores"]["outcome"]["score"]
    code, out, _ = cli("results")
    assert code == 0 and SCENARIO in out.splitlines()[1], out

    report = tmp_path / "report.html"
    code, out, err = cli("report", answer["code"], "--out", str(report))
    assert code == 0, err
    html = report.read_text("utf-8")
    assert "<script" not in html.lower(), "a script tag reached the report"
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html, "pseudonym not escaped"
    assert "Content-Security-Policy" in html and "script-src" not in html
    for heading in ("Scores", "Your program and the expert", "true monopolar review", "Timeline"):
        assert heading in html, f"report has no '{heading}' section"
    assert not re.search(r"""(src|href)=["']?https?:""", html), "report loads outside resources"


def test_replay_keeps_named_programs_and_the_report_lists_them(cli: Any, tmp_path: Path) -> None:
    def set_left(amplitude_ma: float) -> dict[str, Any]:
        return {
            "action": "set", "side": "left", "contacts": "1-",
            "amplitude_ma": amplitude_ma, "pulse_width_us": 60, "frequency_hz": 130,
        }  # fmt: skip

    actions = [
        set_left(2.0), {"action": "save_program", "side": "left", "name": "A"},
        set_left(2.5), {"action": "save_program", "side": "left", "name": "B"},
        set_left(2.0),  # switch back to A: a set of the kept program
        {"action": "finish"},
    ]  # fmt: skip
    code, out, err = cli(
        "replay", SCENARIO, "--actions", write_actions(tmp_path, actions), "--json"
    )
    assert code == 0, err
    answer = json.loads(out)
    report = tmp_path / "report.html"
    code, _, err = cli("report", answer["code"], "--out", str(report))
    assert code == 0, err
    html = report.read_text("utf-8")
    assert "Your named programs" in html
    assert "<td>A</td><td>1- 2 mA, 60 µs, 130 Hz</td><td>yes</td>" in html, html
    assert "<td>B</td><td>1- 2.5 mA, 60 µs, 130 Hz</td><td></td>" in html
    assert "left: program B saved (1- 2.5 mA, 60 µs, 130 Hz)" in html, "timeline row"


BAD_FILES = [
    # (actions, expected message on stderr)
    (
        [{"action": "set", "side": "left", "contacts": "1-", "amplitude_ma": 2.0,
          "pulse_width_us": 60, "frequency_hz": 130},
         {"action": "save_program", "side": "left", "name": "C"}],
        "actions[1].name: Input should be 'A' or 'B' (got 'C')",
    ),
    (
        [{"action": "save_program", "side": "left", "name": "A"}],
        "actions[0].side: 'left': no program is applied on this side yet",
    ),
    (
        [{"action": "stim_on"}, {"action": "set", "side": "left", "contacts": "1-",
          "amplitude_ma": "2", "pulse_width_us": 60, "frequency_hz": 130}],
        "actions[1].amplitude_ma: ",
    ),
    (
        [{"action": "examine"}, {"action": "wait", "minutes": 5, "minuts": 5}],
        "actions[1].minuts: unknown key for 'wait'",
    ),
    (
        [{"action": "examine"}, {"action": "exmaine"}],
        "actions[1].action: unknown action 'exmaine'; did you mean 'examine'?",
    ),
    ([{"action": "visit"}], "actions[0].after_days: "),
    ([{"action": "examine"}, "ask"], "actions[1].action: an action must be a dict"),
    (
        [{"action": "stim_on"}, {"action": "set", "side": "left", "contacts": "9-",
          "amplitude_ma": 1.0, "pulse_width_us": 60, "frequency_hz": 130}],
        "actions[1].contacts: ",
    ),
    ([{"action": "finish"}, {"action": "examine"}], "actions[1].action: the session is finished"),
    ({"action": "examine"}, "actions: must be a JSON list of actions (got dict)"),
    ('[{"action": "examine"},', "actions: not valid JSON (line 1"),
]  # fmt: skip


@pytest.mark.parametrize(("actions", "message"), BAD_FILES)
def test_bad_action_file_refused_with_index_and_field(
    cli: Any, tmp_path: Path, actions: Any, message: str
) -> None:
    code, out, err = cli(
        "replay", SCENARIO, "--actions", write_actions(tmp_path, actions), "--json"
    )
    assert code == 2, f"exit {code}, expected 2; stderr: {err}"
    assert message in err, f"expected {message!r} in the error, got: {err}"
    assert out == ""
    code, out, _ = cli("results", "--json")
    assert json.loads(out) == [], "a refused file left a stored session"


def test_missing_action_file_and_bad_seed(cli: Any, tmp_path: Path) -> None:
    code, _, err = cli("replay", SCENARIO, "--actions", str(tmp_path / "none.json"), "--json")
    assert code == 2 and "--actions: no such file" in err, err
    path = write_actions(tmp_path, [{"action": "examine"}])
    code, _, err = cli("replay", SCENARIO, "--actions", path, "--seed", "-3", "--json")
    assert code == 2 and "--seed" in err, err
    code, _, err = cli("replay", SCENARIO, "--actions", path, "--trainee", "", "--json")
    assert code == 2 and "trainee: must not be empty" in err, err


def test_unfinished_session_stored_without_scores_and_no_report(cli: Any, tmp_path: Path) -> None:
    path = write_actions(tmp_path, [{"action": "stim_on"}, {"action": "examine"}])
    code, out, err = cli("replay", SCENARIO, "--actions", path, "--seed", "4", "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["finished"] is False and answer["scores"] is None, answer
    code, _, err = cli("report", answer["session_id"], "--out", str(tmp_path / "r.html"))
    assert code == 2 and "finish" in err, err
    assert not (tmp_path / "r.html").exists()
    code, _, err = cli("report", "NOSUCHCD", "--out", str(tmp_path / "r.html"))
    assert code == 2 and "no session with id or code" in err, err


def test_csv_cells_never_run_as_formulas(cli: Any, tmp_path: Path) -> None:
    path = write_actions(tmp_path, [{"action": "examine"}])
    assert cli("replay", SCENARIO, "--actions", path, "--trainee", "=1+1", "--json")[0] == 0
    _, out, _ = cli("results", "--csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["trainee"] == "'=1+1", f"formula not neutralised: {row['trainee']!r}"


@pytest.mark.slow
def test_replay_on_a_random_patient(cli: Any, tmp_path: Path) -> None:
    """``--random-patient SEED`` stores the session the app would start with that seed."""
    from dbssim.store.service import Store

    code, out, err = cli("replay", SCENARIO, "--actions", str(EXAMPLE), "--random-patient", "9")
    assert code == 0, err
    answer = json.loads(out)
    assert set(answer) == {"session_id", "code", "scores", "finished", "patient_seed"}
    assert answer["patient_seed"] == 9
    with Store.open() as store:
        record, _ = store.load_session(answer["session_id"])
        session = store.resume(record.id)
    assert record.random_patient and record.seed == 9
    assert "random patient" in session.patient.scenario.title
    code, _, err = cli(
        "replay", SCENARIO, "--actions", str(EXAMPLE), "--random-patient", "9", "--seed", "8"
    )
    assert code == 2 and "--seed" in err and "--random-patient 9" in err, err
