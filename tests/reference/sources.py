"""Where the code cites its sources: the text that a calibration must appear in and a
validation must stay out of."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Constants carry their source in a comment or a ``source:`` line next to them.
CODE_GLOBS = ("dbssim/**/*.py", "dbssim/data/**/*.yaml", "scenarios/*.yaml")
# A line may name a validation source to say it was deliberately not used for tuning.
VALIDATION_MARKER = "validation target"


@cache
def code_lines() -> tuple[tuple[str, int, str], ...]:
    out = []
    for pattern in CODE_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            for n, line in enumerate(text.splitlines(), 1):
                out.append((str(path.relative_to(ROOT)), n, line))
    return tuple(out)


def citations(source_key: str) -> list[str]:
    """Lines of code and data that match a source's key (regex, case-sensitive)."""
    rx = re.compile(source_key)
    return [
        f"{path}:{n}: {line.strip()}"
        for path, n, line in code_lines()
        if rx.search(line) and VALIDATION_MARKER not in line
    ]
