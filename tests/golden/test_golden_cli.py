"""The CLI answers exactly as recorded in ``tests/golden/outputs`` (issue 9's golden test).

The files were recorded before the package was split into layers; a diff here means a change
of behaviour. A meant change is re-recorded with ``python tests/golden/record.py`` and named
in the changelog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.commands import golden_commands
from tests.golden.record import OUTPUT_DIR, golden_text, run_cli

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = golden_commands()


def test_every_command_has_a_recording() -> None:
    recorded = {p.stem for p in OUTPUT_DIR.glob("*.txt")}
    assert recorded == set(COMMANDS), (
        f"missing recordings: {sorted(set(COMMANDS) - recorded)}; "
        f"stale recordings: {sorted(recorded - set(COMMANDS))}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_answer_matches_recording(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the commands name repository files by relative path
    monkeypatch.setenv("DBSSIM_DATABASE_URL", f"sqlite:///{tmp_path}/golden.sqlite3")
    expected = (OUTPUT_DIR / f"{name}.txt").read_text(encoding="utf-8")
    observed = golden_text(*run_cli(COMMANDS[name]))
    assert observed == expected, f"dbssim {' '.join(COMMANDS[name])}: answer changed"
