"""Public physics and patient functions document their parameters and results (numpydoc).

ruff's pydocstyle rules (``D``, numpy convention, set in ``pyproject.toml``) check that a
docstring exists and is well formed, but not that it has a ``Parameters`` section when the
function takes arguments, a ``Returns`` (or ``Yields``) section when it returns something, or
that every argument is described. This test reads the source with :mod:`ast` (nothing is
imported) and checks exactly that, for every public top-level function and every public method
of a public class in ``dbssim/physics`` and ``dbssim/patient``.

Properties are left out on purpose: numpydoc documents them like attributes, with a one-line
summary and no ``Returns`` section. ``self``/``cls`` are not parameters a reader passes.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("dbssim/physics", "dbssim/patient")

# Modules whose docstrings are not written yet (e.g. a module still being edited on another
# branch); empty now. Keep this list exact: a file listed here that already passes fails
# ``test_not_yet_done_list_is_exact``, so the list cannot go stale. The same files are exempt
# from ruff's D rules in pyproject.toml; remove them from both places together.
NOT_YET_DONE: frozenset[str] = frozenset()

_SECTION = re.compile(r"^(?P<name>[A-Z][A-Za-z ]+)\n-{3,}$", re.MULTILINE)
_PROPERTY_DECORATORS = {"property", "cached_property", "functools.cached_property"}
_GENERATOR_RETURNS = ("Iterator", "Iterable", "Generator", "AsyncIterator")


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    return {ast.unparse(d).split("(")[0] for d in node.decorator_list}


def _public_functions(
    tree: ast.Module,
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """Yield (qualified name, node, is_method) for each public function and method."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith("_"):
                yield node.name, node, False
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if item.name.startswith("_"):
                    continue
                decorators = _decorator_names(item)
                if decorators & _PROPERTY_DECORATORS or any(
                    d.endswith(".setter") for d in decorators
                ):
                    continue
                yield f"{node.name}.{item.name}", item, True


def _parameter_names(node: ast.FunctionDef | ast.AsyncFunctionDef, is_method: bool) -> list[str]:
    args = node.args
    positional = [a.arg for a in [*args.posonlyargs, *args.args]]
    if is_method and "staticmethod" not in _decorator_names(node) and positional:
        positional = positional[1:]  # self or cls
    names = positional + [a.arg for a in args.kwonlyargs]
    if args.vararg:
        names.append("*" + args.vararg.arg)
    if args.kwarg:
        names.append("**" + args.kwarg.arg)
    return names


def _returns_value(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if node.returns is not None:
        return not (isinstance(node.returns, ast.Constant) and node.returns.value is None)
    # Unannotated: look for a ``return <value>`` in this function (not in nested ones).
    stack: list[ast.AST] = list(node.body)
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Return) and current.value is not None:
            return True
        if not isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(current))
    return False


def _sections(docstring: str) -> dict[str, str]:
    text = inspect.cleandoc(docstring)
    matches = list(_SECTION.finditer(text))
    return {
        m["name"]: text[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        for i, m in enumerate(matches)
    }


def _documented_names(parameters_section: str) -> set[str]:
    """Names in the numpydoc ``name : type`` lines; ``a, b : float`` documents both."""
    names: set[str] = set()
    for line in parameters_section.splitlines():
        if not line or line[0].isspace():
            continue
        for name in line.split(" : ")[0].split(","):
            names.add(name.strip())
    return names


def problems_in_source(source: str) -> list[str]:
    """Every missing Parameters/Returns section or undocumented argument in one module."""
    found = []
    for name, node, is_method in _public_functions(ast.parse(source)):
        docstring = ast.get_docstring(node, clean=False)
        if docstring is None:
            found.append(f"{name}: no docstring")
            continue
        sections = _sections(docstring)
        parameters = _parameter_names(node, is_method)
        if parameters:
            if "Parameters" not in sections:
                found.append(f"{name}: takes {', '.join(parameters)} but has no Parameters")
            else:
                missing = [
                    p
                    for p in parameters
                    if p not in _documented_names(sections["Parameters"])
                    and p.lstrip("*") not in _documented_names(sections["Parameters"])
                ]
                if missing:
                    found.append(f"{name}: Parameters does not describe {', '.join(missing)}")
        if _returns_value(node):
            annotation = ast.unparse(node.returns) if node.returns is not None else ""
            wanted = "Yields" if annotation.startswith(_GENERATOR_RETURNS) else "Returns"
            if wanted not in sections:
                found.append(f"{name}: returns {annotation or 'a value'} but has no {wanted}")
    return found


def _module_paths() -> list[str]:
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).glob("*.py")
    )


@pytest.mark.parametrize("module", [m for m in _module_paths() if m not in NOT_YET_DONE])
def test_public_functions_have_parameters_and_returns(module: str) -> None:
    problems = problems_in_source((ROOT / module).read_text(encoding="utf-8"))
    assert not problems, f"{module}:\n  " + "\n  ".join(problems)


def test_not_yet_done_list_is_exact() -> None:
    modules = set(_module_paths())
    gone = sorted(NOT_YET_DONE - modules)
    assert not gone, f"NOT_YET_DONE lists files that do not exist: {gone}"
    finished = sorted(
        m for m in NOT_YET_DONE if not problems_in_source((ROOT / m).read_text(encoding="utf-8"))
    )
    assert not finished, f"these pass now; remove them from NOT_YET_DONE and pyproject: {finished}"


# --- the checker itself must be able to fail ----------------------------------------------

_BAD = '''
def distance_mm(a_mm: float, b_mm: float) -> float:
    """Distance between two points."""
    return abs(a_mm - b_mm)


def half(x):
    """Half of x.

    Parameters
    ----------
    x : float
        A number.
    """
    return x / 2


class Lead:
    def area_mm2(self, level: int) -> float:
        """Area of one level.

        Parameters
        ----------
        levels : int
            Misspelt on purpose.

        Returns
        -------
        float
            Area, mm².
        """
        return 1.0

    @property
    def n_levels(self) -> int:
        """Number of levels (a property: no sections needed)."""
        return 4

    def _private(self, x: int) -> int:
        return x
'''

_GOOD = '''
def distance_mm(a_mm: float, b_mm: float, *, squared: bool = False) -> float:
    """Distance between two points on a line.

    Parameters
    ----------
    a_mm, b_mm : float
        Positions, mm.
    squared : bool
        Return the square instead.

    Returns
    -------
    float
        Distance, mm (mm² if ``squared``).
    """
    d = abs(a_mm - b_mm)
    return d * d if squared else d


def reset() -> None:
    """Do nothing, with no arguments: no sections needed."""
'''


def test_checker_flags_missing_sections_and_arguments() -> None:
    problems = problems_in_source(_BAD)
    assert problems == [
        "distance_mm: takes a_mm, b_mm but has no Parameters",
        "distance_mm: returns float but has no Returns",
        "half: returns a value but has no Returns",
        "Lead.area_mm2: Parameters does not describe level",
    ], problems


def test_checker_accepts_complete_docstrings() -> None:
    assert problems_in_source(_GOOD) == []
