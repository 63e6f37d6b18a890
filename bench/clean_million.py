"""The clean step on a 1,000,000-row raw file: time of each part and peak memory.

    .venv/bin/python bench/clean_million.py            # 1,000,000 rows
    .venv/bin/python bench/clean_million.py 200000     # another size

The raw rows are invented for the benchmark (registered regions and indicators, printed figures
in each indicator's unit, one period end a day going back from 2022-08-31, the seed article as
their source) and written to a temporary data folder with the project's registers. The clean
step runs in a child process, so that its peak memory (maximum resident set size) is its own.
The issue-19 target: under a minute and 2 GB for 1,000,000 rows.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "region,period_end,indicator,printed,source_id,locator,note\n"
REGIONS = ["中国", "山西省", "长治市", "大同市", "阳泉市"]
SOURCE = "seed-changzhi-2022-09-05"  # published 2022-09-05: every period end is before it
LAST_PERIOD = dt.date(2022, 8, 31)


def printed(unit: str, rng: random.Random) -> str:
    """An invented printed figure in ``unit``."""
    if unit == "yuan":
        return f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}万元"
    if unit == "ratio":
        return f"{rng.randint(1, 99)}.{rng.randint(0, 99):02d}%"
    if unit == "rank":
        return f"第{rng.randint(1, 11)}"
    if unit == "person_times":
        return f"{rng.randint(1, 999)}.{rng.randint(0, 9)}万人次"
    counter = {"persons": "人", "households": "户", "items": "个", "sessions": "期", "times": "次"}[unit]
    return f"{rng.randint(1, 999999)}{counter}"


def write_raw_rows(data_dir: Path, rows: int, name: str = "bench-invented.csv", seed: int = 19) -> Path:
    """A data folder with the project's registers and one invented raw file of ``rows`` rows."""
    sys.path.insert(0, str(ROOT / "src"))
    from campaign.core.registers import Registers

    data_dir.mkdir(parents=True, exist_ok=True)
    for register in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(ROOT / "data" / register, data_dir / register)
    (data_dir / "raw").mkdir(exist_ok=True)
    (data_dir / "processed").mkdir(exist_ok=True)
    indicators = list(Registers.load(data_dir).indicators.values())
    rng = random.Random(seed)
    path = data_dir / "raw" / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        written, day = 0, 0
        while written < rows:
            period = (LAST_PERIOD - dt.timedelta(days=day)).isoformat()
            for region in REGIONS:
                for indicator in indicators:
                    if written == rows:
                        break
                    figure = "" if indicator.qualitative else printed(indicator.unit, rng)
                    note = "invented qualitative fact" if indicator.qualitative else ""
                    handle.write(f"{region},{period},{indicator.id},{figure},{SOURCE},paragraph 1,{note}\n")
                    written += 1
            day += 1
    return path


CHILD = """
import resource, sys, time
t0 = time.perf_counter()
from campaign.core.registers import Registers
from campaign.dataset.clean import read_raw, tidy_observations, write_outputs, CleanOutputs
from campaign.dataset.checks import run_checks, underivable_findings
from campaign.dataset.derived import derive_metrics
from campaign.dataset.runindex import build_index, input_signature, run_figures
import pandas as pd
data_dir = __import__("pathlib").Path(sys.argv[1])
t1 = time.perf_counter()
registers = Registers.load(data_dir)
raw = read_raw(data_dir / "raw", root=data_dir.parent)
t2 = time.perf_counter()
observations = tidy_observations(raw, registers)
t3 = time.perf_counter()
underivable = []
derived = derive_metrics(observations, registers, underivable)
t4 = time.perf_counter()
quality = pd.concat([run_checks(observations, registers), underivable_findings(observations, underivable)])
index = build_index(registers, run_figures(raw, registers), input_signature(data_dir))
t5 = time.perf_counter()
write_outputs(CleanOutputs(observations, derived, quality, index), data_dir / "processed")
t6 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{t1-t0:.1f} {t2-t1:.1f} {t3-t2:.1f} {t4-t3:.1f} {t5-t4:.1f} {t6-t5:.1f} {t6-t0:.1f} {peak:.0f} "
      f"{len(observations)} {len(derived)} {len(quality)}")
"""


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as folder:
        data_dir = Path(folder) / "data"
        started = time.perf_counter()
        path = write_raw_rows(data_dir, rows)
        print(
            f"invented raw file: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB ({time.perf_counter() - started:.1f} s)"
        )
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(data_dir)],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        )
        if result.returncode:
            raise SystemExit(result.stderr[-3000:])
        imports, read, tidy, derive, checks, write, total, peak, observations, derived, quality = result.stdout.split()
        print(f"  imports                     {imports:>6} s")
        print(f"  read raw (registers, rows)  {read:>6} s")
        print(f"  validate and tidy           {tidy:>6} s")
        print(f"  derived figures             {derive:>6} s   ({int(derived):,} rows)")
        print(f"  checks, run index           {checks:>6} s   ({int(quality):,} rows)")
        print(f"  write processed files       {write:>6} s")
        print(f"clean step: {total} s for {int(observations):,} observations, peak memory {float(peak) / 1024:.2f} GB")
        print(
            f"(target: under 60 s and 2 GB; this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)"
        )


if __name__ == "__main__":
    main()
