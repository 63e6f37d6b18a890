"""Small command line: name runs and list the runs the data supports (for the Makefile), extract a report.

Every error is one line on standard error and exit status 2, so that `make` stops with it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from campaign.core.languages import languages
from campaign.core.registers import Registers, parse_period_end
from campaign.core.runs import report_runs, resolve_run, run_notebooks
from campaign.core.settings import DEFAULT_LANG, DEFAULT_REGION
from campaign.dataset.rawfiles import RAW_COLUMNS, CleanError, RawProblem, read_rows

from .extract import cli as extract_cli


def _is_iso_date(text: str) -> bool:
    try:
        return len(text) == 10 and parse_period_end(text).isoformat() == text
    except ValueError:
        return False


def _raw_figures(data_dir: Path, registers: Registers) -> list[tuple[str, str, str]]:
    """(region slug, period end, indicator) of every raw row: enough to name runs. Read through
    the same reader as the clean step (encodings, line numbers), without loading pandas."""
    figures, problems = [], []
    region_at, period_at, indicator_at = (RAW_COLUMNS.index(c) for c in ("region", "period_end", "indicator"))
    paths = sorted((data_dir / "raw").glob("*.csv"))
    if not paths:
        raise FileNotFoundError(f"no raw CSV files in {data_dir / 'raw'}")
    for path in paths:
        raw = read_rows(path, data_dir.parent)
        for row, line in zip(raw.rows, raw.lines, strict=True):
            region, indicator = row[region_at], row[indicator_at]
            if region not in registers.region_by_name:
                problems.append(RawProblem(raw.path, line, "region", region, "unknown region (see data/regions.csv)"))
            elif not _is_iso_date(row[period_at]):
                problems.append(RawProblem(raw.path, line, "period_end", row[period_at], "not a date as YYYY-MM-DD"))
            elif indicator not in registers.indicators:
                problems.append(
                    RawProblem(raw.path, line, "indicator", indicator, "unknown indicator (see data/indicators.yml)")
                )
            else:
                figures.append((registers.region(region).slug, row[period_at], indicator))
    if problems:
        raise CleanError(problems)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campaign", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run-id", help="print the run id <region-slug>-<period_end>-<lang>")
    run.add_argument("--region", default=DEFAULT_REGION)
    run.add_argument("--period", default="")
    run.add_argument("--lang", default=DEFAULT_LANG)
    run.add_argument("--make-vars", action="store_true", help="print RUN=, REGION_SLUG=, PERIOD_END= for make")
    runs = commands.add_parser("runs", help="print every run id the data supports, one per line")
    runs.add_argument("--make-vars", action="store_true", help="print RUN=, REGION_SLUG=, ... per run for make")
    extract_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract_cli.run(args)

    try:
        registers = Registers.load(args.data_dir)
        figures = _raw_figures(args.data_dir, registers)
        if args.command == "run-id":
            selected = resolve_run(registers, figures, args.region, args.period, args.lang, args.data_dir)
            lines = [(selected.id, selected.region.slug, selected.period_end, selected.lang)]
        else:
            lines = [
                (f"{slug}-{period}-{lang}", slug, period, lang)
                for slug, period in report_runs(registers, figures)
                for lang in languages()
            ]
        notebooks = {
            (slug, period): ":".join(run_notebooks(registers, figures, slug, period)) for _, slug, period, _ in lines
        }
    except CleanError as error:
        print(f"campaign: {error.first_line()}", file=sys.stderr)
        return 2
    except (ValueError, OSError, KeyError, yaml.YAMLError) as error:
        print(f"campaign: {error}".splitlines()[0], file=sys.stderr)
        return 2
    for run_id, slug, period, lang in lines:
        if args.make_vars:
            print(
                f"RUN={run_id} REGION_SLUG={slug} PERIOD_END={period} REPORT_LANG={lang} "
                f"ANALYSIS_NOTEBOOKS={notebooks[(slug, period)]}"
            )
        else:
            print(run_id)
    return 0
