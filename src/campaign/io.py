"""Atomic writes: an output either appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
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


def write_csv_atomically(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as UTF-8 CSV with Unix line endings, atomically."""
    with atomic_path(path) as temporary:
        frame.to_csv(temporary, index=False, lineterminator="\n", encoding="utf-8")


def write_bytes_atomically(data: bytes, path: str | Path) -> None:
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def read_observations(path: str | Path) -> pd.DataFrame:
    """The processed observations as the clean step wrote them, with their types restored."""
    import pandas as pd

    frame = pd.read_csv(
        path,
        dtype={"printed": "str", "note": "str", "locator": "str"},
        keep_default_na=False,
        na_values={"value": [""], "lower": [""], "upper": [""]},
    )
    frame["approximate"] = frame["approximate"].astype(str).str.lower() == "true"
    return frame
