"""Small command line: name runs and list the runs the data supports (for the Makefile), extract a report.

Every error is one line on standard error and exit status 2, so that `make` stops with it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from campaign.core.languages import languages
from campaign.core.registers import RegisterError, parse_period_end
from campaign.core.runs import report_runs, resolve_run, run_notebooks
from campaign.core.settings import DEFAULT_LANG, DEFAULT_REGION
from campaign.dataset.rawfiles import CleanError
from campaign.dataset.runindex import run_index

from .extract import cli as extract_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campaign", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run-id", help="print the run id <region-slug>-<period_end>-<lang>")
    run.add_argument("--region", default="", help=f"Chinese name or slug (empty: {DEFAULT_REGION})")
    run.add_argument("--period", default="", help="YYYY-MM-DD (empty: the region's latest)")
    run.add_argument("--lang", default="", help=f"language code (empty: {DEFAULT_LANG})")
    run.add_argument("--make-vars", action="store_true", help="print RUN=, REGION_SLUG=, PERIOD_END= for make")
    runs = commands.add_parser("runs", help="print every run id the data supports, one per line")
    runs.add_argument("--make-vars", action="store_true", help="print RUN=, REGION_SLUG=, ... per run for make")
    extract_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract_cli.run(args)

    try:
        if args.command == "run-id":  # what needs no data is checked before the data are read
            lang = args.lang or DEFAULT_LANG
            if lang not in languages():
                raise ValueError(f"unknown language {lang!r}; valid languages: {', '.join(languages())}")
            period = "" if args.period in ("", "latest") else parse_period_end(args.period).isoformat()
        # the clean step's index while the data are as it read them, else the data validated here
        index = run_index(args.data_dir)
        registers = index.registers
        if args.command == "run-id":
            # the runs the data supports, from the index: one row per region, period and task, so
            # this costs the same whatever the number of figures
            selected = resolve_run(
                registers, index.figures(), args.region or DEFAULT_REGION, period, lang, args.data_dir
            )
            slug = selected.region.slug
            lines = [(selected.id, slug, selected.period_end, selected.lang)]
            figures = index.figures(slug, selected.period_end)
        else:
            figures = index.figures()
            lines = [
                (f"{slug}-{period}-{lang}", slug, period, lang)
                for slug, period in report_runs(registers, figures)
                for lang in languages()
            ]
        notebooks = {
            (slug, period): ":".join(run_notebooks(registers, figures, slug, period)) for _, slug, period, _ in lines
        }
    except (CleanError, RegisterError) as error:
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
