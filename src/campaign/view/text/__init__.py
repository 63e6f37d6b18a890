"""Reader-facing words: one catalogue of Jinja2 templates per language, rendered at this one edge.

``campaign/core/languages.yml`` lists the languages: each names its catalogue (``text/<code>.yml``), the
number style it writes (``numbers``) and which register names it reads (``names``: the English
or the Chinese column). A language is one catalogue plus one entry there; no analysis module
knows which languages exist.

Values from the data (names, notes, printed figures) are untrusted: ``Text.__call__`` renders
Markdown and escapes every value it inserts, so data-borne text can neither inject HTML nor
Markdown links or images; ``Text.plain`` renders for places that escape on their own (tables
rendered by a Styler with ``escape="html"``, figures drawn with math text switched off).
"""

from __future__ import annotations

from pathlib import Path

TEXT_DIR = Path(__file__).resolve().parent
