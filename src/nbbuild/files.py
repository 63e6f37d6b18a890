"""Atomic writes: an output appears whole or not at all, and what a killed build left is found."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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


def write_bytes_atomically(data: bytes, path: str | Path) -> None:
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def remove_stale_temporaries(folder: str | Path | None, name: str) -> None:
    """Delete the temporary files that a killed build left for output ``name`` in ``folder``
    (``.name.*.tmp`` from atomic writes, ``.stem.*.tmp.ipynb`` from papermill's output)."""
    if folder is None or not Path(folder).is_dir():
        return
    stem = Path(name).stem
    for pattern in (f".{name}.*.tmp", f".{stem}.*.tmp.ipynb", f".{stem}.*.figures.tmp"):
        for stale in Path(folder).glob(pattern):
            stale.unlink(missing_ok=True)


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path`` (relative to the working directory, or absolute) names something inside
    ``folder``, symbolic links followed: ``..``, absolute paths elsewhere and links out are not."""
    resolved = Path(os.path.abspath(path))
    if resolved.is_symlink():
        resolved = resolved.parent.resolve() / resolved.name  # the link itself, wherever it points
    else:
        resolved = resolved.resolve()
    return resolved.is_relative_to(Path(folder).resolve()) and resolved != Path(folder).resolve()
