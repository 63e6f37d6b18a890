"""Write reviewed figures into the data folder: a new raw file, and the source and region when missing."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from campaign.core.files import atomic_path
from campaign.core.quantities import QuantityParseError, parse_quantity
from campaign.core.registers import Registers, parse_period_end
from campaign.dataset.rawfiles import RAW_COLUMNS

from .regions import english_name, pinyin_slug, region_level
from .review import ReviewedRow

NOT_RECORDED = "not recorded"
_READ_AS = re.compile(r"read as (\S+?)(?:;|$)")
_SPREADSHEET_DATE = re.compile(r"(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?")


class WriteError(ValueError):
    """Reviewed rows that cannot go into the data; the message names every offending row."""


@dataclass(frozen=True)
class SourceDetails:
    """What the sources register needs; nothing here is invented: unknown fields say so."""

    id: str | None
    date: str
    title: str = ""
    publisher: str = ""
    address: str = ""


@dataclass
class WriteResult:
    raw_file: Path
    written: int
    source_added: str | None = None
    region_added: str | None = None
    skipped: list[str] = field(default_factory=list)  # review-only rows (no indicator), by where


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _append_row(path: Path, row: dict[str, str]) -> None:
    """Append one row to a register CSV in its own column order, atomically."""
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader([text.splitlines()[0]]))
    if not text.endswith("\n"):
        text += "\n"
    with atomic_path(path) as temporary:
        temporary.write_text(text + _csv_line([row.get(column, "") for column in header]), encoding="utf-8")


def _create(path: Path, text: str) -> None:
    """Create ``path`` whole in one step (a hard link of a finished file); never replaces a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.link(temporary, path)
    except FileExistsError:
        raise WriteError(f"{path} exists; raw files are never overwritten") from None
    finally:
        os.unlink(temporary)


