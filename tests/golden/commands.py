"""The fixed list of CLI commands whose JSON answers are kept as golden files.

Recorded before the package was split into layers (issue 9), so that any later change of
behaviour shows up as a diff. ``replay`` answers carry a fresh session id and resume code
each time: those two fields are masked before comparing.
"""

from __future__ import annotations

SCENARIOS = (
    "dystonia-cervical-gpi",
    "dystonia-generalized-gpi",
    "dystonia-gpi-medial-lead",
    "et-vim",
    "pd-stn",
)
LEAD_CONTACTS = {
    "medtronic-3387": "1",
    "medtronic-3389": "1",
    "medtronic-b33005": "1a",
    "medtronic-b33015": "2",
    "bsci-vercise-directed": "2",
    "abbott-6172": "2A",
    "abbott-6173": "1",
}
PROGRAM_FILE = "tests/golden/program-generalized.json"
ACTIONS_FILE = "docs/examples/actions-dystonia.json"
MASKED_FIELDS = ("session_id", "code")


def golden_commands() -> dict[str, list[str]]:
    """Name of the golden file (without ``.json``) → the ``dbssim`` arguments."""
    commands: dict[str, list[str]] = {"scenarios": ["scenarios", "--json"]}
    for scenario in SCENARIOS:
        for side in ("left", "right"):
            commands[f"review-{scenario}-{side}"] = ["review", scenario, "--side", side, "--json"]
        commands[f"optimize-{scenario}"] = ["optimize", scenario, "--json"]
    commands["review-pd-stn-left-pw90-f60"] = [
        "review",
        "pd-stn",
        "--side",
        "left",
        "--pulse-width-us",
        "90",
        "--frequency-hz",
        "60",
        "--json",
    ]
    evaluate = {
        "generalized-both-1-3ma-90d": [
            "dystonia-generalized-gpi",
            "--side",
            "both",
            "--contacts",
            "1-",
            "--amplitude-ma",
            "3",
            "--pulse-width-us",
            "60",
            "--frequency-hz",
            "130",
            "--after-days",
            "90",
        ],
        "generalized-left-1-12ma-60hz": [
            "dystonia-generalized-gpi",
            "--side",
            "left",
            "--contacts",
            "1-",
            "--amplitude-ma",
            "12",
            "--pulse-width-us",
            "60",
            "--frequency-hz",
            "60",
        ],
        "generalized-left-bipolar-30min": [
            "dystonia-generalized-gpi",
            "--side",
            "left",
            "--contacts",
            "1-,2+",
            "--amplitude-ma",
            "4",
            "--pulse-width-us",
            "90",
            "--frequency-hz",
            "130",
            "--after-minutes",
            "30",
        ],
        "pd-stn-left-steered": [
            "pd-stn",
            "--side",
            "left",
            "--contacts",
            "2a-:70,2b-:30",
            "--amplitude-ma",
            "2.5",
            "--pulse-width-us",
            "60",
            "--frequency-hz",
            "130",
            "--after-days",
            "30",
        ],
        "et-vim-left-1-2ma": [
            "et-vim",
            "--side",
            "left",
            "--contacts",
            "1-",
            "--amplitude-ma",
            "2",
            "--pulse-width-us",
            "60",
            "--frequency-hz",
            "130",
            "--after-minutes",
            "10",
        ],
        "cervical-right-segment": [
            "dystonia-cervical-gpi",
            "--side",
            "right",
            "--contacts",
            "3-",
            "--amplitude-ma",
            "3.5",
            "--pulse-width-us",
            "90",
            "--frequency-hz",
            "130",
            "--after-days",
            "182",
        ],
        "medial-left-2-5ma": [
            "dystonia-gpi-medial-lead",
            "--side",
            "left",
            "--contacts",
            "2-",
            "--amplitude-ma",
            "5",
            "--pulse-width-us",
            "120",
            "--frequency-hz",
            "60",
            "--after-days",
            "30",
        ],
        "generalized-program-file": [
            "dystonia-generalized-gpi",
            "--program",
            PROGRAM_FILE,
            "--after-days",
            "30",
        ],
    }
    for name, args in evaluate.items():
        commands[f"evaluate-{name}"] = ["evaluate", *args, "--json"]
    for lead, contact in LEAD_CONTACTS.items():
        commands[f"vta-{lead}"] = [
            "vta",
            "--lead",
            lead,
            "--contact",
            contact,
            "--amplitude-ma",
            "3",
            "--pulse-width-us",
            "60",
            "--json",
        ]
    commands["vta-3389-voltage"] = [
        "vta",
        "--lead",
        "medtronic-3389",
        "--contact",
        "2",
        "--amplitude-v",
        "3",
        "--impedance-ohm",
        "1200",
        "--pulse-width-us",
        "90",
        "--conductivity-s-m",
        "0.2",
        "--json",
    ]
    commands["replay-example"] = [
        "replay",
        "dystonia-generalized-gpi",
        "--actions",
        ACTIONS_FILE,
        "--json",
    ]
    return commands
