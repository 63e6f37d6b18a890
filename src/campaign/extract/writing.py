"""Write reviewed figures into the data folder: a new raw file, and the source and region when missing."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from campaign.core.quantities import QuantityParseError, parse_quantity
from campaign.core.registers import Registers, parse_period_end
from campaign.core.settings import NOT_RECORDED
from campaign.dataset.rawfiles import RAW_COLUMNS

from .regions import english_name, pinyin_slug, region_level
from .review import ReviewedRow

_READ_AS = re.compile(r"read as (\S+?)(?:;|$)")
# Slugs and source ids name files and make targets: lower-case a-z, 0-9 and single hyphens only.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Characters no register text may hold: controls, line breaks, zero-width and bidirectional marks.
_BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
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


def _with_row(path: Path, row: dict[str, str]) -> str:
    """The text of a register CSV with one more row, in its own column order."""
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader([text.splitlines()[0]]))
    if not text.endswith("\n"):
        text += "\n"
    return text + _csv_line([row.get(column, "") for column in header])


def _temporary(path: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.chmod(name, 0o644)
    return Path(name)


def _commit(raw_file: Path, raw_text: str, registers: dict[Path, str]) -> None:
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


def _text_problem(name: str, value: str) -> str | None:
    match = _BAD_TEXT.search(value)
    if match:
        return f"--{name} {value[:40]!r}: holds a control or invisible character (U+{ord(match.group()):04X})"
    return None


def _checked_against_text(row: ReviewedRow, lines: dict[int, tuple[str, str]] | None) -> str | None:
    """A problem when the row's printed figure or value is not what the text prints, else None."""
    printed = row.get("printed", "")
    if not printed or lines is None:
        return None
    where = row.get("line", "").strip()
    if where:
        try:
            number = int(float(where))
        except ValueError:
            return f"line {where!r} is not a line number of the text"
        if number not in lines:
            return f"the text has no line {number}"
        candidates = [lines[number]]
    else:
        candidates = list(lines.values())
    compact = re.sub(r"\s", "", printed)
    if not any(compact in re.sub(r"\s", "", original) or compact in text for original, text in candidates):
        place = f"line {where}" if where else "the text"
        return f"{printed!r} is not printed in {place} of the report"
    value = row.get("value", "").strip()
    if value:
        read_as = _READ_AS.search(row.get("note", ""))
        try:
            quantity = parse_quantity(read_as.group(1) if read_as else printed)
            given = float(value)
        except (QuantityParseError, ValueError):
            return None  # the printed figure's own problems are reported where it is read
        if abs(quantity.value - given) > 1e-9 * max(1.0, abs(quantity.value)):
            return f"value {value} is not what {printed!r} reads as ({quantity.value:.15g})"
    return None


