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
               rows left without an indicator are for review only and are not written
  3. write:    campaign extract report.txt --published 2022-07-12 --write --reviewed review.csv \\
                   --publisher 晋城日报 --address https://...
               (without --reviewed, --write takes the extraction's rows as they are)
  4. report:   make reports REGION=晋城市

--write adds a new file data/raw/<region-slug>-<period>-<source>.csv, the source to
data/sources.csv and the region to data/regions.csv when they are missing (slug from pinyin).
It refuses to overwrite a file or to write a figure (region, period, indicator) that a raw
file already holds, and writes nothing when any row is wrong.
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
    written = parser.add_argument_group("writing reviewed rows (--write)")
    written.add_argument("--write", action="store_true", help="write the rows with an indicator into data/")
    written.add_argument("--reviewed", type=Path, help="the edited review CSV to write instead of the extraction")
    written.add_argument("--title", help="source title (default: the text's first line)")
    written.add_argument("--publisher", help="source publisher (default: 'not recorded')")
    written.add_argument("--address", help="source web address (default: 'not recorded')")
    written.add_argument("--slug", help="slug of a new region (default: from the name's pinyin)")
    written.add_argument("--parent", default="", help="parent of a new region, e.g. 山西省")


def _published(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{where}: --published {text!r} is not a date as YYYY-MM-DD, e.g. 2022-09-05") from None


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except ValueError as error:  # ReportError, WriteError and bad parameters: one clear message
        print(f"campaign extract: {error}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        print(f"campaign extract: needs the package {error.name!r}; run `make setup`", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from campaign.core.registers import Registers

    from .extraction import Extractor
    from .reading import ReportError, load_synonyms, read_report
    from .review import read_review, review_text, rows_from_figures
    from .writing import SourceDetails, write_reviewed

    if args.file is None and args.reviewed is None:
        raise ReportError("give the report's text file (or --write --reviewed REVIEW.csv)")
    if args.reviewed is not None and not args.write:
        raise ReportError(f"{args.reviewed}: --reviewed is read only with --write")
    published = _published(args.published, str(args.file or args.reviewed))
    registers = Registers.load(args.data_dir)
    region = args.region
    if region:
        try:
            region = registers.region(region).name_zh
        except ValueError:
            pass  # a region not in the register yet: --write adds it

    extraction = None
    if args.file is not None:
        extractor = Extractor(registers, load_synonyms(args.data_dir))
        extraction = extractor.extract(read_report(args.file), published, region)
        text = review_text(extraction.figures)
        if args.output is not None:
            args.output.write_text(text, encoding="utf-8-sig")
            matched = sum(1 for f in extraction.figures if f.indicator)
            print(
                f"campaign extract: {len(extraction.figures)} figures ({matched} with an indicator) -> {args.output}",
                file=sys.stderr,
            )
        elif not args.write:
            sys.stdout.write(text)
    if not args.write:
        return 0

    if args.reviewed is not None:
        rows = read_review(args.reviewed)
        for row in rows:
            row["region"] = row.get("region") or region or ""
    else:
        rows = rows_from_figures(extraction.figures, str(args.file))
    title = args.title or (extraction.title if extraction else "")
    source = SourceDetails(args.source, published.isoformat(), title, args.publisher or "", args.address or "")
    result = write_reviewed(rows, args.data_dir, source, slug=args.slug, parent=args.parent)
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
