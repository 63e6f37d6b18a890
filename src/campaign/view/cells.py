"""nbconvert preprocessor: keep the run's language, drop empty sections, and cells hidden from PDFs.

Notebooks carry their static headings and questions as Markdown cells, one per language, tagged
``lang-en``, ``lang-zh``... An export keeps only the run's language (from the parameters papermill
recorded). A heading cell tagged ``section`` is dropped when the code cell after it showed nothing,
so a run shows only the sections it has data for (the code cell stays). Cells tagged ``pdf-hide`` are left out of PDFs.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from campaign.core.settings import DEFAULT_LANG


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


class RunLanguagePreprocessor(Preprocessor):
    drop_pdf_hidden = Bool(False, help="Also drop cells tagged pdf-hide (for PDF exports).").tag(config=True)

    def preprocess(self, nb, resources):
        lang = nb.metadata.get("papermill", {}).get("parameters", {}).get("lang") or DEFAULT_LANG
        kept, headings = [], []
        for cell in nb.cells:
            tags = _tags(cell)
            if any(t.startswith("lang-") and t != f"lang-{lang}" for t in tags):
                continue
            if self.drop_pdf_hidden and "pdf-hide" in tags:
                continue
            if cell.cell_type == "markdown" and "section" in tags:
                headings.append(cell)
                continue
            if cell.cell_type == "code" and not cell.get("outputs"):
                headings = []  # the section has nothing to show in this run: its heading goes
            kept.extend(headings)
            headings = []
            kept.append(cell)
        nb.cells = kept
        return nb, resources
