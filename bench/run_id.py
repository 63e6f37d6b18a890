"""`campaign run-id` (run by every `make reports`, even one with nothing to do) against the size of
the data: it should cost the same for 1,000 raw rows as for 1,000,000.

    .venv/bin/python bench/run_id.py                       # 1,000, 100,000 and 1,000,000 rows
    .venv/bin/python bench/run_id.py 1000 50000            # other sizes

For each size: an invented raw file of that many rows (bench/clean_million.py writes it) beside
the project's registers, then
  - with the index: the clean step has run (it writes data/processed/index.sqlite), as after any
    `make reports`; run-id reads the index;
  - without it: the raw data changed since (or no clean step ran yet); run-id validates the
    registers and the raw rows itself, as the clean step does, before it names the run.
Each is the median of several runs of `python -m campaign run-id` as make runs it, with its peak
memory (maximum resident set size).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clean_million import ROOT, write_raw_rows


def timed_run_id(data_dir: Path, repeat: int) -> tuple[float, float, str]:
    """Median seconds, peak MB and output of `campaign run-id --make-vars` in ``data_dir``'s project
    (the peak as GNU time measures it: the process's own maximum resident set size)."""
    times, peak, output = [], 0.0, ""
    measured = data_dir.parent / "time.txt"
    for _ in range(repeat):
        started = time.perf_counter()
        result = subprocess.run(
            [
                "/usr/bin/time",
                "-f",
                "%M",
                "-o",
                str(measured),
                sys.executable,
                "-m",
                "campaign",
                "run-id",
                "--make-vars",
            ],
            cwd=data_dir.parent,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - started)
        if result.returncode:
            raise SystemExit(result.stderr)
        peak = max(peak, int(measured.read_text().split()[-1]) / 1024)
        output = result.stdout.split()[0]
    return statistics.median(times), peak, output


def clean_step(data_dir: Path) -> None:
    code = "import sys; from campaign.dataset.clean import clean, write_outputs; d = sys.argv[1]; write_outputs(clean(d), d + '/processed')"
    subprocess.run(
        [sys.executable, "-c", code, str(data_dir)], check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 100_000, 1_000_000]
    print(f"{'raw rows':>10}  {'with the index':>22}  {'without it':>22}")
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-run-id-") as folder:
            data_dir = Path(folder) / "data"
            write_raw_rows(data_dir, size)
            slow, slow_peak, slow_run = timed_run_id(data_dir, repeat=3 if size < 500_000 else 1)
            clean_step(data_dir)
            fast, fast_peak, fast_run = timed_run_id(data_dir, repeat=7)
            assert fast_run == slow_run, (fast_run, slow_run)
            rows.append((size, fast, slow))
            print(f"{size:>10,}  {fast:>8.3f} s {fast_peak:>7.0f} MB  {slow:>8.3f} s {slow_peak:>7.0f} MB   {fast_run}")
    (small, small_fast, _), (large, large_fast, _) = rows[0], rows[-1]
    print(f"with the index, {large:,} rows cost {large_fast / small_fast:.2f}x what {small:,} rows cost")


if __name__ == "__main__":
    main()
