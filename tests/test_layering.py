"""Imports only go downward through the layers (STYLE.md, Architecture 1).

core (numpy, pydantic) → adapters: ``dbssim/viz.py`` (Plotly), ``dbssim/ui/`` (Streamlit),
``dbssim/cli.py``. Imports are read with :mod:`ast`, so a module is checked without being
imported; two subprocess tests then check what importing really pulls in.
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


@dataclass(frozen=True)
class Rule:
    """``forbidden`` may be imported only by modules inside one of ``allowed_in``."""

    forbidden: str
    allowed_in: tuple[str, ...]
    why: str


RULES = (
    Rule("streamlit", ("dbssim.ui",), "only dbssim/ui/ talks to Streamlit"),
    Rule("plotly", ("dbssim.viz", "dbssim.ui"), "only dbssim/viz.py and dbssim/ui/ make figures"),
    # kaleido is Plotly's static-image engine: it follows Plotly.
    Rule("kaleido", ("dbssim.viz", "dbssim.ui"), "only dbssim/viz.py and dbssim/ui/ make images"),
    Rule("dbssim.ui", ("dbssim.ui",), "nothing outside the UI may import the UI"),
    # __main__ is only the `python -m dbssim` shim around the CLI.
    Rule("dbssim.cli", ("dbssim.cli", "dbssim.__main__"), "the CLI is an entry point"),
    Rule("dbssim.viz", ("dbssim.viz", "dbssim.ui", "dbssim.cli"), "the core never plots"),
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


def find_violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Layering violations of one module's source, one readable line each."""
    violations = []
    for name in sorted(imported_names(source, module, is_package)):
        for rule in RULES:
            if not _is_within(name, rule.forbidden):
                continue
            if any(_is_within(module, allowed) for allowed in rule.allowed_in):
                continue
            violations.append(f"{module} imports {name}: {rule.why}")
    return violations


def package_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def core_modules() -> list[str]:
    """Everything in dbssim/ except the adapters (ui/, viz.py, cli.py, __main__.py)."""
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
        ("dbssim.field", False, "import streamlit as st"),
        ("dbssim.field", False, "import plotly.graph_objects as go"),
        ("dbssim.field", False, "from plotly import express"),
        ("dbssim.field", False, "import kaleido"),
        ("dbssim.field", False, "import importlib\nimportlib.import_module('streamlit')"),
        ("dbssim.field", False, "def f():\n    from .viz import plot_vta"),
        ("dbssim.field", False, "from . import viz"),
        ("dbssim", True, "from .ui import main"),
        ("dbssim.safety.limits", False, "from ..viz import plot_limits"),
        ("dbssim.viz", False, "import streamlit"),
        ("dbssim.viz", False, "from dbssim.ui import page"),
        ("dbssim.cli", False, "import plotly"),
        ("dbssim.cli", False, "import streamlit"),
    ],
)
def test_checker_flags_violation(module: str, is_package: bool, source: str) -> None:
    violations = find_violations(source, module, is_package)
    assert violations, f"expected a violation for {source!r} in {module}, found none"


@pytest.mark.parametrize(
    ("module", "is_package", "source"),
    [
        ("dbssim.field", False, "import numpy as np\nfrom pydantic import BaseModel"),
        ("dbssim.field", False, "from .units import mm_to_m\nfrom dbssim import leads"),
        ("dbssim.viz", False, "import plotly.graph_objects as go\nfrom .field import compute"),
        ("dbssim.ui", True, "import streamlit as st\nfrom . import pages\nfrom .. import viz"),
        ("dbssim.ui.pages.vta", False, "from ...viz import plot_vta\nimport plotly"),
        ("dbssim.cli", False, "import argparse\nfrom .viz import save_figure"),
        ("dbssim.plotly_free", False, "import plotlyish"),
    ],
)
def test_checker_allows_downward_imports(module: str, is_package: bool, source: str) -> None:
    violations = find_violations(source, module, is_package)
    assert not violations, f"unexpected violations for {source!r}: {violations}"


def test_relative_import_resolution() -> None:
    names = imported_names("from ..viz import plot_vta", "dbssim.ui.page")
    assert names == {"dbssim.viz", "dbssim.viz.plot_vta"}, names
    names = imported_names("from . import pages", "dbssim.ui", is_package=True)
    assert names == {"dbssim.ui", "dbssim.ui.pages"}, names
    with pytest.raises(ValueError, match="beyond the top package"):
        imported_names("from ... import x", "dbssim.field")


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
