#!/usr/bin/env bash
# Build the wheel, install it into a fresh venv outside the checkout and run the CLI from
# another folder: what a user who installs dbssim with pip gets (issue 9). Exit non-zero if
# the bundled scenarios or the commands are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

.venv/bin/python -m pip install -qq build
.venv/bin/python -m build --wheel -o "$work/dist" . >"$work/build.log" 2>&1 || {
    cat "$work/build.log"; exit 1; }
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -qq -r "$repo/requirements.txt" "$work"/dist/*.whl

cd "$work"  # away from the checkout, so nothing can be read from it
"$work/venv/bin/dbssim" scenarios --json >scenarios.json
"$work/venv/bin/python" - <<'PY'
import json
ids = {row["id"] for row in json.load(open("scenarios.json"))}
need = {"dystonia-generalized-gpi", "dystonia-cervical-gpi", "dystonia-gpi-medial-lead",
        "pd-stn", "et-vim"}
missing = need - ids
if missing:
    raise SystemExit(f"installed wheel lacks scenarios: {sorted(missing)}")
print(f"installed wheel lists {len(ids)} scenarios")
PY
"$work/venv/bin/dbssim" review pd-stn --side left --json >review.json
"$work/venv/bin/python" -c "
import json; rows = json.load(open('review.json'))
assert rows and all('contact' in r for r in rows), rows
print(f'installed wheel: review pd-stn left gives {len(rows)} rows')"
