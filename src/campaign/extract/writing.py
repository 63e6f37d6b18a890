"""Write reviewed figures into the data folder: a new raw file, and the source and region when missing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from campaign.core.registers import Registers
from campaign.core.settings import NOT_RECORDED
from campaign.dataset.rawfiles import RAW_COLUMNS

from .datafiles import WriteError, commit, csv_line, existing_figures, with_row
from .regions import english_name, pinyin_slug, region_level
from .review import ReviewedRow
from .rowchecks import BAD_TEXT, checked_against_text, period_end, raw_printed, text_problem

# Slugs and source ids name files and make targets: lower-case a-z, 0-9 and single hyphens only.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

__all__ = ["ID_PATTERN", "NOT_RECORDED", "SourceDetails", "WriteError", "WriteResult", "write_reviewed"]


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
            text_problem("publisher", source.publisher),
            text_problem("title", source.title),
            text_problem("address", source.address),
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
    region = _registered_region(registers, name)
    if region is None:
        if not re.search(r"[\u4e00-\u9fff]", name):
            raise WriteError(
                f"unknown region {name!r}: a new region is given by its Chinese name, e.g. 晋城市"
            ) from None
        if BAD_TEXT.search(name) or not re.fullmatch(r"[\u4e00-\u9fff]{2,12}", name):
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
        region_name, region_slug = region.name_zh, region.slug
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

    existing = existing_figures(data_dir, registers)
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
            period = period_end(row.get("period_end", ""))
        except ValueError as error:
            problems.append(f"{row.where}: {error}")
            continue
        mismatch = checked_against_text(row, lines)
        if mismatch:
            problems.append(f"{row.where}: {mismatch}")
            continue
        printed, note, problem = raw_printed(row, indicator.unit)
        if problem:
            problems.append(f"{row.where}: {row.get('printed', '')!r}: {problem}")
            continue
        if BAD_TEXT.search(note):
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
    text = csv_line(RAW_COLUMNS) + "".join(csv_line(record) for record in records)
    register_texts = {}
    if new_source:
        register_texts[data_dir / "sources.csv"] = with_row(data_dir / "sources.csv", new_source)
    if new_region:
        register_texts[data_dir / "regions.csv"] = with_row(data_dir / "regions.csv", new_region)
    cleaned_with(data_dir, raw_file, text, register_texts)
    commit(raw_file, text, register_texts)
    return WriteResult(
        raw_file,
        len(records),
        source_id if new_source else None,
        region_slug if new_region else None,
        skipped,
    )


def cleaned_with(data_dir: Path, raw_file: Path, raw_text: str, register_texts: dict[Path, str]) -> None:
    """Run the clean step's checks on a copy of ``data_dir`` with the new files in it, so that
    what --write adds is refused if the next build would refuse it (a period after the source's
    date, a name another region has, a character the registers do not take): WriteError with the
    clean step's message, the copy's paths given as the data folder's."""
    import shutil
    import tempfile

    from campaign.core.register_files import RegisterError
    from campaign.dataset.clean import clean
    from campaign.dataset.rawlist import list_entries
    from campaign.dataset.rawproblems import CleanError

    with tempfile.TemporaryDirectory(prefix="campaign-write-") as folder:
        copy = Path(folder) / "data"
        (copy / "raw").mkdir(parents=True)
        (copy / "processed").mkdir()
        for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
            shutil.copyfile(data_dir / name, copy / name)
        for name in list_entries(str(data_dir / "raw"))[0]:  # the raw files, by the one rule
            shutil.copyfile(data_dir / "raw" / name, copy / "raw" / name)
        (copy / "raw" / raw_file.name).write_text(raw_text, encoding="utf-8")
        for path, register_text in register_texts.items():
            (copy / path.name).write_text(register_text, encoding="utf-8")
        try:
            clean(copy)
        except (RegisterError, CleanError, ValueError) as error:
            message = str(error).replace(str(copy), str(data_dir)).replace(folder, str(data_dir.parent))
            raise WriteError(f"the new rows would not pass the clean step, so nothing was written: {message}") from None


def _registered_region(registers: Registers, name: str):
    """The registered region ``name`` names, in simplified or traditional characters (長治市 is
    长治市, not a new region), or None."""
    from .reading import simplified

    names = registers.region_by_name
    return names.get(name.strip()) or names.get(simplified(name.strip()))
