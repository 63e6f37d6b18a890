"""nbconvert preprocessors: the run's language, empty sections and PDF-hidden cells left out; the reader's page.

Notebooks carry their static headings and questions as Markdown cells, one per language, tagged
``lang-en``, ``lang-zh``... An export keeps only the run's language (from the parameters papermill
recorded). A heading cell tagged ``section`` is dropped when the code cell after it showed nothing,
so a run shows only the sections it has data for (the code cell stays). Cells tagged ``working``
(the tables and computations an analyst works from in JupyterLab) are left out of PDFs; in the
shared HTML their Markdown goes and their code cells fold whole (the HTML template).
"""

from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Enum

from campaign.core.settings import DEFAULT_LANG


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


class RunLanguagePreprocessor(Preprocessor):
    working = Enum(
        ["keep", "fold", "drop"],
        "keep",
        help="Cells tagged working: keep them, fold them (drop their Markdown, keep their code for the "
        "HTML template to fold) or drop them (PDF exports).",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        lang = nb.metadata.get("papermill", {}).get("parameters", {}).get("lang") or DEFAULT_LANG
        kept, headings = [], []
        for cell in nb.cells:
            tags = _tags(cell)
            if any(t.startswith("lang-") and t != f"lang-{lang}" for t in tags):
                continue
            if "working" in tags and (
                self.working == "drop" or (self.working == "fold" and cell.cell_type == "markdown")
            ):
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


_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")
_EMPHASIS = re.compile(r"(?<!\\)[*`]")
# JupyterLab conveniences that mean nothing to a reader (autoreload picks up edits to the package).
_LAB_ONLY = re.compile(r"^\s*%(load_ext\s+autoreload|autoreload)\b.*$\n?", re.MULTILINE)


def _heading_text(markdown: str) -> str | None:
    """The text of the first level-1 heading of ``markdown``, without its markup (None if none)."""
    match = _HEADING.search(markdown)
    if not match:
        return None
    plain = _MARKDOWN_ESCAPE.sub(r"\1", _EMPHASIS.sub("", match[1]))
    return html.unescape(plain).strip() or None


def report_title(nb) -> str | None:
    """The report's title: the first level-1 heading a code cell showed (a run's own title, such
    as the summary's), else the first level-1 heading of a Markdown cell."""
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            heading = _heading_text(str(output.get("data", {}).get("text/markdown", "")))
            if heading:
                return heading
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (heading := _heading_text(cell.source)):
            return heading
    return None


class ReaderPagePreprocessor(Preprocessor):
    """The page as a reader gets it (run after RunLanguagePreprocessor):

    - titled with the report's title (``report_title``), which the templates put in ``<title>``
      and Chromium in the PDF's metadata, instead of nbconvert's "Notebook";
    - one parameters cell: where papermill injected the run's values (a cell tagged
      ``injected-parameters``), the notebook's defaults (tagged ``parameters``) are left out;
    - no JupyterLab-only lines (``%load_ext autoreload``, ``%autoreload``) in the code shown;
    - the labels of folded code and of folded working cells (tagged ``working``) in the run's
      language (``nb.metadata.fold_label``, ``nb.metadata.working_label``, which the HTML template
      reads).
    """

    def preprocess(self, nb, resources):
        from campaign.view.text.catalogue import Text

        lang = nb.metadata.get("papermill", {}).get("parameters", {}).get("lang") or DEFAULT_LANG
        text = Text(lang)
        title = report_title(nb)
        if title:
            nb.metadata["title"] = title
        nb.metadata["fold_label"] = text.plain("page.code")
        nb.metadata["working_label"] = text.plain("page.working")
        resources["language_code"] = lang  # the page's <html lang> (nbconvert's template reads it)
        injected = any("injected-parameters" in _tags(c) for c in nb.cells)
        kept = []
        for cell in nb.cells:
            if injected and "parameters" in _tags(cell):
                continue
            if cell.cell_type == "code":
                cell.source = _LAB_ONLY.sub("", cell.source).lstrip("\n")
            kept.append(cell)
        nb.cells = kept
        return nb, resources
