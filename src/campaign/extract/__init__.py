"""Extract a report's printed figures with their provenance, for review and for writing into data/raw."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extraction import ExtractedFigure, Extraction, Extractor

__all__ = ["ExtractedFigure", "Extraction", "Extractor"]


def __getattr__(name: str):
    # Loaded on first use, so that `python -m campaign run-id` (which make calls) stays light.
    if name in __all__:
        from . import extraction

        return getattr(extraction, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
