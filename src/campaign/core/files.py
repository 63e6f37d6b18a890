"""Atomic writes (an output appears whole or not at all), the processed CSV files' text rule, and
reading an input only when it is a regular file of a sensible size."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used, so that exporting starts fast
    import pandas as pd


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(temporary)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# Spreadsheet-safe text (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts with
# = + - @ (or a tab or carriage return before one of them) as a formula. Such a text cell is
# written with a single quote in front, which makes the spreadsheet show it as text. To keep the
# rule reversible, a cell that already starts with quotes before one of those characters gets
# one more. Numbers are not text and are written as they are.
_FORMULA_START = r"'*[=+\-@\t\r]"
_DEFUSE = re.compile(rf"^(?={_FORMULA_START})")
_RESTORE = re.compile(rf"^'(?={_FORMULA_START})")
_FIRST_CHARACTERS = ["'", "=", "+", "-", "@", "\t", "\r"]  # what a cell that _DEFUSE changes starts with


def defuse_text(text: str) -> str:
    """``=1+2`` -> ``'=1+2``; ``'=x`` -> ``''=x``; other text unchanged."""
    return _DEFUSE.sub("'", text, count=1)


def restore_text(text: str) -> str:
    """The inverse of defuse_text."""
    return _RESTORE.sub("", text, count=1)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    import pandas as pd

    return [
        c for c in frame.columns if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]


def defuse_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are spreadsheet-safe (numbers untouched)."""
    import pandas as pd

    frame = frame.copy()
    for column in _text_columns(frame):
        values = frame[column]
        if isinstance(values.dtype, pd.StringDtype):  # text or missing only: the few that may start a formula
            may = values.str[:1].isin(_FIRST_CHARACTERS).to_numpy(dtype=bool, na_value=False)
            if may.any():
                frame.loc[may, column] = values[may].str.replace(_DEFUSE, "'", n=1, regex=True)
            continue
        is_text = values.map(lambda v: isinstance(v, str))
        frame.loc[is_text, column] = values[is_text].str.replace(_DEFUSE, "'", n=1, regex=True)
    return frame


def restore_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The text as it was before defuse_text_columns (in place; returns ``frame``)."""
    for column in _text_columns(frame):
        values = frame[column]
        is_text = values.map(lambda v: isinstance(v, str))
        if is_text.any():
            frame.loc[is_text, column] = values[is_text].str.replace(_RESTORE, "", n=1, regex=True)
    return frame


def remove_stale_temporaries(folder: str | Path | None, name: str) -> None:
    """Delete the temporary files that a killed build left for output ``name`` in ``folder``
    (``.name.*.tmp`` from atomic writes, ``.stem.*.tmp.ipynb`` from papermill's output)."""
    if folder is None or not Path(folder).is_dir():
        return
    folder = Path(folder)
    stem = Path(name).stem
    for pattern in (f".{name}.*.tmp", f".{stem}.*.tmp.ipynb", f".{stem}.*.figures.tmp"):
        for stale in folder.glob(pattern):
            stale.unlink(missing_ok=True)


def write_csv_atomically(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as UTF-8 CSV with Unix line endings, atomically, its text spreadsheet-safe."""
    with atomic_path(path) as temporary:
        defuse_text_columns(frame).to_csv(temporary, index=False, lineterminator="\n", encoding="utf-8")


def write_bytes_atomically(data: bytes, path: str | Path) -> None:
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


class NotARegularFile(OSError):
    """An input that is no regular file (``mode``: a folder, FIFO, device or socket), or larger than
    its limit (``size``): refused before anything is read."""

    def __init__(self, mode: int | None = None, size: int | None = None):
        super().__init__(f"not a regular file (mode {mode:o})" if mode is not None else f"{size:,} bytes")
        self.mode, self.size = mode, size


def read_regular(path: str | Path, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (with
    ``follow_links`` false, not a link to one either: OSError ELOOP). Opened without waiting, so
    that a FIFO is refused, not waited on; NotARegularFile otherwise."""
    import stat

    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(mode=status.st_mode)
        if status.st_size > limit:
            raise NotARegularFile(size=status.st_size)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(descriptor)
