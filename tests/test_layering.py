"""Imports only go downward through the layers (STYLE.md, Architecture 1; DESIGN §2).

The order is held in one list, ``LAYERS``, lowest first, as MNE-Python's import-nesting test
does: a module may import its own layer and any layer listed before it, never one after it.
Two packages that share a rank (``store`` and ``report``; ``cli`` and ``ui``) are siblings and
may not import each other. Third-party rules say who may talk to Streamlit and Plotly.
Imports are read with :mod:`ast`, so a module is checked without being imported; two
subprocess tests then check what importing really pulls in.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "dbssim"
UI_LIBRARIES = ("streamlit", "plotly", "kaleido")

# Lowest first. Each entry is one rank; packages in one tuple are siblings.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("dbssim.units", "dbssim.errors"),
    ("dbssim.validation",),  # raises dbssim.errors.InputError
    ("dbssim.physics",),
    ("dbssim.patient",),
    ("dbssim.session",),
    ("dbssim.store", "dbssim.report"),
    ("dbssim.viz",),
    ("dbssim.cli", "dbssim.ui"),
    # The package's public API (lazy: it imports nothing until a name is used) and the
    # `python -m dbssim` shim stand above everything they re-export.
    ("dbssim", "dbssim.__main__"),
)


@dataclass(frozen=True)
class Rule:
    """``forbidden`` may be imported only by modules inside one of ``allowed_in``."""

    forbidden: str
    allowed_in: tuple[str, ...]
    why: str


RULES = (
    Rule("streamlit", ("dbssim.ui",), "only dbssim/ui/ talks to Streamlit"),
    Rule("plotly", ("dbssim.viz", "dbssim.ui"), "only dbssim/viz/ and dbssim/ui/ make figures"),
    # kaleido is Plotly's static-image engine: it follows Plotly.
    Rule("kaleido", ("dbssim.viz", "dbssim.ui"), "only dbssim/viz/ and dbssim/ui/ make images"),
)


def _is_within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def module_name(path: Path, root: Path = ROOT) -> str:
    """Dotted module name of a source file, e.g. ``dbssim/ui/__init__.py`` → ``dbssim.ui``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 >= len(package):
        raise ValueError(f"relative import beyond the top package in {module} (level {level})")
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, target] if target else base)


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module name a source may import, relative imports resolved to absolute names.

    ``from a import b`` yields both ``a`` and ``a.b`` (``b`` may be a submodule), and
    ``importlib.import_module("x")`` / ``__import__("x")`` with a literal name count too.
    """
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (
                _resolve_relative(module, is_package, node.level, node.module)
                if node.level
                else node.module or ""
            )
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            func_name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if func_name in {"import_module", "__import__"} and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    names.add(first.value)
    return names


def layer_of(name: str) -> tuple[int, str] | None:
    """Rank and package of a dbssim module name (longest matching prefix), or None."""
    best: tuple[int, str] | None = None
    for rank, packages in enumerate(LAYERS):
        for package in packages:
            # The bare package holds only its own __init__, not every submodule.
            matches = name == package if package == "dbssim" else _is_within(name, package)
            if matches and (best is None or len(package) > len(best[1])):
                best = (rank, package)
    return best


def find_violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Layering violations of one module's source, one readable line each."""
    violations = []
    own = layer_of(module)
    for name in sorted(imported_names(source, module, is_package)):
        for rule in RULES:
            if _is_within(name, rule.forbidden) and not any(
                _is_within(module, allowed) for allowed in rule.allowed_in
            ):
                violations.append(f"{module} imports {name}: {rule.why}")
        target = layer_of(name)
        if own is None or target is None or target[1] == own[1]:
            continue
        if name == "dbssim":
            continue  # `from dbssim import x` names the package itself; `dbssim.x` is checked
        if target[0] >= own[0]:
            order = " < ".join("/".join(p) for p in LAYERS)
            violations.append(
                f"{module} ({own[1]}) imports {name} ({target[1]}): imports only go "
                f"downward ({order})"
            )
    return violations


def package_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def core_modules() -> list[str]:
    """Everything in dbssim/ except the adapters (ui/, viz/, cli/, __main__.py)."""
    adapters = ("dbssim.ui", "dbssim.viz", "dbssim.cli", "dbssim.__main__")
    names = (module_name(path) for path in package_files())
    return [name for name in names if not any(_is_within(name, a) for a in adapters)]


def test_package_is_found() -> None:
    assert (PACKAGE_DIR / "__init__.py") in package_files(), f"no package at {PACKAGE_DIR}"


