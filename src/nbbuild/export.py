"""nbconvert exporters: self-contained HTML for sharing, and PDF through the system's Chromium.

nbconvert's own WebPDF exporter only finds a browser that playwright downloaded, which cannot be
fetched on a machine without internet access. ``ChromiumPDFExporter`` builds on it and launches
the Chromium the system has (``/usr/bin/chromium`` on Debian) through playwright's
``executable_path``. It is registered as the nbconvert exporter ``chromiumpdf``:

    jupyter nbconvert --to chromiumpdf --no-input --no-prompt notebook.ipynb

``python -m nbbuild.export`` exports executed notebooks to HTML and PDF in one process, with
one browser for all the PDFs it makes.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from nbbuild.startup import skip_slow_optional_imports

skip_slow_optional_imports()  # before nbformat: see nbbuild.startup

import nbformat  # noqa: E402
from nbconvert.exporters import HTMLExporter, WebPDFExporter  # noqa: E402
from traitlets import Bool, Unicode, default  # noqa: E402

from campaign.core.files import write_bytes_atomically  # noqa: E402
from campaign.view.cells import RunLanguagePreprocessor  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent / "templates"

# As root Chromium needs --no-sandbox; the other flags stop it from calling out to the network
# and from keeping crash reports.
CHROMIUM_ARGS = [
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class ChromiumNotFoundError(RuntimeError):
    pass


def find_chromium(explicit: str | None = None) -> str:
    """The browser to print with: ``explicit``, then $CHROMIUM, then chromium on PATH.

    A browser named explicitly or by $CHROMIUM must exist: a wrong path is an error, not a
    reason to print with another browser.
    """
    for source, candidate in (("given", explicit), ("$CHROMIUM", os.environ.get("CHROMIUM"))):
        if candidate:
            found = shutil.which(candidate)  # a name on PATH or a path to an executable file
            if not found:
                raise ChromiumNotFoundError(
                    f"the Chromium {source} ({candidate!r}) is not an executable file; "
                    "correct it, or unset it to use chromium from PATH"
                )
            return found
    for candidate in CHROMIUM_NAMES:
        found = shutil.which(candidate)
        if found:
            return found
    raise ChromiumNotFoundError(
        "no Chromium found for PDF export (looked for $CHROMIUM and " + ", ".join(CHROMIUM_NAMES) + "); "
        "install it with 'apt-get install chromium' or run 'make setup' as root"
    )


def _private_environment(home: Path) -> dict[str, str]:
    """The browser's environment with a throwaway home: Chromium writes crash-report settings to
    ~/.config/chromium and a dconf cache to ~/.cache even with a temporary profile."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return env


def drop_trailing_blank_pages(pdf: bytes) -> bytes:
    """The PDF without the empty pages Chromium leaves at the end when content fills the last page
    exactly (no text, no images); unchanged when there are none."""
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    keep = len(reader.pages)
    while keep > 1:
        page = reader.pages[keep - 1]
        resources = page.get("/Resources") or {}
        if page.extract_text().strip() or "/XObject" in resources:
            break
        keep -= 1
    if keep == len(reader.pages):
        return pdf
    writer = PdfWriter()
    for page in reader.pages[:keep]:
        writer.add_page(page)
    # the document's metadata without its dates, so that the rewritten file is reproducible
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if k not in ("/CreationDate", "/ModDate")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def _block_network(route) -> None:
    """Let the page load only what it carries (data: URIs); everything else is refused at once."""
    if route.request.url.startswith(("data:", "about:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


class ChromiumPrinter:
    """One headless Chromium that prints HTML documents to A4 PDFs, several at once, until closed.

    The pages are data: they are printed with JavaScript disabled and the network blocked, by a
    browser with a temporary profile and home of its own that are deleted when the printer closes.
    Playwright runs in a thread of its own (its objects belong to one thread, and it refuses to
    run inside another asyncio loop, as in Jupyter); ``print_pages`` may be called from any thread.
    The browser starts in the background as soon as the printer is made.
    """

    def __init__(self, executable: str | None = None):
        self.chromium = find_chromium(executable)
        self._home = tempfile.TemporaryDirectory(prefix="campaign-chromium-")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="chromium-printer", daemon=True)
        self._thread.start()
        self._playwright = self._browser = self._context = None
        self._idle: list = []  # tabs that have printed and may print again
        self._started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self.chromium,
            args=CHROMIUM_ARGS,
            env=_private_environment(Path(self._home.name)),
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
        )
        self._context = await self._browser.new_context(java_script_enabled=False)

    async def _print(self, html: str) -> bytes:
        # A tab prints one document after another (each replaces the last; the PDFs are the same
        # bytes as from a new tab), which halves Chromium's work: a new tab is a new renderer
        # process that loads the fonts again. Pages printed at the same time get tabs of their own.
        if self._idle:
            page = self._idle.pop()
        else:
            page = await self._context.new_page()
            await page.route("**/*", _block_network)
            await page.emulate_media(media="print")
        try:
            await page.set_content(html, wait_until="load")
            await page.evaluate("document.fonts.ready")  # the page's own scripts stay off
            # the template's @page owns the page size and margins
            printed = drop_trailing_blank_pages(await page.pdf(print_background=True, prefer_css_page_size=True))
        except BaseException:
            await page.close()
            raise
        self._idle.append(page)
        return printed

    def print_pages(self, pages: list[str]) -> list[bytes]:
        self._started.result()
        printing = [asyncio.run_coroutine_threadsafe(self._print(html), self._loop) for html in pages]
        return [future.result() for future in printing]

    async def _stop(self) -> None:
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            if self._playwright is not None:
                await self._playwright.stop()

    def close(self) -> None:
        if self._loop.is_closed():
            return
        try:
            concurrent.futures.wait([self._started], timeout=60)
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=60)
            self._loop.close()
            self._home.cleanup()

    def __enter__(self) -> ChromiumPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_pdfs(pages: list[str], executable: str | None = None) -> list[bytes]:
    """Print HTML documents to A4 PDFs with one headless Chromium for all of them (see ChromiumPrinter)."""
    with ChromiumPrinter(executable) as printer:
        return printer.print_pages(pages)


