"""The data folder's files as the writer changes them: a register with one more row, and a new raw
file with the registers' new texts, written all at once or not at all."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from campaign.core.registers import Registers


class WriteError(ValueError):
    """Reviewed rows that cannot go into the data; the message names every offending row."""


def csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def with_row(path: Path, row: dict[str, str]) -> str:
    """The text of a register CSV with one more row, in its own column order."""
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader([text.splitlines()[0]]))
    if not text.endswith("\n"):
        text += "\n"
    return text + csv_line([row.get(column, "") for column in header])


def _temporary(path: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.chmod(name, 0o644)
    return Path(name)


def commit(raw_file: Path, raw_text: str, registers: dict[Path, str]) -> None:
    """Write the new raw file and the registers' new texts in one step: every file is written to a
    temporary first; the raw file is then created (never replacing one) and the registers replaced;
    if any step fails, what was done is undone, so the data folder is as it was."""
    originals = {path: path.read_bytes() for path in registers}
    temporaries: list[Path] = []
    created = False
    replaced: list[Path] = []
    try:
        raw_temporary = _temporary(raw_file, raw_text)
        temporaries.append(raw_temporary)
        staged = {path: _temporary(path, text) for path, text in registers.items()}
        temporaries += staged.values()
        try:
            os.link(raw_temporary, raw_file)
        except FileExistsError:
            raise WriteError(f"{raw_file} exists; raw files are never overwritten") from None
        created = True
        for path, temporary in staged.items():
            os.replace(temporary, path)
            replaced.append(path)
    except BaseException:
        for path in replaced:
            path.write_bytes(originals[path])
        if created:
            raw_file.unlink(missing_ok=True)
        raise
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def existing_figures(data_dir: Path, registers: Registers) -> dict[tuple[str, str, str], str]:
    """(region slug, period end, indicator) of every raw row -> where it is. The raw files are the
    clean step's, read as it reads them (one listing rule, any encoding it accepts, nothing but
    regular files of a bounded size); a raw file it would refuse is refused here with its line."""
    from campaign.dataset.rawfiles import RAW_COLUMNS, raw_files, read_rows

    raw_dir = data_dir / "raw"
    try:
        paths = raw_files(raw_dir, data_dir.parent)
    except FileNotFoundError:  # no raw file yet: nothing is there
        return {}
    existing = {}
    for path in paths:
        raw = read_rows(path, data_dir.parent)
        for cells, line in zip(raw.rows, raw.lines, strict=True):
            row = dict(zip(RAW_COLUMNS, cells, strict=True))
            try:
                slug = registers.region(row["region"]).slug
            except ValueError:
                slug = row["region"]
            existing[(slug, row["period_end"], row["indicator"])] = f"{raw.path}, line {line}"
    return existing