@pytest.mark.parametrize("path", package_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_respects_layers(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    violations = find_violations(source, module_name(path), is_package=path.stem == "__init__")
    assert not violations, "layering violations:\n" + "\n".join(violations)


@pytest.mark.parametrize(
    ("module", "is_package", "source"),
    [
        ("dbssim.physics.field", False, "import streamlit as st"),
        ("dbssim.physics.field", False, "import plotly.graph_objects as go"),
        ("dbssim.physics.field", False, "from plotly import express"),
        ("dbssim.physics.field", False, "import kaleido"),
        ("dbssim.physics.field", False, "import importlib\nimportlib.import_module('streamlit')"),
        ("dbssim.physics.field", False, "def f():\n    from ..viz import plot_vta"),
        ("dbssim.physics.field", False, "from .. import viz"),
        ("dbssim.physics.field", False, "from dbssim.patient.anatomy import Atlas"),
        ("dbssim.patient.review", False, "from dbssim.session.scoring import debrief"),
        ("dbssim.session.scoring", False, "from dbssim.store.service import Store"),
        ("dbssim.store.service", False, "from dbssim.report.html import render_report"),
        ("dbssim.report.html", False, "from dbssim.store.service import Store"),
        ("dbssim.viz.lead", False, "from dbssim.ui.state import get"),
        ("dbssim.viz.lead", False, "import streamlit"),
        ("dbssim.cli.main", False, "import plotly"),
        ("dbssim.cli.main", False, "from dbssim.ui import widgets"),
        ("dbssim.units", False, "from dbssim.physics.leads import Lead"),
    ],
)
def test_checker_flags_violation(module: str, is_package: bool, source: str) -> None:
    violations = find_violations(source, module, is_package)
    assert violations, f"expected a violation for {source!r} in {module}, found none"


@pytest.mark.parametrize(
    ("module", "is_package", "source"),
    [
        ("dbssim.physics.field", False, "import numpy as np\nfrom pydantic import BaseModel"),
        ("dbssim.physics.field", False, "from ..units import mm2_to_cm2\nfrom . import leads"),
        ("dbssim.patient.review", False, "from dbssim.physics.program import Setting"),
        ("dbssim.store.service", False, "from dbssim.session.engine import Session"),
        (
            "dbssim.viz.lead",
            False,
            "import plotly.graph_objects as go\nfrom ..physics import field",
        ),
        ("dbssim.ui", True, "import streamlit as st\nfrom . import pages\nfrom .. import viz"),
        ("dbssim.ui.pages.vta", False, "from ...viz import plot_vta\nimport plotly"),
        ("dbssim.cli.main", False, "import argparse\nfrom ..viz import save_figure"),
        ("dbssim", True, "from dbssim.session.engine import Session"),
        ("dbssim.physics.plotly_free", False, "import plotlyish"),
    ],
)
def test_checker_allows_downward_imports(module: str, is_package: bool, source: str) -> None:
    violations = find_violations(source, module, is_package)
    assert not violations, f"unexpected violations for {source!r}: {violations}"


def test_unlisted_module_has_no_layer() -> None:
    assert layer_of("dbssim.newthing") is None, "a module outside LAYERS must be reported"
    assert layer_of("dbssim.physics.field") == (2, "dbssim.physics")


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in (module_name(p) for p in package_files()) if layer_of(m) is None]
    assert unplaced == [], f"modules outside every layer of LAYERS: {unplaced}"


def test_relative_import_resolution() -> None:
    names = imported_names("from ..viz import plot_vta", "dbssim.ui.page")
    assert names == {"dbssim.viz", "dbssim.viz.plot_vta"}, names
    names = imported_names("from . import pages", "dbssim.ui", is_package=True)
    assert names == {"dbssim.ui", "dbssim.ui.pages"}, names
    with pytest.raises(ValueError, match="beyond the top package"):
        imported_names("from ... import x", "dbssim.physics.field")


def _modules_loaded_after_import(modules: list[str]) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {UI_LIBRARIES!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"importing {modules} failed:\n{result.stderr}"
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_import_dbssim_loads_no_ui_library() -> None:
    loaded = _modules_loaded_after_import(["dbssim"])
    assert loaded == [], f"`import dbssim` pulled in UI libraries: {loaded}"


def test_core_modules_load_no_ui_library() -> None:
    modules = core_modules()
    loaded = _modules_loaded_after_import(modules)
    assert loaded == [], f"importing the core {modules} pulled in UI libraries: {loaded}"
