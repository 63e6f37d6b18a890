"""The page furniture: figure and table numbers, captions, links, the reader's page (titles, one
parameters cell, no JupyterLab-only lines) and the clean step's plain numbers. The notebooks
and outputs in these tests are invented for them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from campaign.dataset.tables import plain_number, readable_table  # noqa: E402
from campaign.view import (
    numbering,  # noqa: E402
    theme,  # noqa: E402
)
from campaign.view import page as display  # noqa: E402
from campaign.view.cells import ReaderPagePreprocessor, RunLanguagePreprocessor, report_title  # noqa: E402
from campaign.view.text.catalogue import Text  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_numbers():
    numbering.reset()
    yield
    numbering.reset()


def test_figures_and_tables_are_numbered_apart_in_the_order_first_named():
    en = Text("en")
    assert numbering.caption("figure", "b", "Second drawn", en) == "Figure 1. Second drawn"
    assert numbering.label("figure", "a", en) == "Figure 2"
    assert numbering.label("figure", "b", en) == "Figure 1"  # named again: the same number
    assert numbering.caption("table", "t", "Sources", en) == "Table 1. Sources"
    assert numbering.caption("figure", "a", "标题", Text("zh")) == "图2\u3000标题"
    assert numbering.label("table", "t", Text("zh")) == "表1"


def test_reserved_numbers_follow_the_page_not_the_first_mention():
    numbering.reserve("figure", ["first", "second", "third"])
    assert numbering.number("figure", "third") == 3
    assert numbering.number("figure", "first") == 1
    with pytest.raises(ValueError, match="unknown kind"):
        numbering.number("chart", "x")


def test_a_web_address_becomes_a_link_that_breaks_after_its_slashes():
    cell = display.link_cell("https://dt.sxgov.cn/content/2022-09/05/content_1.htm?id=a&b=c")
    assert cell.startswith('<a href="https://dt.sxgov.cn/content/2022-09/05/content_1.htm?id=a&amp;b=c">')
    assert "https://dt.sxgov.cn/<wbr>content/<wbr>" in cell and "//<wbr>" not in cell


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(1)",
        'http://x.example/"onmouseover="alert(1)',
        "http://x.example/<script>alert(1)</script>",
        "http://x.example/ a b",
        "data:text/html,<b>x</b>",
    ],
)
def test_anything_but_a_plain_web_address_stays_text(hostile):
    # invented cells, as a register's address column could carry them
    cell = display.link_cell(hostile)
    assert "<a" not in cell and "<script" not in cell and '"' not in cell


def test_a_table_caption_and_its_links_are_escaped():
    table = pd.DataFrame({"title": ["<b>bold</b>"], "address": ["<img src=x onerror=alert(1)>"]})
    html = display.styled_table(table, caption="Table 1. <i>x</i>", links=("address",)).to_html()
    assert "<caption>Table 1. &lt;i&gt;x&lt;/i&gt;</caption>" in html
    assert "<img" not in html and "<b>" not in html and "<i>" not in html


def test_a_saved_figure_keeps_its_title_in_its_metadata(tmp_path):
    theme.use_theme("zh")
    figure, _ = plt.subplots()
    figure.suptitle("长治市：务工人数")
    paths = theme.save_figure(figure, tmp_path, "titled", title="长治市：务工人数")
    plt.close(figure)
    assert theme.saved_title(paths[0]) == "长治市：务工人数"
    assert "<dc:title>长治市：务工人数</dc:title>" in paths[1].read_text(encoding="utf-8")


def _notebook(lang: str = "en") -> nbformat.NotebookNode:
    """An invented executed notebook: headings in two languages, papermill's two parameter cells,
    a setup cell with autoreload, and a code cell that showed the run's own title."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"parameters": {"lang": lang}}
    heading_en = nbformat.v4.new_markdown_cell("# 10 · Employment\n\ntext", metadata={"tags": ["lang-en"]})
    heading_zh = nbformat.v4.new_markdown_cell("# 10 · 务工就业", metadata={"tags": ["lang-zh"]})
    defaults = nbformat.v4.new_code_cell('region = "长治市"', metadata={"tags": ["parameters"]})
    injected = nbformat.v4.new_code_cell('region = "changzhi"', metadata={"tags": ["injected-parameters"]})
    setup = nbformat.v4.new_code_cell("%load_ext autoreload\n%autoreload 2\nimport campaign\nshow()")
    setup.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "# Changzhi\\: R&amp;D *results*"})]
    nb.cells = [heading_en, heading_zh, defaults, injected, setup]
    return nb


def _reader_page(nb):
    nb, _ = RunLanguagePreprocessor().preprocess(nb, {})
    return ReaderPagePreprocessor().preprocess(nb, {})[0]


def test_the_reader_gets_one_parameters_cell_and_no_autoreload():
    nb = _reader_page(_notebook())
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == ['region = "changzhi"', "import campaign\nshow()"]
    assert nb.metadata["fold_label"] == "Show code and working"
    assert _reader_page(_notebook("zh")).metadata["fold_label"] == "显示代码与计算过程"


def test_the_title_is_the_run_s_own_heading_else_the_notebook_s():
    assert _reader_page(_notebook()).metadata["title"] == "Changzhi: R&D results"
    nb = _notebook("zh")
    nb.cells[-1].outputs = []
    assert _reader_page(nb).metadata["title"] == "10 · 务工就业"
    assert report_title(nbformat.v4.new_notebook()) is None


def test_the_clean_step_writes_numbers_as_a_reader_does():
    assert [plain_number(v) for v in (104731.0, 98436300.0, 1.0528, 0.0528, 104730.5, float("nan"), 3)] == [
        "104,731",
        "98,436,300",
        "1.0528",
        "0.0528",
        "104,730.5",
        "",
        "3",
    ]
    table = pd.DataFrame({"value": [104731.0, float("nan")], "note": ["<b>x</b>", None]})
    html = readable_table(table, "observations").to_html()
    assert "104,731" in html and "NaN" not in html and "e+0" not in html and "nan" not in html
    assert "<b>" not in html and 'id="T_observations' in html


@pytest.mark.parametrize(("lang", "said"), [("en", "(Figure 1)"), ("zh", "（见图1）")])
def test_findings_refer_to_the_charts_they_go_with_that_the_page_shows(monkeypatch, lang, said):
    # invented findings; "chart-a" was shown (numbered), "chart-b" was not: only the first is named
    from campaign.tasks.findings import Finding

    shown: list[str] = []
    monkeypatch.setattr(display, "show_markdown", shown.append)
    text = Text(lang)
    numbering.number("figure", "chart-a")
    display.show_findings([Finding("summary.no_findings")] * 2, text, figures=("chart-a", "chart-b"))
    display.show_findings([Finding("summary.no_findings")], text, figures=("chart-b",))
    first, second = shown[0].split("\n")  # after the first finding, which is the run's own figure
    assert first.endswith(said) and not second.endswith(said) and "2" not in shown[0]
    assert "Figure" not in shown[1] and "图" not in shown[1]
