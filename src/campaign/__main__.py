"""Small command line for the Makefile: name runs, list the runs the data supports, extract a report."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from .extract import cli as extract_cli
from .params import LANGUAGES, report_runs, resolve_run
from .registers import Registers


def _raw_figures(data_dir: Path, registers: Registers) -> list[tuple[str, str, str]]:
    """(region slug, period end, indicator) of every raw row: enough to name runs, read with the
    csv module so that `make` can ask for a run name without loading pandas."""
    figures = []
    for path in sorted((data_dir / "raw").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                figures.append(
                    (registers.region(row["region"]).slug, row["period_end"].strip(), row["indicator"].strip())
                )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campaign", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run-id", help="print the run id <region-slug>-<period_end>-<lang>")
    run.add_argument("--region", default="长治市")
    run.add_argument("--period", default="")
    run.add_argument("--lang", default="en")
    run.add_argument("--make-vars", action="store_true", help="print RUN=, REGION_SLUG=, PERIOD_END= for make")
    runs = commands.add_parser("runs", help="print every run id the data supports, one per line")
    runs.add_argument("--make-vars", action="store_true", help="print RUN=, REGION_SLUG=, ... per run for make")
    extract_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract_cli.run(args)

    registers = Registers.load(args.data_dir)
    try:
        figures = _raw_figures(args.data_dir, registers)
        if args.command == "run-id":
            selected = resolve_run(
                registers, [(r, p) for r, p, _ in figures], args.region, args.period, args.lang, args.data_dir
            )
            if args.make_vars:
                print(
                    f"RUN={selected.id} REGION_SLUG={selected.region.slug} "
                    f"PERIOD_END={selected.period_end} REPORT_LANG={selected.lang}"
                )
            else:
                print(selected.id)
        elif args.command == "runs":
            for slug, period in report_runs(registers, figures):
                for lang in LANGUAGES:
                    run_id = f"{slug}-{period}-{lang}"
                    if args.make_vars:
                        print(f"RUN={run_id} REGION_SLUG={slug} PERIOD_END={period} REPORT_LANG={lang}")
                    else:
                        print(run_id)
    except ValueError as error:
        print(f"campaign: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