def _existing_figures(data_dir: Path, registers: Registers) -> dict[tuple[str, str, str], str]:
    """(region slug, period end, indicator) of every raw row -> where it is."""
    existing = {}
    for path in sorted((data_dir / "raw").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                try:
                    slug = registers.region(row["region"]).slug
                except ValueError:
                    slug = row["region"]
                existing[(slug, row["period_end"].strip(), row["indicator"].strip())] = (
                    f"{path}, line {reader.line_num}"
                )
    return existing


def _period_end(text: str) -> str:
    """YYYY-MM-DD, also from the 2022/6/30 or 2022年6月30日 a spreadsheet may have saved."""
    match = _SPREADSHEET_DATE.fullmatch(text.strip())
    if match:
        text = "{}-{:0>2}-{:0>2}".format(*match.groups())
    return parse_period_end(text).isoformat()


def _raw_printed(row: ReviewedRow, unit: str) -> tuple[str, str, str | None]:
    """(printed, note, problem) for the raw file: a figure the parser reads, in the indicator's unit."""
    printed, note = row.get("printed", ""), row.get("note", "")
    if unit == "none":
        return "", note, "a qualitative indicator takes no figure; put the fact in 'note'" if printed else None
    if not printed:
        return "", note, "figure missing"
    try:
        quantity = parse_quantity(printed)
    except QuantityParseError:
        read_as = _READ_AS.search(note)
        try:
            quantity = parse_quantity(read_as.group(1) if read_as else printed)
        except QuantityParseError:
            return printed, note, "not a printed quantity the clean step can read"
        printed, note = read_as.group(1), f"printed as {printed}"
    else:
        note = _READ_AS.sub("", note).strip("; ")
    if quantity.unit != unit:
        return printed, note, f"the counter gives {quantity.unit}, but the indicator is measured in {unit}"
    return printed, note.replace("headline", "from the headline"), None


def write_reviewed(
    rows: list[ReviewedRow],
    data_dir: str | Path,
    source: SourceDetails,
    slug: str | None = None,
    parent: str = "",
) -> WriteResult:
    """Check every row, then add the source and region if missing and write a new raw file.

    Only rows with an indicator are written; the others were for review. Nothing is written
    when any row is wrong, when a figure (region, period, indicator) is in a raw file already,
    or when the raw file exists.
    """
    data_dir = Path(data_dir)
    registers = Registers.load(data_dir)
    chosen = [row for row in rows if row.get("indicator")]
    skipped = [row.where for row in rows if not row.get("indicator")]
    if not chosen:
        raise WriteError("no row has an indicator: nothing to write (fill in 'indicator' in the review file)")

    names = {row.get("region", "") for row in chosen}
    if names == {""} or "" in names:
        where = next(row.where for row in chosen if not row.get("region"))
        raise WriteError(f"{where}: no region; give --region or fill in 'region'")
    if len(names) > 1:
        raise WriteError(f"one raw file takes one region; the rows name {', '.join(sorted(names))}")
    name = names.pop()
    try:
        region = registers.region(name)
        region_name, region_slug, new_region = region.name_zh, region.slug, None
    except ValueError:
        if not re.search(r"[\u4e00-\u9fff]", name):
            raise WriteError(
                f"unknown region {name!r}: a new region is given by its Chinese name, e.g. 晋城市"
            ) from None
        region_name, region_slug = name, slug or pinyin_slug(name, set(registers.regions))
        if region_slug in registers.regions:
            raise WriteError(f"slug {region_slug!r} is taken by {registers.regions[region_slug].name_zh}") from None
        new_region = {
            "slug": region_slug,
            "name_zh": region_name,
            "name_en": english_name(region_slug),
            "level": region_level(region_name),
            "parent": registers.region(parent).slug if parent else "",
            "role": "campaign",
        }

    source_id = source.id or f"{region_slug}-{source.date}"
    new_source = None
    if source_id not in registers.sources:
        new_source = {
            "id": source_id,
            "publisher": source.publisher or NOT_RECORDED,
            "publisher_zh": source.publisher or NOT_RECORDED,
            "title": source.title or NOT_RECORDED,
            "title_zh": source.title or NOT_RECORDED,
            "date": source.date,
            "address": source.address or NOT_RECORDED,
        }

    existing = _existing_figures(data_dir, registers)
    # A headline repeats a figure of the text (often rounded): the text's own row is written.
    stated = {(row["indicator"], row.get("period_end", "")) for row in chosen if "headline" not in row.get("note", "")}
    chosen = [
        r
        for r in chosen
        if "headline" not in r.get("note", "") or (r["indicator"], r.get("period_end", "")) not in stated
    ]
    problems, records, seen = [], [], {}
    for row in chosen:
        indicator = registers.indicators.get(row["indicator"])
        if indicator is None:
            problems.append(f"{row.where}: unknown indicator {row['indicator']!r} (see data/indicators.yml)")
            continue
        try:
            period = _period_end(row.get("period_end", ""))
        except ValueError as error:
            problems.append(f"{row.where}: {error}")
            continue
        printed, note, problem = _raw_printed(row, indicator.unit)
        if problem:
            problems.append(f"{row.where}: {row.get('printed', '')!r}: {problem}")
            continue
        key = (region_slug, period, indicator.id)
        if key in existing:
            problems.append(f"{row.where}: {indicator.id} for {region_name} {period} is already in {existing[key]}")
            continue
        if key in seen:
            problems.append(f"{row.where}: {indicator.id} for {region_name} {period} is also given at {seen[key]}")
            continue
        seen[key] = row.where
        locator = row.get("locator") or (f"line {row['line']}" if row.get("line") else "")
        records.append([region_name, period, indicator.id, printed, source_id, locator or "review file", note])
    if problems:
        raise WriteError(f"{len(problems)} row(s) cannot be written:\n" + "\n".join(f"  {p}" for p in problems))

    latest = max(record[1] for record in records)
    raw_file = data_dir / "raw" / f"{region_slug}-{latest}-{source_id}.csv"
    if raw_file.exists():
        raise WriteError(f"{raw_file} exists; raw files are never overwritten")
    text = _csv_line(RAW_COLUMNS) + "".join(_csv_line(record) for record in records)
    if new_source:
        _append_row(data_dir / "sources.csv", new_source)
    if new_region:
        _append_row(data_dir / "regions.csv", new_region)
    _create(raw_file, text)
    return WriteResult(
        raw_file,
        len(records),
        source_id if new_source else None,
        region_slug if new_region else None,
        skipped,
    )
