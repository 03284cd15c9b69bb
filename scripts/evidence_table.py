"""Print every evidence row with the model's number: what the closing note quotes.

Usage (from the repository root):

    PYTHONPATH=$PWD .venv/bin/python scripts/evidence_table.py           # all rows
    PYTHONPATH=$PWD .venv/bin/python scripts/evidence_table.py --fast    # skip cohort rows

Rows come from tests/reference/data/{calibrations,validations}.csv and are
measured by tests/reference/evidence.py, the same code the reference tests run.
The cohort rows draw 100 (and 50) random patients: about three minutes of CPU.
Exit status 1 if a row marked "pass" misses its tolerance or a row marked
"known failure" now passes (the table then needs updating, as the strict xfail
tests would also say).
"""

from __future__ import annotations

import argparse
import math
import sys

from tests.reference.evidence import in_band, load_rows, measure


def _fmt(value: float) -> str:
    if math.isinf(value):
        return "none"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def _band(row: dict[str, str]) -> str:
    lo, hi = row["lower"] or "-inf", row["upper"] or "inf"
    return f"[{lo}, {hi}]"


def _table(name: str, title: str, fast: bool) -> int:
    rows = load_rows(name)
    print(f"\n## {title}\n")
    print("| id | source | published | model | tolerance | result |")
    print("|---|---|---|---|---|---|")
    surprises = 0
    for row in rows:
        if fast and row.get("cost") == "slow":
            print(
                f"| {row['id']} | {row['source']} | {row['published_value']} | (skipped) | "
                f"{_band(row)} | - |"
            )
            continue
        value = measure(row["id"])
        ok = in_band(value, row)
        expected_ok = row["status"] != "known failure"
        result = ("pass" if ok else "MISS") + ("" if ok == expected_ok else " (status is stale)")
        surprises += ok != expected_ok
        published = row["published_value"] or "direction"
        print(
            f"| {row['id']} | {row['source']}, {row['journal']} | {published} {row['unit']} | "
            f"{_fmt(value)} | {_band(row)} | {result} |"
        )
    return surprises


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="skip the slow cohort rows")
    args = parser.parse_args()
    surprises = _table("calibrations.csv", "Calibrated on (residuals, not evidence)", args.fast)
    surprises += _table("validations.csv", "Validated against (set no constant)", args.fast)
    return 1 if surprises else 0


if __name__ == "__main__":
    sys.exit(main())
