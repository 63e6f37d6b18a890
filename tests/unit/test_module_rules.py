"""The package's own rules for its modules: each stays under about 300 lines, none is named like
a standard-library module or IPython's `display`, and none reaches into another project's private
attributes (papermill, nbclient, nbconvert, jupyter_client, matplotlib, atexit, pytest)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
MAX_LINES = 300
TAKEN_NAMES = set(sys.stdlib_module_names) | {"display"}
# The projects whose internals the package must not use: an attribute starting with one "_" (not a
# dunder) of any of their modules, whether imported as a module or reached from one.
OTHER_PROJECTS = ("papermill", "nbclient", "nbconvert", "jupyter_client", "matplotlib", "atexit", "pytest", "_pytest")


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def private_uses(source: str) -> list[str]:
    """'line N: name._attr' for each private attribute of OTHER_PROJECTS the source reaches:
    through a name bound by `import x` / `import x.y as z` / `from x import y` (y a module or an
    object of x), or `from x import _y`."""
    tree = ast.parse(source)
    bound: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in OTHER_PROJECTS:
                    bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in OTHER_PROJECTS:
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                bound.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in bound:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_is_longer_than_about_300_lines():
    long = {str(p.relative_to(SRC)): n for p in modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"split these by responsibility: {long}"


def test_no_module_is_named_like_a_standard_library_module_or_ipythons_display():
    clashing = {str(p.relative_to(SRC)) for p in modules() if p.stem in TAKEN_NAMES}
    assert clashing == set()


def test_the_package_uses_no_private_attribute_of_another_project():
    found = {str(p.relative_to(SRC)): uses for p in modules() if (uses := private_uses(p.read_text()))}
    assert found == {}


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ("import papermill.engines\npapermill.engines.papermill_engines._engines", True),
        ("from papermill.engines import papermill_engines\npapermill_engines._engines", True),
        ("import matplotlib.pyplot as plt\nplt._backend_mod", True),
        ("import atexit\natexit._run_exitfuncs()", True),
        ("from jupyter_client.manager import AsyncKernelManager\nAsyncKernelManager._async_interrupt_kernel", True),
        ("from nbclient import _something", True),
        ("import pytest\ndef f(config): return config._tmp_path_factory", False),  # not reached from pytest
        ("import pytest\npytest.Config._tmp_path_factory", True),
        ("import os\nos._exit(0)", False),  # os is not among them
        ("import matplotlib\nmatplotlib.__version__", False),
    ],
)
def test_the_search_finds_what_it_is_for(line, caught):
    assert bool(private_uses(line)) is caught
