"""Benchmark: how long `make reports` takes for the default run, against its floor and the naive way.

Measured in one run, in a temporary copy of the project (sharing this checkout's .venv):
  cold      `make -j2 reports` with the virtual environment present and every output absent
  floor     the notebooks' own compute: each notebook as a plain Python script
            (`jupyter nbconvert --to script`), run one after another
  naive     what a user would type by hand: `jupyter nbconvert --execute --to html` and
            `--execute --to chromiumpdf --no-input` (nbconvert's webpdf cannot find a browser here)
            for each notebook, one after another
  no-op     `make reports` again with nothing changed
  touch     `make reports` after touching notebooks/30-sales.ipynb
Prints each time and the ratios. Usage: python bench/make_reports.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["00-clean", "10-employment", "20-funding", "30-sales", "40-training-policy", "90-summary"]
IGNORED = shutil.ignore_patterns(".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info")


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def fresh_copy(parent: Path) -> Path:
    project = parent / "project"
    shutil.copytree(ROOT, project, ignore=IGNORED, symlinks=True)
    (project / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["make", "clean-reports"], cwd=project, check=True, stdout=subprocess.DEVNULL)
    return project


def main() -> None:
    bin_dir = ROOT / ".venv" / "bin"
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as temporary:
        project = fresh_copy(Path(temporary))
        env = {
            **os.environ,
            "PYTHONPATH": str(project / "src"),
            "MPLBACKEND": "Agg",
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
        }
        subprocess.run(["make", "setup"], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)

        cold = timed(["make", "-j2", "reports"], project, env)
        noop = timed(["make", "reports"], project, env)
        (project / "notebooks" / "30-sales.ipynb").touch()
        touch = timed(["make", "reports"], project, env)

        # Floor: the notebooks as scripts with their default parameters (the default run).
        scripts = Path(temporary) / "scripts"
        floor = 0.0
        for name in NOTEBOOKS:
            subprocess.run(
                [
                    str(bin_dir / "jupyter"),
                    "nbconvert",
                    "--to",
                    "script",
                    "--output-dir",
                    str(scripts),
                    str(project / "notebooks" / f"{name}.ipynb"),
                ],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            floor += timed([str(bin_dir / "python"), str(scripts / f"{name}.py")], project / "notebooks", env)

        # Naive: execute every notebook twice, once per format, one after another.
        subprocess.run(["make", "clean-reports"], cwd=project, check=True, stdout=subprocess.DEVNULL)
        naive_out = Path(temporary) / "naive"
        naive = 0.0
        for name in NOTEBOOKS:
            notebook = str(project / "notebooks" / f"{name}.ipynb")
            for fmt in (["--to", "html"], ["--to", "chromiumpdf", "--no-input"]):
                naive += timed(
                    [
                        str(bin_dir / "jupyter"),
                        "nbconvert",
                        "--execute",
                        *fmt,
                        "--output-dir",
                        str(naive_out),
                        notebook,
                    ],
                    project,
                    env,
                )

    print(f"cold make -j2 reports:          {cold:7.1f} s")
    print(f"floor (notebooks as scripts):   {floor:7.1f} s")
    print(f"naive nbconvert, one by one:    {naive:7.1f} s")
    print(f"no-op make reports:             {noop:7.2f} s")
    print(f"after touching 30-sales:        {touch:7.1f} s")
    print(f"cold / floor:  {cold / floor:5.2f}  (aim: at most 3)")
    print(f"naive / cold:  {naive / cold:5.2f}  (aim: at least 2)")
    print(f"no-op under 1 s: {'yes' if noop < 1 else 'no'}")


if __name__ == "__main__":
    sys.exit(main())
