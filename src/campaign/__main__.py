"""Small command line for the Makefile: name runs, list the runs the data supports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .clean import read_raw
from .params import LANGUAGES, report_runs, resolve_run
from .registers import Registers


def _raw_index(data_dir: Path, registers: Registers):
    """Region slug, period end and indicator of every raw row (enough to name runs)."""
    raw = read_raw(data_dir / "raw")
    raw["region"] = raw["region"].map(lambda name: registers.region(name).slug)
    return raw[["region", "period_end", "indicator"]]


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
    args = parser.parse_args(argv)

    registers = Registers.load(args.data_dir)
    index = _raw_index(args.data_dir, registers)
    try:
        if args.command == "run-id":
            selected = resolve_run(registers, index, args.region, args.period, args.lang, args.data_dir)
            if args.make_vars:
                print(
                    f"RUN={selected.id} REGION_SLUG={selected.region.slug} "
                    f"PERIOD_END={selected.period_end} REPORT_LANG={selected.lang}"
                )
            else:
                print(selected.id)
        elif args.command == "runs":
            for slug, period in report_runs(registers, index):
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
