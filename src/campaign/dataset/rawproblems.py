"""A problem in the raw data: file, line, column and text, and the error that lists them all."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawProblem:
    """One bad cell (or row, or file) of a raw file, with everything needed to find it."""

    path: Path
    line: int
    column: str
    text: object
    reason: str

    def __str__(self) -> str:
        if not self.line:  # the file itself (a name, a kind of file)
            return f"{self.path}: {self.reason}"
        return f"{self.path}, line {self.line}, column {self.column!r}: {quoted(self.text)}: {self.reason}"


def quoted(text: object, limit: int = 80) -> str:
    """``text`` as Python writes it, its start only when it is long (a message stays one line)."""
    if isinstance(text, str | bytes) and len(text) > limit:
        return f"{text[: limit // 2]!r}... ({len(text):,} {'characters' if isinstance(text, str) else 'bytes'})"
    return repr(text)


class CleanError(ValueError):
    """Malformed raw data; lists every problem found, each with file, line, column and text."""

    def __init__(self, problems: list[RawProblem]):
        self.problems = problems
        count = len(problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the raw data:"
        super().__init__("\n".join([header, *(f"  {p}" for p in problems)]))

    def first_line(self) -> str:
        """The first problem on one line, with a count of the others (for the command line)."""
        more = len(self.problems) - 1
        return str(self.problems[0]) + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")


def shown_path(path: str | Path, root: str | Path | None) -> Path:
    """``path`` relative to the project folder ``root`` (as messages and outputs show it)."""
    return Path(os.path.relpath(path, root)) if root is not None else Path(path)
