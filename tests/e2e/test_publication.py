"""End to end: the built reports look like publications (the session's build, `built`): titled,
pages numbered and filled, figures and tables numbered in page order, links that work, one font
family, and HTML fit to share."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import RUN_EN, RUN_ZH, RUNS
from PIL import Image

pytestmark = pytest.mark.e2e

# The PDF template's @page margins (src/nbbuild/templates/campaign_pdf), in mm of A4's 297.
TOP_MM, BOTTOM_MM, PAGE_MM = 14, 16, 297


def pdfs(built, runs=RUNS) -> list[Path]:
    return sorted(p for run in runs for p in built.path("reports", "pdf", run).glob("*.pdf"))


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def page_fill(pdf: Path) -> list[float]:
    """Per page, how far down its text area the content reaches (0 empty, 1 full), from a
    greyscale render; the bottom margin, where the page number stands, is not counted."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        fills = []
        for png in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            pixels = np.asarray(Image.open(png).convert("L"))
            height = pixels.shape[0]
            area = pixels[round(height * TOP_MM / PAGE_MM) : height - round(height * BOTTOM_MM / PAGE_MM)]
            inked = np.flatnonzero((area < 235).any(axis=1))
            fills.append((inked[-1] + 1) / area.shape[0] if inked.size else 0.0)
        return fills


def first_heading(html: str) -> str:
    import html as markup

    return markup.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1])).strip()


def test_pdfs_and_html_are_titled_after_their_report(built):
    for pdf in pdfs(built):
        title = re.search(r"^Title:\s+(.*)$", run("pdfinfo", str(pdf)), re.M)[1].strip()
        html = pdf.parents[2].joinpath("html", pdf.parent.name, f"{pdf.stem}.html").read_text(encoding="utf-8")
        html_title = re.search(r"<title>(.*?)</title>", html, re.S)[1].strip()
        assert title and title != "Notebook" and html_title != "Notebook", pdf
        shown = re.sub(r"\s+", "", pdf_text(pdf))  # a line break inside a Chinese title adds no space
        assert re.sub(r"\s+", "", title) in shown or title in first_heading(html), pdf
    summary = pdf_text(built.path("reports", "pdf", RUN_EN, "90-summary.pdf"))
    title = re.search(
        r"^Title:\s+(.*)$", run("pdfinfo", str(built.path("reports", "pdf", RUN_EN, "90-summary.pdf"))), re.M
    )
    assert summary.lstrip().startswith(title[1].strip()[:30])  # the summary: the run's own title


def pdf_text(pdf: Path) -> str:
    return run("pdftotext", str(pdf), "-")


def test_every_page_is_numbered_and_none_but_the_last_is_under_a_third_full(built):
    for pdf in pdfs(built):
        pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf)))[1])
        texts = pdf_text(pdf).split("\f")[:pages]
        for number, text in enumerate(texts, start=1):
            assert re.search(rf"(?m)^\s*{number}\s*/\s*{pages}\s*$", text), (pdf, number)
        fill = page_fill(pdf)
        assert len(fill) == pages
        assert all(f >= 1 / 3 for f in fill[:-1]), (pdf, [round(f, 2) for f in fill])
        assert fill[-1] > 0.02, (pdf, "the last page is blank but for its number")


@pytest.mark.parametrize(
    ("run_name", "figure", "table"), [(RUN_EN, "Figure {}. ", "Table {}. "), (RUN_ZH, "图{}", "表{}")]
)
def test_figures_and_tables_are_numbered_in_page_order(built, run_name, figure, table):
    for pdf in pdfs(built, [run_name]):
        text = pdf_text(pdf)
        for label in (figure, table):
            positions = [text.find(label.format(n)) for n in range(1, 10)]
            shown = [p for p in positions if p >= 0]
            assert positions[: len(shown)] == shown == sorted(shown), (pdf, label)  # 1, 2, 3… in order
        if pdf.stem == "90-summary":
            assert text.find(figure.format(5)) > 0 and text.find(table.format(1)) > 0, pdf
            # each chart stands in its section: the first after the employment findings, before projects
            assert text.find(figure.format(1)) < text.find(figure.format(2)), pdf


