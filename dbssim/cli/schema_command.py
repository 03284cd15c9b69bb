"""``dbssim schema``: print the case file's JSON Schema (for editors; docs/authoring.md)."""

from __future__ import annotations

import argparse
from typing import Any

# The schema module (pydantic, the registries) is imported when the command runs (issue 13).


def add_schema_parser(sub: Any) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of case (scenario) files",
        description="Print the JSON Schema of case files (draft 2020-12). Save it, e.g. "
        "'dbssim schema > case.schema.json', and point your editor's YAML support at it. "
        "'dbssim validate FILE' also runs the checks a schema cannot express.",
    )
    p.add_argument(
        "--markdown",
        action="store_true",
        help="print the field reference of docs/authoring.md (a Markdown table) instead",
    )
    p.set_defaults(handler=run_schema)


def run_schema(args: argparse.Namespace) -> Any:
    from dbssim.patient.case_schema import case_json_schema, field_table

    if args.markdown:
        print(field_table())
        return None
    return case_json_schema()
