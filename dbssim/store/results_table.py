"""Results of stored sessions: their scores, and the CSV that educators open in a spreadsheet.

One home for what ``dbssim results --csv`` and the Results page both write: the four
score names, the scores of a record, and formula-safe CSV (a cell starting with ``=``,
``+``, ``-`` or ``@`` would run as a formula in a spreadsheet, so it is written as text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the CLI imports this module; SQLAlchemy only when a command needs it
    from dbssim.store.records import SessionRecord

SCORE_NAMES = ("outcome", "safety", "efficiency", "process")
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # spreadsheets run these as formulas


def score_values(record: SessionRecord) -> dict[str, float | None]:
    """Each score of a session, 0–100 (None while it is not finished)."""
    scores = record.scores or {}
    return {n: (float(scores[n]["score"]) if n in scores else None) for n in SCORE_NAMES}


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a leading =, +, -, @ would run as a formula."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> None:
    """Rows as formula-safe CSV, a header line then one line per row."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row[k]) for k in columns})


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as formula-safe CSV text, columns in the order of the first row ("" if none)."""
    if not rows:
        return ""
    out = io.StringIO()
    write_csv(rows, list(rows[0]), out)
    return out.getvalue()