def link_lines(pdf: Path) -> dict[str, int]:
    """Per web address linked in ``pdf``, how many lines its link takes (its annotations' rows)."""
    from pypdf import PdfReader

    rows: dict[str, set] = {}
    for page_number, page in enumerate(PdfReader(pdf).pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            uri = (annotation.get("/A") or {}).get("/URI")
            if uri:
                rows.setdefault(str(uri), set()).add((page_number, round(float(annotation["/Rect"][1]))))
    return {uri: len(lines) for uri, lines in rows.items()}


def test_sources_are_links_that_break_over_three_lines_at_most(built):
    for run_name in (RUN_EN, RUN_ZH):
        pdf = built.path("reports", "pdf", run_name, "90-summary.pdf")
        lines = link_lines(pdf)
        assert any(u.startswith("https://dt.sxgov.cn/") for u in lines), lines
        assert all(u.startswith(("http://", "https://")) for u in lines), lines
        assert max(lines.values()) <= 3, lines
        html = built.path("reports", "html", run_name, "90-summary.html").read_text(encoding="utf-8")
        assert re.search(r'<a href="https://dt\.sxgov\.cn/[^"]+">https://dt\.sxgov\.cn/<wbr/?>', html)


def test_one_font_family_embedded_for_latin_and_chinese(built):
    for pdf in pdfs(built, [RUN_EN, RUN_ZH]):
        fonts = run("pdffonts", str(pdf)).splitlines()[2:]
        assert fonts, pdf
        # Noto Sans CJK alone: Chromium embeds its CFF outlines as Type 3 fonts, all embedded
        assert all(" Type 3 " in line and " yes " in line for line in fonts), (pdf, fonts)
    text = pdf_text(built.path("reports", "pdf", RUN_ZH, "20-funding.pdf"))
    assert "小额信贷" in text and "投放" in text  # Chinese as text, not boxes or radicals


def test_html_folds_code_shows_one_parameters_cell_and_describes_its_images(built):
    for run_name in RUNS:
        for page in built.path("reports", "html", run_name).glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert f'<html lang="{run_name.rsplit("-", 1)[1]}">' in html, (
                page
            )  # the page's language, for readers and tools
            inputs = html.count('class="jp-Cell jp-CodeCell')
            working = html.count('<details class="fold-working">')  # a working cell folds whole
            # code hidden, each input in a fold that the page's one switch shows (no script)
            assert inputs and html.count('<div class="fold-code">') + working == inputs, page
            assert len(re.findall(r'<input[^>]*\bid="show-code"', html)) == 1, page
            if "summary" not in page.name:  # an analysis page folds its working table, and shows no raw frame
                assert working == 1, page
            assert "<script" not in html and "%autoreload" not in html and "load_ext" not in html, page
            assert html.count("celltag_injected-parameters") == 1 and "celltag_parameters" not in html, page
            alts = re.findall(r'<img[^>]*\balt="([^"]*)"', html)
            assert alts and "No description has been provided" not in html, page
            assert all(alt.strip() for alt in alts), page
            title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
            assert title.strip() and title != "Notebook", page


def test_the_clean_step_shows_plain_numbers(built):
    html = built.path("reports", "html", "00-clean.html").read_text(encoding="utf-8")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    assert len(cells) > 100
    assert not [c for c in cells if re.fullmatch(r"\s*-?\d+(\.\d+)?e[+-]\d+\s*|\s*NaN\s*", c)], "raw pandas numbers"
    assert any(c.strip() == "104,731" for c in cells)


PRACTICES = {  # a phrase of the source's account of each page's work, in each language
    RUN_EN: {
        "20-funding": "Every eligible household",
        "30-sales": "Farm produce was sold",
        "40-training-policy": "Training was organised",
    },
    RUN_ZH: {"20-funding": "应贷尽贷", "30-sales": "四道四销", "40-training-policy": "分级分类"},
}


@pytest.mark.parametrize(
    "run_name, heading, practice",
    [(RUN_EN, "What was done", "Taihang"), (RUN_ZH, "主要做法", "131")],
)
def test_each_analysis_page_says_what_was_done_before_its_figures(built, run_name, heading, practice):
    """The analysis PDFs follow the summary: the source's account of the work comes before the
    figures (the employment page gives the "131" service and the labour brands)."""
    text = re.sub(r"\s+", "", pdf_text(built.path("reports", "pdf", run_name, "10-employment.pdf")))
    assert re.sub(r"\s+", "", heading) in text and practice in text
    assert text.index(practice) < text.index("104731")  # before the figures as printed
    for name, phrase in PRACTICES[run_name].items():
        pdf = re.sub(r"\s+", "", pdf_text(built.path("reports", "pdf", run_name, f"{name}.pdf")))
        assert re.sub(r"\s+", "", phrase) in pdf, name
