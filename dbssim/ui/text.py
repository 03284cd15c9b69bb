"""Trainee-facing prose, kept as Markdown files in ``dbssim/data/ui``."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_text(name: str) -> str:
    """The Markdown text ``dbssim/data/ui/<name>.md``, stripped."""
    path = resources.files("dbssim") / "data" / "ui" / f"{name}.md"
    return path.read_text(encoding="utf-8").strip()
