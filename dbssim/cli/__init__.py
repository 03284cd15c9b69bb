"""Command line: ``dbssim COMMAND ...`` (a stable contract, DESIGN §6)."""

from dbssim.cli.main import main

__all__ = ["main"]
