"""Time `campaign extract` on 10,000-line texts made from the seed article, with the digits varied
from copy to copy (so that no two copies are alike) and printed per text; the aim is under one second.

- "article": the seed article as the page prints it (title, header, 8 paragraphs, related-news
  menu and footer), repeated: pages saved one after another.
- "paragraphs": only its 8 paragraphs, repeated: the densest text, 3 figures a line.
- "long runs": one line holding a run of 40,000 digits, of 20,000 一 or 十 (or of "1," pairs),
  then a figure: extraction must stay linear in its input (such runs took 31 s and 50 s when
  patterns backtracked over them).

The wall clock and the process's CPU time are both printed: on a busy shared machine they differ.

    .venv/bin/python bench/extract.py [--lines 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

from campaign.core.registers import Registers
from campaign.extract import Extractor
from campaign.extract.reading import load_synonyms, read_report
from campaign.extract.review import review_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "extract" / "seed-changzhi-2022-09-05.txt"


def long_text(lines: int, paragraphs_only: bool = False, seed: int = 1) -> str:
    """``lines`` non-empty lines of the seed article repeated; every copy's digits shuffled."""
    article = [line for line in read_report(SEED).splitlines() if line.strip()]
    if paragraphs_only:
        article = article[4:12]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < lines:
        digits = list("0123456789")
        rng.shuffle(digits)
        shift = str.maketrans("0123456789", "".join(digits))
        out += [line.translate(shift) for line in article]
    return "\n".join(out[:lines]) + "\n"


def time_extraction(extractor: Extractor, text: str, repeat: int) -> tuple[float, float, int, int]:
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        extraction = extractor.extract(text, dt.date(2022, 9, 5))
        review_text(extraction.figures)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    matched = sum(1 for f in extraction.figures if f.indicator)
    return min(times), min(cpu), len(extraction.figures), matched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    extractor = Extractor(Registers.load(ROOT / "data"), load_synonyms(ROOT / "data"))
    print(f"set-up (registers, aliases): {time.perf_counter() - started:.3f} s")
    extractor.extract(long_text(40), dt.date(2022, 9, 5))  # warm up: OpenCC's dictionaries, regex caches

    for name, paragraphs_only in (("article", False), ("paragraphs", True)):
        text = long_text(args.lines, paragraphs_only)
        wall, cpu, figures, matched = time_extraction(extractor, text, args.repeat)
        print(
            f"{name}: {args.lines} lines, {len(text):,} characters, {figures} figures ({matched} with an indicator): "
            f"extraction and review CSV {wall:.3f} s wall clock, {cpu:.3f} s CPU (best of {args.repeat})"
        )

    for label, run in (
        ("40,000 digits", "7" * 40_000),
        ("40,000 digits then 人", "7" * 40_000 + "人"),
        ("20,000 一", "一" * 20_000),
        ("20,000 十 then 人", "十" * 20_000 + "人"),
        ("20,000 '1,'", "1," * 20_000),
    ):
        text = f"标题\n截至6月底，{run}，全县务工1200人。\n"
        wall, cpu, figures, matched = time_extraction(extractor, text, args.repeat)
        print(f"long runs: {label}: {figures} figure(s), {wall:.3f} s wall clock, {cpu:.3f} s CPU")

    # one sentence listing many figures of one unit (务工101人、务工102人、…): each figure's words are
    # weighed against the others' (the cost per figure grows with their number; the ratio shows how)
    times = {}
    for count in (500, 1000, 2000):
        listing = "、".join(f"务工{100 + i % 800}人" for i in range(count))
        wall, cpu, figures, matched = time_extraction(extractor, f"标题\n截至6月底，{listing}。\n", 1)
        times[count] = cpu
        print(f"one sentence of {count} figures ({len(listing):,} characters): {figures} figure(s), {cpu:.3f} s CPU")
    print(f"  2000 against 1000 figures: {times[2000] / times[1000]:.1f}x the CPU (2.0x is linear, 4.0x quadratic)")


if __name__ == "__main__":
    main()
