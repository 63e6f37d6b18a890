"""Measure `campaign extract` on texts with a truth written by hand, set by set: the real report
texts (tests/fixtures/extract/real/, sets A and B) and the invented held-out texts
(tests/fixtures/extract/heldout/). Prints a line per text and, per set:

- figures found: printed figures of the truth that the extraction lists (same line, unit, value);
- non-figures taken: rows the extraction lists that are no figure of the truth;
- indicators right: of the figures found whose truth names a register indicator;
- periods right: of the figures found (and of those with an indicator);
- non-register labels: figures found that are no register indicator but were given one.

Truth rows marked optional (a number without a counter, a threshold) count neither way.

    .venv/bin/python bench/extract_accuracy.py [--verbose] [--set A]
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
CORPORA = [ROOT / "tests" / "fixtures" / "extract" / "real", ROOT / "tests" / "fixtures" / "extract" / "heldout"]
MEASURES = (
    "figures",
    "found",
    "extra",
    "with_indicator",
    "indicator_right",
    "period_right",
    "labelled",
    "period_right_labelled",
    "non_register_labels",
)


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


def measure(extractor: Extractor, folder: Path, entry: dict[str, str], verbose: bool) -> dict[str, int]:
    name = entry["name"]
    extraction = extractor.extract(read_report(folder / f"{name}.txt"), dt.date.fromisoformat(entry["published"]))
    figures = [f for f in extraction.figures if not f.note.startswith("implied")]
    truth = read_csv(folder / f"{name}.truth.csv")
    used: set[int] = set()
    counts = dict.fromkeys(MEASURES, 0)
    counts["region_right"] = int(extraction.region == entry["region"])
    # required figures first, so that an optional one never takes a figure's match
    for row in sorted(truth, key=lambda r: r.get("optional") == "yes"):
        optional = row.get("optional") == "yes"
        match = next((i for i, f in enumerate(figures) if i not in used and same_figure(row, f)), None)
        if optional:
            if match is not None:
                used.add(match)
            continue
        counts["figures"] += 1
        if match is None:
            if verbose:
                print(f"  missed: line {row['line']} {row['printed']}")
            continue
        used.add(match)
        figure = figures[match]
        counts["found"] += 1
        period_right = figure.period_end == row["period_end"]
        counts["period_right"] += period_right
        if row["indicator"]:
            counts["with_indicator"] += 1
            counts["indicator_right"] += figure.indicator == row["indicator"]
            counts["labelled"] += 1
            counts["period_right_labelled"] += period_right
        elif figure.indicator:
            counts["non_register_labels"] += 1
        if verbose and figure.indicator != row["indicator"]:
            why = f" ({figure.why})" if getattr(figure, "why", "") else ""
            print(
                f"  indicator: line {row['line']} {row['printed']}: "
                f"{figure.indicator or '-'}{why} for {row['indicator'] or '-'}"
            )
        if verbose and not period_right:
            print(f"  period: line {row['line']} {row['printed']}: {figure.period_end} for {row['period_end']}")
    for i, figure in enumerate(figures):
        if i not in used:
            counts["extra"] += 1
            if verbose:
                print(f"  not a printed figure of the truth: line {figure.line} {figure.printed}")
    return counts


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({percent(part, whole)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--set", help="measure only this set (A, B or invented)")
    args = parser.parse_args()
    extractor = Extractor(Registers.load(ROOT / "data"), load_synonyms(ROOT / "data"))
    totals: dict[str, dict[str, int]] = {}
    print(f"{'set':8} {'text':40} {'found':>9} {'extra':>5} {'indicator':>9} {'period':>9} {'non-reg':>7} region")
    for folder in CORPORA:
        for entry in read_csv(folder / "manifest.csv"):
            name = entry.get("set") or "invented"
            if args.set and name != args.set:
                continue
            if args.verbose:
                print(f"{name} {entry['name']}")
            c = measure(extractor, folder, entry, args.verbose)
            total = totals.setdefault(name, dict.fromkeys([*MEASURES, "region_right", "texts"], 0))
            for key, value in c.items():
                total[key] += value
            total["texts"] += 1
            print(
                f"{name:8} {entry['name']:40} {c['found']:>4}/{c['figures']:<4} {c['extra']:>5}"
                f" {c['indicator_right']:>4}/{c['with_indicator']:<4} {c['period_right']:>4}/{c['found']:<4}"
                f" {c['non_register_labels']:>7} {'right' if c['region_right'] else 'wrong'}"
            )
    print()
    for name, t in totals.items():
        print(
            f"set {name} ({t['texts']} texts): figures found {ratio(t['found'], t['figures'])}; "
            f"non-figures taken {t['extra']}; indicators right {ratio(t['indicator_right'], t['with_indicator'])}; "
            f"periods right {ratio(t['period_right'], t['found'])} "
            f"(with an indicator {ratio(t['period_right_labelled'], t['labelled'])}); "
            f"labels given to figures that are no register indicator {t['non_register_labels']}; "
            f"regions right {t['region_right']}/{t['texts']}"
        )


if __name__ == "__main__":
    main()
