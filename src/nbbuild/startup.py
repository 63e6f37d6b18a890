"""Start-up time of the build's command-line steps (notebook execution and export).

jsonschema, which nbformat imports, loads the optional package rfc3987-syntax when it is present
(jupyter-events pulls it in) and that compiles a grammar at import: about 1.1 s for every
process. The notebook schema validates no IRI formats, so the build's entry points tell Python
the package is absent before nbformat is imported. Nothing else changes.
"""

from __future__ import annotations

import sys

SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make ``import rfc3987_syntax`` raise ImportError in this process (if not imported yet)."""
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)
