"""nbconvert exporters: self-contained HTML for sharing, and PDF through the system's Chromium.

The exporters are nbconvert's HTML and WebPDF exporters configured from nbbuild's configuration
(nbbuild.config: the template folders, the preprocessors and any other traitlets setting), so
the project's templates and cells are found by name at run time. ``ChromiumPDFExporter`` prints
with the system Chromium (nbbuild.printer) and is registered as the nbconvert exporter
``chromiumpdf``:

    jupyter nbconvert --to chromiumpdf --no-input --no-prompt notebook.ipynb

``python -m nbbuild.export`` exports executed notebooks to HTML and PDF in one process, with
one browser for all the PDFs it makes; the build's export step does the same.

A ``<meta http-equiv=refresh>`` in a notebook's output would send a reader's browser, or the
printer even with JavaScript off, to another page: the exports leave such elements out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nbbuild.startup import skip_slow_optional_imports

skip_slow_optional_imports()  # before nbformat: see nbbuild.startup

import nbformat  # noqa: E402
from nbconvert.exporters import HTMLExporter, WebPDFExporter  # noqa: E402
from traitlets import Bool, Unicode, default  # noqa: E402

from nbbuild import config  # noqa: E402
from nbbuild.files import write_bytes_atomically  # noqa: E402
from nbbuild.printer import (  # noqa: E402, F401  (CHROMIUM_ARGS, find_chromium: for the tests)
    CHROMIUM_ARGS,
    ChromiumNotFoundError,
    ChromiumPrinter,
    PrinterError,
    find_chromium,
    render_pdfs,
    without_refresh,
)


def _configured(kwargs: dict) -> dict:
    """The exporter's keyword arguments with nbbuild's configuration under the caller's."""
    settings = config.settings().nbconvert_config()
    if kwargs.get("config") is not None:
        settings.merge(kwargs["config"])
    return {**kwargs, "config": settings}


class ShareableHTMLExporter(HTMLExporter):
    """HTML that opens anywhere with the network off: figures embedded, no meta refresh."""

    export_from_notebook = "Self-contained HTML"

    def __init__(self, **kwargs):
        super().__init__(**_configured(kwargs))

    @default("embed_images")
    def _embed_images_default(self):
        return True

    def from_notebook_node(self, nb, resources=None, **kw):
        body, resources = super().from_notebook_node(nb, resources, **kw)
        return without_refresh(body), resources


class PDFPageExporter(ShareableHTMLExporter):
    """The HTML page that Chromium prints (its template and preprocessors set in the configuration)."""


class ChromiumPDFExporter(WebPDFExporter):
    """nbconvert's WebPDF exporter, printing with the system Chromium."""

    export_from_notebook = "PDF via system Chromium"

    chromium_executable = Unicode("", help="Chromium to print with; empty: $CHROMIUM, then chromium on PATH.").tag(
        config=True
    )
    embed_images = Bool(True, help="Embed images referenced by markdown cells.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**_configured(kwargs))

    def run_playwright(self, html):
        return render_pdfs([without_refresh(html)], self.chromium_executable or None)[0]


def export_notebooks(notebooks: list[Path], html_dir: Path | None, pdf_dir: Path | None, printer=None) -> list[Path]:
    """HTML (code shown) and PDF (code and prompts hidden) for each executed notebook, written
    atomically; all PDFs are printed by one browser (``printer``'s, else one started for them),
    which prints while the HTML is made."""
    import concurrent.futures

    read = [(path, nbformat.read(path, as_version=4)) for path in notebooks]
    written: list[Path] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-print") as pool:
        printing = None
        if pdf_dir is not None:
            exporter = PDFPageExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
            pages = [exporter.from_notebook_node(notebook)[0] for _, notebook in read]
            printing = pool.submit(printer.print_pages if printer else render_pdfs, pages)
        if html_dir is not None:
            exporter = ShareableHTMLExporter()
            for path, notebook in read:
                body, _ = exporter.from_notebook_node(notebook)
                target = html_dir / f"{path.stem}.html"
                write_bytes_atomically(body.encode("utf-8"), target)
                written.append(target)
        if printing is not None:
            for (path, _), data in zip(read, printing.result(), strict=True):
                target = pdf_dir / f"{path.stem}.pdf"
                write_bytes_atomically(data, target)
                written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nbbuild.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="executed notebooks")
    parser.add_argument("--html-dir", type=Path, help="write <name>.html here (code shown)")
    parser.add_argument("--pdf-dir", type=Path, help="write <name>.pdf here (code and prompts hidden)")
    args = parser.parse_args(argv)
    if not args.html_dir and not args.pdf_dir:
        parser.error("give --html-dir, --pdf-dir or both")
    try:
        export_notebooks(args.notebooks, args.html_dir, args.pdf_dir)
    except (PrinterError, config.ConfigError) as error:
        print(f"export: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"export: cannot write {error.filename or 'an output'}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