class _ProjectTemplates(HTMLExporter):
    """Finds the project's templates (src/nbbuild/templates) beside nbconvert's own, and keeps
    only the run's language cells (see campaign.view.cells)."""

    for_pdf = False  # PDFs also drop the cells tagged pdf-hide

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_preprocessor(RunLanguagePreprocessor(drop_pdf_hidden=self.for_pdf), enabled=True)

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    @default("extra_template_paths")
    def _extra_template_paths_default(self):
        return [str(TEMPLATES)]


class ShareableHTMLExporter(_ProjectTemplates):
    """HTML that opens anywhere with the network off: figures embedded, no remote scripts."""

    export_from_notebook = "Self-contained HTML"

    @default("template_name")
    def _template_name_default(self):
        return "campaign_html"

    @default("embed_images")
    def _embed_images_default(self):
        return True


class PDFPageExporter(ShareableHTMLExporter):
    """The HTML page that Chromium prints: the PDF layout, without the cells hidden from PDFs."""

    for_pdf = True


class ChromiumPDFExporter(WebPDFExporter, _ProjectTemplates):
    """nbconvert's WebPDF exporter, printing with the system Chromium on A4 pages."""

    for_pdf = True

    export_from_notebook = "PDF via system Chromium"

    chromium_executable = Unicode("", help="Chromium to print with; empty: $CHROMIUM, then chromium on PATH.").tag(
        config=True
    )
    embed_images = Bool(True, help="Embed images referenced by markdown cells.").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "campaign_pdf"

    def run_playwright(self, html):
        return render_pdfs([html], self.chromium_executable or None)[0]


def export_notebooks(
    notebooks: list[Path], html_dir: Path | None, pdf_dir: Path | None, printer: ChromiumPrinter | None = None
) -> list[Path]:
    """HTML (code shown) and PDF (code and prompts hidden) for each executed notebook, written
    atomically; all PDFs are printed by one browser (``printer``'s, else one started for them)."""
    written: list[Path] = []
    html_exporter = ShareableHTMLExporter()
    pdf_page_exporter = PDFPageExporter(
        template_name="campaign_pdf", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    pages, pdf_paths = [], []
    for notebook_path in notebooks:
        notebook = nbformat.read(notebook_path, as_version=4)
        if html_dir is not None:
            body, _ = html_exporter.from_notebook_node(notebook)
            target = html_dir / f"{notebook_path.stem}.html"
            write_bytes_atomically(body.encode("utf-8"), target)
            written.append(target)
        if pdf_dir is not None:
            body, _ = pdf_page_exporter.from_notebook_node(notebook)
            pages.append(body)
            pdf_paths.append(pdf_dir / f"{notebook_path.stem}.pdf")
    printed = (printer.print_pages(pages) if printer else render_pdfs(pages)) if pages else []
    for target, data in zip(pdf_paths, printed, strict=True):
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
    except ChromiumNotFoundError as error:
        print(f"export: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
