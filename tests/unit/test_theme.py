"""The theme finds a CJK font (or says clearly that it cannot) and figures save reproducibly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from campaign.core.estimates import Estimate
from campaign.view import charts
from campaign.view import theme as plots


def test_a_cjk_font_with_chinese_glyphs_is_found():
    font = plots.use_theme("zh")
    assert font in plots.CJK_FONT_CANDIDATES
    path = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
    face = FT2Font(path)
    assert all(face.get_char_index(ord(char)) != 0 for char in "长治市脱贫劳动力务工")


def test_missing_cjk_font_warns_instead_of_drawing_boxes(monkeypatch):
    monkeypatch.setattr(plots, "CJK_FONT_CANDIDATES", ("No Such Font CJK",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    with pytest.warns(plots.MissingCJKFontWarning, match="fonts-noto-cjk"):
        assert plots.use_theme("zh") is None


def test_a_cjk_font_installed_after_matplotlib_cached_its_list_is_found(monkeypatch):
    # the font manager's cached list without the CJK fonts, as when they were installed afterwards
    manager = font_manager.fontManager
    files = {f.fname for f in manager.ttflist if f.name in plots.CJK_FONT_CANDIDATES}
    without = [f for f in manager.ttflist if f.fname not in files]
    monkeypatch.setattr(manager, "ttflist", without)
    assert plots.find_cjk_font() is not None
    assert {f.fname for f in manager.ttflist} >= files, "the CJK files are in the list again"


def _figure():
    plots.use_theme("zh")
    return charts.this_year_against_last(
        [("合计", Estimate(104731, 104731, 104731), Estimate(99478.6, 99473.9, 99483.3))],
        labels=("今年", "上年"),
        value_format=lambda e: f"{e.value:,.0f}",
        title="长治市：脱贫劳动力务工人数",
        caption="测试",
    )


def test_saving_twice_gives_byte_identical_png_and_svg(tmp_path):
    first = plots.save_figure(_figure(), tmp_path / "a", "employment")
    second = plots.save_figure(_figure(), tmp_path / "b", "employment")
    plt.close("all")
    assert [p.name for p in first] == ["employment.png", "employment.svg"]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
        assert one.stat().st_size > 1000
    assert first[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_resolution_is_at_least_150_dpi(tmp_path):
    from PIL import Image

    [png, _] = plots.save_figure(_figure(), tmp_path, "employment")
    plt.close("all")
    dpi = Image.open(png).info["dpi"]
    assert min(dpi) >= 150
