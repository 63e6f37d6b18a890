"""One headless system Chromium, driven by playwright, that prints HTML documents to A4 PDFs.

nbconvert's own WebPDF exporter only finds a browser that playwright downloaded, which cannot be
fetched on a machine without internet access; this one launches the Chromium the system has
(``/usr/bin/chromium`` on Debian) through playwright's ``executable_path``.

The pages are data: they are printed with JavaScript disabled, the network blocked, and every
navigation away from the page refused (a ``<meta http-equiv=refresh>`` navigates even without
JavaScript: such elements are left out of the page, and a page that navigates all the same is an
error, never a PDF of another page). The browser has a
temporary profile and home of its own, deleted when the printer closes. A browser that does not
answer in time, or dies, is a ``PrinterError`` that says so in one line.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import os
import shutil
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path

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


class PrinterError(RuntimeError):
    """The browser could not print: one line that says why."""


class ChromiumNotFoundError(PrinterError):
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
        XDG_RUNTIME_DIR=str(home / ".run"),
    )
    return env


def drop_trailing_blank_pages(pdf: bytes) -> bytes:
    """The PDF without the empty pages Chromium leaves at the end when content fills the last page
    exactly (no text, no images); unchanged when there are none."""
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


class _Refreshes(HTMLParser):
    """The spans of ``<meta http-equiv="refresh">`` start tags in a document, as a browser reads them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        starts, index = [0], text.find("\n")
        while index != -1:  # the parser counts lines by "\n" alone
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        self.starts, self.spans = starts, []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "meta" and any(k == "http-equiv" and (v or "").strip().lower() == "refresh" for k, v in attrs):
            line, column = self.getpos()
            start = self.starts[line - 1] + column
            self.spans.append((start, start + len(self.get_starttag_text())))

    handle_startendtag = handle_starttag


def without_refresh(html: str) -> str:
    """``html`` without its ``<meta http-equiv=refresh>`` elements (nothing else changes)."""
    spans = _Refreshes(html).spans
    for start, end in reversed(spans):
        html = html[:start] + html[end:]
    return html


async def _block_network(route) -> None:
    """Let the page load only what it carries (data: URIs); everything else, and any navigation,
    is refused at once."""
    request = route.request
    if request.url.startswith(("data:", "blob:")) and not request.is_navigation_request():
        await route.continue_()
    else:
        await route.abort()


class ChromiumPrinter:
    """One headless Chromium that prints HTML documents to A4 PDFs, several at once, until closed.

    Playwright runs in a thread of its own (its objects belong to one thread, and it refuses to
    run inside another asyncio loop, as in Jupyter); ``print_pages`` may be called from any thread.
    The browser starts in the background as soon as the printer is made.
    """

    def __init__(self, executable: str | None = None, timeout: float | None = None):
        from nbbuild.config import settings

        self.chromium = find_chromium(executable)
        self.timeout = settings().print_timeout if timeout is None else timeout  # seconds: to start, to print a page
        self._home = tempfile.TemporaryDirectory(prefix="nbbuild-chromium-")
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
            timeout=self.timeout * 1000,
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
        )
        self._context = await self._browser.new_context(java_script_enabled=False)

    async def _print(self, html: str) -> bytes:
        from playwright.async_api import Error as PlaywrightError

        # A tab prints one document after another (each replaces the last; the PDFs are the same
        # bytes as from a new tab), which halves Chromium's work: a new tab is a new renderer
        # process that loads the fonts again. Pages printed at the same time get tabs of their own.
        if self._idle:
            page = self._idle.pop()
        else:
            page = await self._context.new_page()
            await page.route("**/*", _block_network)
            await page.emulate_media(media="print")
        navigated = []

        def on_navigation(frame) -> None:
            if frame == page.main_frame:
                navigated.append(frame.url)

        try:
            await page.set_content(without_refresh(html), wait_until="load", timeout=self.timeout * 1000)
            page.on("framenavigated", on_navigation)  # from now on, any navigation is the page's own
            try:
                await page.evaluate("document.fonts.ready")  # the page's own scripts stay off
                # the template's @page owns the page size and margins
                printed = await page.pdf(print_background=True, prefer_css_page_size=True)
            except PlaywrightError as error:
                if navigated or "navigat" in str(error):
                    raise PrinterError("the page tried to navigate away while it was printed") from None
                raise
            if navigated:
                raise PrinterError(f"the page navigated away while it was printed (to {navigated[0][:80]!r})")
            printed = drop_trailing_blank_pages(printed)
        except BaseException:
            await page.close()
            raise
        page.remove_listener("framenavigated", on_navigation)
        self._idle.append(page)
        return printed

    def _result(self, future: concurrent.futures.Future, doing: str):
        """The future's result, or a PrinterError of one line if the browser hangs or fails."""
        from playwright.async_api import Error as PlaywrightError

        try:
            return future.result(timeout=self.timeout + 5)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise PrinterError(f"Chromium ({self.chromium}) did not {doing} within {self.timeout:.0f} s") from None
        except PlaywrightError as error:
            first = (str(error).strip().splitlines() or ["no message"])[0]
            timed_out = type(error).__name__ == "TimeoutError"
            what = f"did not {doing} within {self.timeout:.0f} s" if timed_out else f"failed to {doing}: {first}"
            raise PrinterError(f"Chromium ({self.chromium}) {what}") from None

    def print_pages(self, pages: list[str]) -> list[bytes]:
        self._result(self._started, "start")
        printing = [asyncio.run_coroutine_threadsafe(self._print(html), self._loop) for html in pages]
        return [self._result(future, "print a page") for future in printing]

    async def _stop(self) -> None:
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            if self._playwright is not None:
                await self._playwright.stop()  # ends playwright's driver, and a browser left with it

    def close(self) -> None:
        if self._loop.is_closed():
            return
        try:
            concurrent.futures.wait([self._started], timeout=self.timeout)
            stopping = asyncio.run_coroutine_threadsafe(self._stop(), self._loop)
            concurrent.futures.wait([stopping], timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            if not self._thread.is_alive():
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
