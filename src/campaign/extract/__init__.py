"""Extract a report's printed figures with their provenance, for review and for writing into data/raw."""

from .extraction import ExtractedFigure, Extraction, Extractor

__all__ = ["ExtractedFigure", "Extraction", "Extractor"]
