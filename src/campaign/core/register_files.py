"""Reading a register file with the line of every record and field, and the problems found in one.

The CSV registers are read with the line each row starts on; the YAML registers are composed
into nodes first, so that every field of the document has its line, and are refused when they
use anchors and aliases (no register needs them, and an alias bomb is not expanded) or repeat a
key (YAML would keep the last one silently). Light imports: the schemas themselves
(``register_schemas``) import pandera and pydantic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from campaign.core.characters import rejected_character
from campaign.core.files import NotARegularFile, read_regular

# libyaml's parser where PyYAML has it (the wheels do): the same documents, several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class RegisterProblem:
    """One bad field (or row, or file) of a register, with everything needed to find it."""

    path: Path
    line: int
    field: str
    text: object
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else f"{self.path}"
        field = f", field {self.field!r}" if self.field else ""
        text = "" if self.text is None else f": {_quoted(self.text)}"
        return f"{where}{field}{text}: {self.reason}"


def _quoted(text: object, limit: int = 80) -> str:
    if isinstance(text, str) and len(text) > limit:
        return f"{text[: limit // 2]!r}... ({len(text):,} characters)"
    return repr(text)


class RegisterError(ValueError):
    """Registers that contradict themselves or the data; lists every problem, each with its file,
    line and field."""

    def __init__(self, problems: list[RegisterProblem] | str):
        if isinstance(problems, str):  # a single message (older callers)
            problems = [RegisterProblem(Path(""), 0, "", None, problems)]
        self.problems = problems
        count = len(problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the registers:"
        super().__init__("\n".join([header, *(f"  {p}" for p in problems)]))

    def first_line(self) -> str:
        """The first problem on one line, with a count of the others (for the command line)."""
        more = len(self.problems) - 1
        return str(self.problems[0]) + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")


# A register is a small text file: anything larger is not one (and is never read into memory).
REGISTER_MAX_BYTES = 64 * 1024 * 1024


def read_register_bytes(path: Path) -> bytes:
    """The bytes of a register, if it is a regular file (a link to one will do) of at most
    REGISTER_MAX_BYTES (campaign.core.files.read_regular)."""
    return read_regular(path, REGISTER_MAX_BYTES)


def _text(path: Path, shown: Path) -> str:
    """The register's text (UTF-8, with or without BOM); a missing file, a folder, anything but a
    regular file, an oversized file or bad bytes is one problem naming the file."""
    try:
        data = read_register_bytes(path)
    except NotARegularFile as refused:
        if refused.mode is not None and stat.S_ISDIR(refused.mode):
            reason = "a folder, not a file"
        elif refused.mode is not None:
            reason = "not a regular file (a FIFO, a device or a socket): registers are text files"
        else:
            reason = f"{refused.size:,} bytes, more than a register's {REGISTER_MAX_BYTES:,}"
        raise RegisterError([RegisterProblem(shown, 0, "", None, reason)]) from None
    except FileNotFoundError:
        raise RegisterError([RegisterProblem(shown, 0, "", None, "missing: every register is needed")]) from None
    except OSError as error:
        raise RegisterError([RegisterProblem(shown, 0, "", None, f"cannot read it: {error.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"cannot decode byte {error.start} (0x{data[error.start]:02x}): registers are UTF-8"
        raise RegisterError([RegisterProblem(shown, line, "", data[error.start : error.start + 4], reason)]) from None


@dataclass(frozen=True)
class CsvRegister:
    """A CSV register's header and rows (cells as written), with the line each row starts on."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def read_csv_register(path: Path, shown: Path) -> CsvRegister:
    """Every row with its line; rows of the wrong width and control or invisible characters in
    any cell are problems (all of them, at once)."""
    reader = csv.reader(io.StringIO(_text(path, shown), newline=""), strict=True)
    problems, rows, lines = [], [], []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = [cell.strip() for cell in row]
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                reason = f"expected {len(header)} fields (as the header), found {len(row)}"
                problems.append(RegisterProblem(shown, line, "", ",".join(row), reason))
                continue
            for name, cell in zip(header, row, strict=True):
                reason = rejected_character(cell)
                if reason:
                    problems.append(RegisterProblem(shown, line, name, cell, reason))
            rows.append([cell.strip() for cell in row])
            lines.append(line)
    except csv.Error as error:
        problems.append(RegisterProblem(shown, start, "", None, f"malformed CSV: {error}"))
    if header is None:
        problems.append(RegisterProblem(shown, 1, "", "", "empty file: a header line is needed"))
    if problems:
        raise RegisterError(problems)
    return CsvRegister(shown, header, rows, lines)


