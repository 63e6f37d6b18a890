"""`campaign extract`: a report's figures as a review CSV, and --write of the reviewed rows into data/."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

DESCRIPTION = """\
Find every printed figure of a report's text (UTF-8 or GB18030; simplified or traditional
characters; web-page debris is left out) with its line, value in base units, register
indicator, region and period end, and print them as a review CSV. Nothing in data/ changes
unless --write is given.

flow:
  1. extract:  campaign extract report.txt --published 2022-07-12 --region 晋城市 --output review.csv
  2. review:   open review.csv; correct 'indicator', 'period_end' or 'region'; delete wrong rows;
               write 'ok' in column 'review' on every row you have checked ('why' says which
               words gave each indicator; rows marked 'uncertain' need a closer look); rows
               left without an indicator are for review only and are not written
  3. write:    campaign extract report.txt --published 2022-07-12 --write --reviewed review.csv \\
                   --publisher 晋城日报 --address https://...
  4. report:   make reports REGION=晋城市

--write adds a new file data/raw/<region-slug>-<period>-<source>.csv, the source to
data/sources.csv and the region to data/regions.csv when they are missing (slug from pinyin).
It writes only rows marked 'ok' whose printed figure and value are what the text prints; it
refuses to overwrite a file or to write a figure (region, period, indicator) that a raw file
already holds, and writes nothing at all when any row, the slug, the source or a path is wrong.
--output never replaces a file unless --force is given, and never writes inside the data folder.
See docs/extraction.md.
"""


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "extract",
        help="figures of a report's text as a review CSV; --write puts reviewed rows into data/",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", type=Path, help="the report's text (not needed with --reviewed)")
    parser.add_argument("--published", required=True, help="publication date, YYYY-MM-DD (dates 截至目前, 今年以来)")
    parser.add_argument("--region", help="the region the figures are for (default: the one the text names)")
    parser.add_argument("--source", help="source id in data/sources.csv (default with --write: <slug>-<published>)")
    parser.add_argument("--output", type=Path, help="write the review CSV here (UTF-8 with BOM) instead of stdout")
    parser.add_argument("--force", action="store_true", help="let --output replace a file that exists")
    written = parser.add_argument_group("writing reviewed rows (--write)")
    written.add_argument("--write", action="store_true", help="write the rows with an indicator into data/")
    written.add_argument("--reviewed", type=Path, help="the reviewed CSV to write (its rows marked 'ok')")
    written.add_argument("--title", help="source title (default: the text's first line)")
    written.add_argument("--publisher", help="source publisher (default: 'not recorded')")
    written.add_argument("--address", help="source web address (default: 'not recorded')")
    written.add_argument("--slug", help="slug of a new region (default: from the name's pinyin)")
    written.add_argument("--parent", default="", help="parent of a new region, e.g. 山西省")


def _published(text: str, where: str) -> dt.date:
    try:
        published = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{where}: --published {text!r} is not a date as YYYY-MM-DD, e.g. 2022-09-05") from None
    if published > dt.date.today():  # a report not published yet: its dates would be read into the future
        raise ValueError(f"{where}: --published {text!r} is after today; give the date the report was published")
    return published


def run(args: argparse.Namespace) -> int:
    import csv

    import yaml

    try:
        return _run(args)
    except ValueError as error:  # ReportError, WriteError, RegisterError and bad parameters: one clear message
        print(f"campaign extract: {_one_line(error)}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        print(f"campaign extract: needs the package {error.name!r}; run `make setup`", file=sys.stderr)
        return 2
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"campaign extract: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except (csv.Error, yaml.YAMLError, UnicodeError, KeyError, TypeError) as error:
        print(f"campaign extract: {args.data_dir}: the registers cannot be read: {_one_line(error)}", file=sys.stderr)
        return 2


def _one_line(error: BaseException) -> str:
    """The message, with a long quoted text cut short (an oversized field is never echoed whole)."""
    first_line = getattr(error, "first_line", None)  # the registers' problems: the first, and a count
    text = first_line() if callable(first_line) else str(error)
    return text if len(text) <= 2000 else text[:2000] + " …"


def _check_output(output: Path, data_dir: Path, force: bool) -> None:
    from .reading import ReportError

    if output.is_dir():
        raise ReportError(f"{output}: --output names a folder; give a file name, e.g. {output / 'review.csv'}")
    resolved, data = output.resolve(), data_dir.resolve()
    if resolved == data or data in resolved.parents:
        raise ReportError(f"{output}: --output is inside the data folder {data_dir}; write the review file elsewhere")
    if (output.exists() or output.is_symlink()) and not force:
        raise ReportError(f"{output} exists; give --force to replace it")
    if not output.parent.is_dir():
        raise ReportError(f"{output}: no folder {output.parent}")


def _write_output(output: Path, text: str) -> None:
    import os
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _run(args: argparse.Namespace) -> int:
    from campaign.core.registers import Registers

    from .extraction import Extractor
    from .layout import TITLE, lay_out
    from .reading import Normaliser, ReportError, load_synonyms, read_report
    from .review import read_review, review_text
    from .writing import ID_PATTERN, SourceDetails, write_reviewed

    if args.file is None and args.reviewed is None:
        raise ReportError("give the report's text file (or the text and --write --reviewed REVIEW.csv)")
    if args.reviewed is not None and not args.write:
        raise ReportError(f"{args.reviewed}: --reviewed is read only with --write")
    if args.write and args.reviewed is None:
        raise ReportError(
            "--write writes reviewed rows only: make a review file with --output, mark its rows 'ok', "
            "then give it with --reviewed"
        )
    if args.write and args.file is None:
        raise ReportError(f"{args.reviewed}: give the report's text too: reviewed figures are checked against it")
    if args.slug is not None and not ID_PATTERN.fullmatch(args.slug):
        raise ReportError(f"--slug {args.slug!r}: a slug is lower-case a-z, 0-9 and single hyphens")
    if args.source is not None and not ID_PATTERN.fullmatch(args.source):
        raise ReportError(f"--source {args.source!r}: a source id is lower-case a-z, 0-9 and single hyphens")
    published = _published(args.published, str(args.file or args.reviewed))
    if args.output is not None:
        _check_output(args.output, Path(args.data_dir), args.force)
    registers = Registers.load(args.data_dir)
    region = args.region
    if region:
        try:
            region = registers.region(region).name_zh
        except ValueError:
            pass  # a region not in the register yet: --write adds it

    synonyms = load_synonyms(args.data_dir)
    text = read_report(args.file)
    extraction = None
    if not args.write or args.output is not None:
        extraction = Extractor(registers, synonyms).extract(text, published, region)
        review = review_text(extraction.figures)
        if args.output is not None:
            _write_output(args.output, review)
            matched = sum(1 for f in extraction.figures if f.indicator)
            print(
                f"campaign extract: {len(extraction.figures)} figures ({matched} with an indicator) -> {args.output}",
                file=sys.stderr,
            )
        elif not args.write:
            sys.stdout.write(review)
    if not args.write:
        return 0

    rows = read_review(args.reviewed)
    for row in rows:
        row["region"] = row.get("region") or region or ""
    read = Normaliser(synonyms).lines(text)
    lines = {line.number: (line.original, line.text) for line in read}
    title = args.title or next((p.line.original for p in lay_out(read) if p.role == TITLE), "")
    source = SourceDetails(args.source, published.isoformat(), title, args.publisher or "", args.address or "")
    result = write_reviewed(rows, args.data_dir, source, slug=args.slug, parent=args.parent, lines=lines)
    print(f"campaign extract: wrote {result.written} figures to {result.raw_file}", file=sys.stderr)
    if result.source_added:
        print(
            f"campaign extract: added source {result.source_added} to {args.data_dir / 'sources.csv'}", file=sys.stderr
        )
    if result.region_added:
        print(
            f"campaign extract: added region {result.region_added} to {args.data_dir / 'regions.csv'}", file=sys.stderr
        )
    if result.skipped:
        print(
            f"campaign extract: {len(result.skipped)} rows without an indicator were for review only, not written",
            file=sys.stderr,
        )
    return 0
