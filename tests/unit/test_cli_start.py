"""``dbssim`` parses its arguments before it imports the model (issue 13: fast start)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "pydantic", "yaml", "scipy", "sqlalchemy", "streamlit", "plotly")


def _heavy_modules_after(code: str) -> list[str]:
    probe = (
        f"import json, sys\n{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["vta", "--lead", "medtronic-3389", "--contact", "1", "--amplitude-ma", "3", "--json"],
        ["optimize", "pd-stn", "--json"],
        ["review", "pd-stn", "--side", "left", "--json"],
        ["replay", "pd-stn", "--actions", "x.json", "--json"],
    ],
    ids=lambda a: a[0],
)
def test_parsing_imports_nothing_heavy(argv):
    code = f"from dbssim.cli.main import build_parser\nbuild_parser().parse_args({argv!r})"
    assert _heavy_modules_after(code) == [], f"parsing {argv} imported heavy modules"


def test_help_names_the_leads_and_the_default_conductivity():
    result = subprocess.run(
        [sys.executable, "-m", "dbssim", "vta", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "medtronic-3389" in result.stdout and "abbott-6173" in result.stdout
    assert "(default 0.1)" in result.stdout, result.stdout


def test_scenario_error_is_reported_in_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: 3\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "dbssim", "review", str(bad), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "more)" in lines[0], f"expected a count of further problems: {lines[0]}"
