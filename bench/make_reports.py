"""Benchmark: the real build (`make reports`, `make reports-all`) against its floor.

Everything is measured in one run, in temporary copies of the project that share this checkout's
.venv, with the environment a user has: no MPLBACKEND (an inherited one is removed), the
Makefile's own parallelism (-j as many as the cores).

  cold          `make reports` with every output absent (the default run)
  no-op         `make reports` again with nothing changed (median of several)
  incremental   `make reports` after touching notebooks/30-sales.ipynb (30-sales and the summary)
  cold all      `make reports-all` with every output absent (every run the data supports)
  floor         the notebooks' own compute for the same work: their code cells, with the
                parameters the build gives them, run one after another in one Python process
                (IPython's shell, no kernel, nothing exported), imports paid once; measured just
                before the build it is compared with, in a copy of its own
  floor, one interpreter per notebook (with --per-process): each notebook's code in a Python of
                its own, one after another, imports paid each time (the earlier benchmark's floor)

After each build it checks that the figures are embedded: every figure a notebook saved appears
as an image/png output of its executed notebook and as a data: image in its HTML, the summary
shows images, and every PDF with figures holds images. Prints the times, the ratios and the aims.

Usage: .venv/bin/python bench/make_reports.py [--repeat N] [--per-process] [--naive]
  --repeat N      measure each build and floor N times and keep the fastest (default 1)
  --naive         also time what a user would type by hand: `jupyter nbconvert --execute` to HTML
                  and again to PDF (chromiumpdf), for each notebook of the default run
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info", ".ipynb_checkpoints", ".jupyter"
)

# Runs one floor: python make_reports.py --floor PROJECT NOTEBOOK:REGION:PERIOD:LANG ...
FLOOR_SCRIPT = r"""
import os, sys
from pathlib import Path
from IPython.core.interactiveshell import InteractiveShell
import nbformat

project = Path(sys.argv[1])
os.chdir(project / "notebooks")
shell = InteractiveShell.instance()
for job in sys.argv[2:]:
    name, region, period, lang = job.split(":")
    parameters = {"data_dir": "../data", "reports_dir": "../reports"}
    if name != "00-clean":
        parameters.update(region=region, period_end=period, lang=lang)
    shell.reset(new_session=False)
    for cell in nbformat.read(f"{name}.ipynb", as_version=4).cells:
        if cell.cell_type != "code":
            continue
        shell.run_cell(cell.source, store_history=False).raise_error()
        if "parameters" in cell.metadata.get("tags", []):
            shell.user_ns.update(parameters)
