"""Table cells as text for display: numbers without trailing zeros, a dash when empty."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MISSING = "—"  # what an empty table cell shows (never "None")


def as_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for display: numbers of these columns as text (``2.5``), empty cells as "—"."""
    out = []
    for r in rows:
        row = dict(r)
        for name in columns:
            value = row.get(name)
            if value is None or (isinstance(value, float) and value != value):  # None or NaN
                row[name] = MISSING
            elif isinstance(value, int | float) and not isinstance(value, bool):
                row[name] = f"{value:g}"
        out.append(row)
    return out
