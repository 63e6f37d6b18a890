"""One theme for every figure, a CJK font that renders Chinese, deterministic saving (chart types: campaign.view.charts)."""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path

import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure

from campaign.core.files import write_bytes_atomically

# Fonts with Chinese glyphs, best first: what Linux, macOS and Windows machines usually have.
CJK_FONT_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Arial Unicode MS",
)

THIS_YEAR = "#1f5f99"
LAST_YEAR = "#a9b4c2"
ACCENT = "#d9822b"
MUTED = "#c8ced6"
GOOD = "#2e8b57"
PALETTE = [THIS_YEAR, ACCENT, "#5aa469", "#8e6bb0", "#c05a5a"]
FIGURE_DPI = 200
_FIGURE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class MissingCJKFontWarning(UserWarning):
    """No font with Chinese glyphs was found: Chinese text would render as empty boxes."""


def find_cjk_font() -> str | None:
    """The first installed font family from CJK_FONT_CANDIDATES, or None."""
    for attempt in range(2):
        names = {f.name for f in font_manager.fontManager.ttflist}
        for candidate in CJK_FONT_CANDIDATES:
            if candidate in names:
                return candidate
        if attempt == 0:
            # Fonts installed after matplotlib built its cache are not in it yet: add them once,
            # through the font manager's public addfont.
            known = {f.fname for f in font_manager.fontManager.ttflist}
            for path in font_manager.findSystemFonts():
                if path not in known:
                    try:
                        font_manager.fontManager.addfont(path)
                    except (OSError, RuntimeError, ValueError):  # a font file matplotlib cannot read
                        continue
    return None


def use_theme(lang: str = "en") -> str | None:
    """Apply the project's seaborn theme; returns the CJK font in use (None, with a warning, if none)."""
    font = find_cjk_font()
    if font is None:
        warnings.warn(
            "No font with Chinese glyphs found (looked for: " + ", ".join(CJK_FONT_CANDIDATES) + "). "
            "Chinese labels will show as boxes. Install one, e.g. 'apt-get install fonts-noto-cjk', "
            "then delete ~/.cache/matplotlib.",
            MissingCJKFontWarning,
            stacklevel=2,
        )
    sans = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    sns.set_theme(
        style="whitegrid",
        context="notebook",
        palette=PALETTE,
        rc={
            "font.family": "sans-serif",
            "font.sans-serif": sans,
            "axes.unicode_minus": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": FIGURE_DPI,
            "savefig.bbox": "tight",
            "svg.hashsalt": "campaign",  # stable ids in SVG files
            "svg.fonttype": "path",
            "text.parse_math": False,  # a "$" in data-borne text is a dollar sign, not math  # glyphs as outlines: the SVG shows Chinese without the font
            "pdf.fonttype": 42,
        },
    )
    return font


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, with the same settings as a saved one (no software tag: same bytes every build)."""
    image = io.BytesIO()
    figure.savefig(image, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    return image.getvalue()


def save_figure(figure: Figure, folder: str | Path, name: str, title: str = "") -> list[Path]:
    """Save as PNG and SVG under ``folder``, atomically and byte-for-byte reproducibly; ``title``
    goes into both files' metadata (``saved_title`` reads it back from the PNG).

    A file that already holds these bytes is left as it is, its time too: a notebook run again in
    JupyterLab does not make `make reports` rebuild what it had built (make reads figures'
    times; the build deletes a notebook's figures before it runs it).

    When $CAMPAIGN_FIGURE_MANIFEST names a file (the build sets it), the absolute paths written
    are appended to it, so that the build knows which figures the notebook made.
    """
    if not _FIGURE_NAME.fullmatch(name):
        raise ValueError(f"figure name {name!r}: use letters, digits, '-', '_' and '.' only")
    folder = Path(folder)
    paths = []
    titled = {"Title": title} if title else {}
    for extension, metadata in (
        ("png", {"Software": None, **titled}),
        ("svg", {"Date": None, "Creator": None, **titled}),
    ):
        path = folder / f"{name}.{extension}"
        image = io.BytesIO()
        figure.savefig(image, format=extension, dpi=FIGURE_DPI, metadata=metadata)
        if not (path.is_file() and path.read_bytes() == image.getvalue()):
            write_bytes_atomically(image.getvalue(), path)
        paths.append(path)
    manifest = os.environ.get("CAMPAIGN_FIGURE_MANIFEST")
    if manifest:
        with open(manifest, "a", encoding="utf-8") as listing:
            listing.writelines(f"{path.resolve()}\n" for path in paths)
    return paths


def saved_title(png: str | Path) -> str:
    """The title ``save_figure`` wrote into a PNG's metadata ("" if none)."""
    from PIL import Image

    with Image.open(png) as image:
        return str(getattr(image, "text", {}).get("Title", ""))
