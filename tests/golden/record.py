"""Re-record the golden CLI answers: ``python tests/golden/record.py`` from the repo root.

Only after a change of behaviour that is meant and explained in the changelog.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # run as a script: make `tests` importable

from tests.golden.commands import MASKED_FIELDS, golden_commands  # noqa: E402

OUTPUT_DIR = HERE / "outputs"


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``dbssim ARGS`` in this process; return exit status, standard output and error."""
    from dbssim.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


def golden_text(status: int, stdout: str, stderr: str) -> str:
    """What is kept: the masked JSON answer, or for a refused command its status and error."""
    if status == 0:
        return masked(stdout)
    return f"exit {status}\n{stderr}"


def masked(text: str) -> str:
    """The answer with per-run identifiers replaced by a fixed placeholder."""
    data = json.loads(text)
    if isinstance(data, dict):
        for field in MASKED_FIELDS:
            if field in data:
                data[field] = "<masked>"
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return text


def main() -> None:
    OUTPUT_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DBSSIM_DATABASE_URL"] = f"sqlite:///{tmp}/golden.sqlite3"
        for name, args in golden_commands().items():
            text = golden_text(*run_cli(args))
            (OUTPUT_DIR / f"{name}.txt").write_text(text, encoding="utf-8")
            print(name)


if __name__ == "__main__":
    main()
