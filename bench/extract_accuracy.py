"""Measure `campaign extract` on the held-out invented texts (tests/fixtures/extract/heldout/), which
it was not tuned on: printed figures found, register indicators right, periods right, and the rows
it took that are not printed figures. Prints a table per text and the totals.

    .venv/bin/python bench/extract_accuracy.py [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

from campaign.core.registers import Registers
from campaign.extract import Extractor
from campaign.extract.reading import load_synonyms, read_report

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "fixtures" / "extract" / "heldout"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def same_figure(truth: dict[str, str], figure) -> bool:
    value = float(truth["value"])
    return (
        int(truth["line"]) == figure.line
        and truth["unit"] == figure.unit
        and abs(figure.value - value) <= 1e-9 * max(1.0, abs(value))
    )


def measure(extractor: Extractor, entry: dict[str, str], verbose: bool) -> dict[str, int]:
    name = entry["name"]
    extraction = extractor.extract(read_report(HELDOUT / f"{name}.txt"), dt.date.fromisoformat(entry["published"]))
    figures = [f for f in extraction.figures if not f.note.startswith("implied")]
    truth = read_csv(HELDOUT / f"{name}.truth.csv")
    used: set[int] = set()
    counts = dict(figures=len(truth), found=0, with_indicator=0, indicator_right=0, period_right=0, extra=0)
    counts["region_right"] = int(extraction.region == entry["region"])
    for row in truth:
        match = next((i for i, f in enumerate(figures) if i not in used and same_figure(row, f)), None)
        if match is None:
            if verbose:
                print(f"  missed: line {row['line']} {row['printed']}")
            continue
        used.add(match)
        figure = figures[match]
        counts["found"] += 1
        if row["indicator"]:
            counts["with_indicator"] += 1
            counts["indicator_right"] += figure.indicator == row["indicator"]
        if verbose and figure.indicator != row["indicator"]:
            print(
                f"  indicator: line {row['line']} {row['printed']}: {figure.indicator or '-'} for {row['indicator'] or '-'}"
            )
        counts["period_right"] += figure.period_end == row["period_end"]
        if verbose and figure.period_end != row["period_end"]:
            print(f"  period: line {row['line']} {row['printed']}: {figure.period_end} for {row['period_end']}")
    for i, figure in enumerate(figures):
        if i not in used:
            counts["extra"] += 1
            if verbose:
                print(f"  not a printed figure of the truth: line {figure.line} {figure.printed}")
    return counts


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    extractor = Extractor(Registers.load(ROOT / "data"), load_synonyms(ROOT / "data"))
    totals: dict[str, int] = {}
    print(f"{'text':24} {'found':>9} {'indicator':>11} {'period':>9} {'extra':>6} region")
    for entry in read_csv(HELDOUT / "manifest.csv"):
        if args.verbose:
            print(entry["name"])
        c = measure(extractor, entry, args.verbose)
        for key, value in c.items():
            totals[key] = totals.get(key, 0) + value
        print(
            f"{entry['name']:24} {c['found']:>3}/{c['figures']:<3} {percent(c['found'], c['figures']):>3}"
            f" {c['indicator_right']:>3}/{c['with_indicator']:<3} {percent(c['indicator_right'], c['with_indicator']):>3}"
            f" {c['period_right']:>3}/{c['found']:<3} {percent(c['period_right'], c['found']):>3}"
            f" {c['extra']:>6} {'right' if c['region_right'] else 'wrong'}"
        )
    t = totals
    print(
        f"\nprinted figures found: {t['found']}/{t['figures']} ({percent(t['found'], t['figures'])}); "
        f"register indicators right: {t['indicator_right']}/{t['with_indicator']} "
        f"({percent(t['indicator_right'], t['with_indicator'])}); "
        f"periods right: {t['period_right']}/{t['found']} ({percent(t['period_right'], t['found'])}); "
        f"rows that are no printed figure of the truth: {t['extra']}"
    )


if __name__ == "__main__":
    main()