"""


def environment(project: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "PATH": f"{BIN}:{os.environ['PATH']}"}
    env.pop("MPLBACKEND", None)  # the real build: the kernel's own backend
    return env


def fresh_copy(parent: Path, name: str) -> Path:
    project = parent / name
    shutil.copytree(ROOT, project, ignore=IGNORED, symlinks=True)
    (project / ".venv").symlink_to(ROOT / ".venv")
    clean_outputs(project)
    return project


def clean_outputs(project: Path) -> None:
    for generated in [*project.glob("data/processed/*"), *project.glob("reports/*/*")]:
        if generated.name != ".gitkeep":
            shutil.rmtree(generated) if generated.is_dir() else generated.unlink()


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def runs(project: Path, env: dict[str, str]) -> list[dict[str, str]]:
    """Every run `make reports-all` builds, as make variables; the default run first."""
    command = [str(BIN / "python"), "-m", "campaign"]
    default = subprocess.run([*command, "run-id", "--make-vars"], cwd=project, env=env, capture_output=True, text=True)
    every = subprocess.run([*command, "runs", "--make-vars"], cwd=project, env=env, capture_output=True, text=True)
    parsed = [
        dict(pair.split("=", 1) for pair in line.split()) for line in (default.stdout + every.stdout).splitlines()
    ]
    unique = {run["RUN"]: run for run in parsed}
    return list(unique.values())


def floor_jobs(selected: list[dict[str, str]], notebooks: list[str] | None = None) -> list[str]:
    jobs = ["00-clean:::"] if notebooks is None or "00-clean" in notebooks else []
    for run in selected:
        for name in [*run["ANALYSIS_NOTEBOOKS"].split(":"), "90-summary"]:
            if notebooks is None or name in notebooks:
                jobs.append(f"{name}:{run['REGION_SLUG']}:{run['PERIOD_END']}:{run['REPORT_LANG']}")
    return jobs


def floor(scratch: Path, jobs: list[str], env: dict[str, str], per_process: bool = False) -> float:
    """The notebooks' own compute for ``jobs``, in a copy whose processed data is already there
    when the jobs leave out the clean step."""
    python = [str(BIN / "python"), "-c", FLOOR_SCRIPT, str(scratch)]
    if not jobs[0].startswith("00-clean"):
        timed([*python, "00-clean:::"], scratch, env)  # its inputs, not timed
    if per_process:
        return sum(timed([*python, job], scratch, env) for job in jobs)
    return timed([*python, *jobs], scratch, env)


def check_figures_embedded(project: Path, run_ids: list[str]) -> int:
    """Every saved figure is embedded in its executed notebook and HTML; the summaries show
    images; PDFs of notebooks with figures hold images. Returns the number of figures checked."""
    import nbformat
    from pypdf import PdfReader

    checked = 0
    problems = []
    for run in run_ids:
        for deps in sorted((project / "reports" / "executed" / run).glob(".*.d")):
            name = deps.name[1:-2]
            saved = [line[:-1] for line in deps.read_text().splitlines() if line.endswith(".png:")]
            notebook = nbformat.read(deps.with_name(f"{name}.ipynb"), as_version=4)
            outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
            images = {base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})}
            html = (project / "reports" / "html" / run / f"{name}.html").read_text(encoding="utf-8")
            in_html = html.count("data:image/png;base64,")
            pdf_images = sum(
                len(page.images) for page in PdfReader(project / "reports" / "pdf" / run / f"{name}.pdf").pages
            )
            for figure in saved:
                if (project / figure).read_bytes() not in images:
                    problems.append(f"{run}/{name}: {figure} is not embedded in the executed notebook")
                checked += 1
            if in_html < max(len(saved), len(images)):
                problems.append(f"{run}/{name}: {in_html} images in the HTML, {len(saved)} figures saved")
            if name == "90-summary" and not images:
                problems.append(f"{run}/{name}: the summary shows no figure")
            if images and not pdf_images:
                problems.append(f"{run}/{name}: the PDF holds no image")
    if problems:
        sys.exit("figures are not embedded:\n  " + "\n  ".join(problems))
    return checked


def naive(project: Path, scratch: Path, env: dict[str, str], selected: dict[str, str]) -> float:
    """`jupyter nbconvert --execute` once per format for each notebook of the default run."""
    out = scratch / "naive"
    total = 0.0
    for name in ["00-clean", *selected["ANALYSIS_NOTEBOOKS"].split(":"), "90-summary"]:
        notebook = str(project / "notebooks" / f"{name}.ipynb")
        for fmt in (["--to", "html"], ["--to", "chromiumpdf", "--no-input"]):
            command = [str(BIN / "jupyter"), "nbconvert", "--execute", *fmt, "--output-dir", str(out), notebook]
            total += timed(command, project / "notebooks", env)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--per-process", action="store_true", help="also the floor with one interpreter per notebook")
    parser.add_argument("--naive", action="store_true", help="also time nbconvert --execute, one notebook at a time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as temporary:
        parent = Path(temporary)
        project, scratch = fresh_copy(parent, "project"), fresh_copy(parent, "floor")
        env = environment(project)
        floor_env = environment(scratch)
        subprocess.run(["make", "setup"], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
        every = runs(project, env)
        default = every[0]
        results: dict[str, list[float]] = {}

        def keep(key: str, seconds: float) -> None:
            results.setdefault(key, []).append(seconds)

        for _ in range(args.repeat):
            clean_outputs(scratch)
            keep("floor", floor(scratch, floor_jobs([default]), floor_env))
            clean_outputs(project)
            keep("cold", timed(["make", "reports"], project, env))
            figures = check_figures_embedded(project, [default["RUN"]])
            noops = [timed(["make", "reports"], project, env) for _ in range(5)]
            keep("no-op", statistics.median(noops))

            keep("floor incremental", floor(scratch, floor_jobs([default], ["30-sales", "90-summary"]), floor_env))
            (project / "notebooks" / "30-sales.ipynb").touch()
            keep("incremental", timed(["make", "reports"], project, env))

            clean_outputs(scratch)
            keep("floor all", floor(scratch, floor_jobs(every), floor_env))
            clean_outputs(project)
            keep("cold all", timed(["make", "reports-all"], project, env))
            figures_all = check_figures_embedded(project, [run["RUN"] for run in every])
            keep("no-op all", statistics.median(timed(["make", "reports-all"], project, env) for _ in range(5)))
        if args.per_process:
            clean_outputs(scratch)
            keep("floor per process", floor(scratch, floor_jobs([default]), floor_env, per_process=True))
        if args.naive:
            clean_outputs(project)
            keep("naive", naive(project, parent, env, default))

    best = {key: min(values) for key, values in results.items()}
    print(f"runs: {default['RUN']} (make reports); {len(every)} runs (make reports-all); cores: {os.cpu_count()}")
    print(f"figures embedded: {figures} of make reports, {figures_all} of make reports-all (notebook, HTML, PDF)")
    print(f"cold make reports:               {best['cold']:7.1f} s   floor {best['floor']:6.1f} s")
    print(f"incremental (touch 30-sales):    {best['incremental']:7.1f} s   floor {best['floor incremental']:6.1f} s")
    print(f"cold make reports-all:           {best['cold all']:7.1f} s   floor {best['floor all']:6.1f} s")
    print(f"no-op make reports:              {best['no-op']:7.2f} s   (median of 5)")
    print(f"no-op make reports-all:          {best['no-op all']:7.2f} s   (median of 5)")
    if "floor per process" in best:
        print(f"floor, one interpreter per notebook (make reports): {best['floor per process']:.1f} s")
    if "naive" in best:
        print(f"naive nbconvert --execute per format, one by one: {best['naive']:.1f} s")
    cold, incremental, every_run = (
        best["cold"] / best["floor"],
        best["incremental"] / best["floor incremental"],
        best["cold all"] / best["floor all"],
    )
    print(f"cold / floor:          {cold:5.2f}   (aim: at most 1.5)")
    print(f"incremental / floor:   {incremental:5.2f}")
    print(f"cold all / floor all:  {every_run:5.2f}   (aim: at most 1.5)")
    if "floor per process" in best:
        print(f"cold / floor with one interpreter per notebook: {best['cold'] / best['floor per process']:5.2f}")
    if "naive" in best:
        print(f"naive / cold:          {best['naive'] / best['cold']:5.2f}")
    print(f"no-op under 0.3 s:     {'yes' if best['no-op'] < 0.3 else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