@dataclass(frozen=True)
class YamlRegister:
    """A YAML register's document and the line of every field in it, by path (keys and indexes)."""

    path: Path
    document: object
    lines: dict[tuple, int]

    def line_of(self, location: tuple) -> int:
        """The line of the field at ``location``, or of the nearest field that holds it."""
        location = tuple(location)
        while location and location not in self.lines:
            location = location[:-1]
        return self.lines.get(location, 1)


def field_name(location: tuple) -> str:
    """('indicators', 3, 'unit') -> 'indicators[3].unit'."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def read_yaml_register(path: Path, shown: Path) -> YamlRegister:
    """The document with the line of every field; a syntax error, an anchor or alias, a repeated
    key, a merge key (<<) and control or invisible characters in any text are problems with their
    line."""
    loader = _YAML_LOADER(_text(path, shown))
    try:
        node = loader.get_single_node()
        problems: list[RegisterProblem] = []
        lines: dict[tuple, int] = {}
        if node is not None:
            _walk(node, (), lines, problems, shown, set())
        if problems:
            raise RegisterError(problems)
        document = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise RegisterError(
            [RegisterProblem(shown, mark.line + 1 if mark else 0, "", None, f"YAML: {reason}")]
        ) from None
    except yaml.YAMLError as error:
        raise RegisterError([RegisterProblem(shown, 0, "", None, f"YAML: {error}")]) from None
    finally:
        loader.dispose()
    return YamlRegister(shown, document, lines)


def _walk(node, location: tuple, lines: dict, problems: list, shown: Path, seen: set) -> None:
    if id(node) in seen:  # composed from an alias (*name): the same node again, never walked twice
        if not any(p.reason.startswith("anchors and aliases") for p in problems):
            line = lines.get(location[:-1], node.start_mark.line + 1)  # where the alias is used
            reason = "anchors and aliases are not used in the registers; write the value out"
            problems.append(RegisterProblem(shown, line, field_name(location), None, reason))
        return
    seen.add(id(node))
    lines.setdefault(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: dict[object, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):  # ? [a, b]: a list or a mapping as a key
                reason = "a key must be a plain name, not a list or a mapping"
                problems.append(RegisterProblem(shown, line, field_name(location), None, reason))
                continue
            key = key_node.value
            if key_node.tag == "tag:yaml.org,2002:merge":  # <<: {...} would add fields unseen
                reason = "a merge key (<<) is not used in the registers; write the fields out"
                problems.append(RegisterProblem(shown, line, field_name(location), None, reason))
                continue
            if key in keys:
                reason = f"the key {key!r} appears twice (also on line {keys[key]})"
                problems.append(RegisterProblem(shown, line, field_name((*location, key)), None, reason))
                continue
            keys[key] = line
            lines[(*location, key)] = line
            _walk(value_node, (*location, key), lines, problems, shown, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*location, index), lines, problems, shown, seen)
    elif isinstance(node, yaml.ScalarNode):
        reason = rejected_character(node.value)
        if reason:
            problems.append(RegisterProblem(shown, node.start_mark.line + 1, field_name(location), node.value, reason))


def shown_path(path: Path, root: Path | None) -> Path:
    return Path(os.path.relpath(path, root)) if root is not None else path


def is_date(text: str, month_only: bool = False) -> bool:
    """YYYY-MM-DD (or, with ``month_only``, also YYYY-MM) naming a real date."""
    try:
        if month_only and len(text) == 7:
            dt.date.fromisoformat(text + "-01")
            return True
        return len(text) == 10 and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