def write_reviewed(
    rows: list[ReviewedRow],
    data_dir: str | Path,
    source: SourceDetails,
    slug: str | None = None,
    parent: str = "",
    lines: dict[int, tuple[str, str]] | None = None,
) -> WriteResult:
    """Check everything, then write a new raw file and add the source and region if missing, in one step.

    Only rows with an indicator that the review marked ``ok`` are written; rows without an
    indicator were for review. Nothing at all is written when the file was not reviewed, when a
    row is left unreviewed or uncertain or is wrong (its printed figure or value not what the text
    ``lines`` print), when a figure (region, period, indicator) is in a raw file already, when the
    raw file exists, or when the slug, source, region or a path is not valid.
    """
    from .review import REVIEWED, UNCERTAIN

    data_dir = Path(data_dir)
    registers = Registers.load(data_dir)
    chosen = [row for row in rows if row.get("indicator")]
    skipped = [row.where for row in rows if not row.get("indicator")]
    if not chosen:
        raise WriteError("no row has an indicator: nothing to write (fill in 'indicator' in the review file)")
    marks = {row.get("review", "").strip().lower() for row in chosen}
    if REVIEWED not in marks:
        raise WriteError(
            "the review file has not been reviewed: no row is marked 'ok' in column 'review' "
            "(write 'ok' on each row once you have checked it)"
        )
    unreviewed = [row for row in chosen if row.get("review", "").strip().lower() != REVIEWED]
    if unreviewed:
        listed = "\n".join(
            f"  {row.where}: {row.get('printed', '')!r} "
            + (
                "left marked uncertain; check it and mark it 'ok', or delete the row"
                if row.get("review", "").strip().lower() == UNCERTAIN
                else f"not reviewed (review is {row.get('review', '')!r}; mark it 'ok' once checked, or delete it)"
            )
            for row in unreviewed
        )
        raise WriteError(f"{len(unreviewed)} row(s) with an indicator are not marked 'ok':\n{listed}")

    problems = [
        problem
        for problem in (
            _text_problem("publisher", source.publisher),
            _text_problem("title", source.title),
            _text_problem("address", source.address),
        )
        if problem
    ]
    if problems:
        raise WriteError("; ".join(problems))
    names = {row.get("region", "") for row in chosen}
    if names == {""} or "" in names:
        where = next(row.where for row in chosen if not row.get("region"))
        raise WriteError(f"{where}: no region; give --region or fill in 'region'")
    if len(names) > 1:
        raise WriteError(f"one raw file takes one region; the rows name {', '.join(sorted(names))}")
    name = names.pop()
    new_region = None
    try:
        region = registers.region(name)
        region_name, region_slug = region.name_zh, region.slug
    except ValueError:
        if not re.search(r"[\u4e00-\u9fff]", name):
            raise WriteError(
                f"unknown region {name!r}: a new region is given by its Chinese name, e.g. 晋城市"
            ) from None
        if _BAD_TEXT.search(name) or not re.fullmatch(r"[\u4e00-\u9fff]{2,12}", name):
            raise WriteError(f"region {name!r}: a new region's name is 2 to 12 Chinese characters") from None
        region_name, region_slug = name, slug or pinyin_slug(name, set(registers.regions))
        if not ID_PATTERN.fullmatch(region_slug):
            raise WriteError(f"--slug {region_slug!r}: a slug is lower-case a-z, 0-9 and single hyphens") from None
        if region_slug in registers.regions:
            raise WriteError(f"slug {region_slug!r} is taken by {registers.regions[region_slug].name_zh}") from None
        try:
            parent_slug = registers.region(parent).slug if parent else ""
        except ValueError:
            raise WriteError(f"--parent {parent!r}: unknown region") from None
        new_region = {
            "slug": region_slug,
            "name_zh": region_name,
            "name_en": english_name(region_slug),
            "level": region_level(region_name),
            "parent": parent_slug,
            "role": "campaign",
        }
    else:
        if slug and slug != region_slug:
            raise WriteError(f"--slug {slug!r}: {region_name} is in the register already, as {region_slug!r}")

    source_id = source.id or f"{region_slug}-{source.date}"
    if not ID_PATTERN.fullmatch(source_id):
        raise WriteError(f"--source {source_id!r}: a source id is lower-case a-z, 0-9 and single hyphens")
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
    records, seen = [], {}
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
        mismatch = _checked_against_text(row, lines)
        if mismatch:
            problems.append(f"{row.where}: {mismatch}")
            continue
        printed, note, problem = _raw_printed(row, indicator.unit)
        if problem:
            problems.append(f"{row.where}: {row.get('printed', '')!r}: {problem}")
            continue
        if _BAD_TEXT.search(note):
            problems.append(f"{row.where}: the note holds a control or invisible character")
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
    raw_folder = (data_dir / "raw").resolve()
    raw_file = data_dir / "raw" / f"{region_slug}-{latest}-{source_id}.csv"
    if raw_file.parent.resolve() != raw_folder or raw_file.name.startswith("."):
        raise WriteError(f"{raw_file}: not directly in {data_dir / 'raw'}")
    if raw_file.exists() or raw_file.is_symlink():
        raise WriteError(f"{raw_file} exists; raw files are never overwritten")
    text = _csv_line(RAW_COLUMNS) + "".join(_csv_line(record) for record in records)
    register_texts = {}
    if new_source:
        register_texts[data_dir / "sources.csv"] = _with_row(data_dir / "sources.csv", new_source)
    if new_region:
        register_texts[data_dir / "regions.csv"] = _with_row(data_dir / "regions.csv", new_region)
    _commit(raw_file, text, register_texts)
    return WriteResult(
        raw_file,
        len(records),
        source_id if new_source else None,
        region_slug if new_region else None,
        skipped,
    )
