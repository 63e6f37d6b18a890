"""Execute one notebook with papermill and export it, in one process: the build's unit of work.

    python -m campaign.execute notebooks/30-sales.ipynb reports/executed/<run>/30-sales.ipynb \\
        --cwd notebooks -p region changzhi -p lang en --html-dir reports/html/<run> --pdf-dir reports/pdf/<run>

The executed notebook is written to a temporary file and renamed only when every cell ran; a
failing cell prints papermill's account (notebook, cell, error), leaves no output behind and
exits with status 1. Doing the export in the same process saves starting Python and importing
nbconvert a second time for every notebook.

Output stays readable in build logs and under `make -j`: papermill's progress bar is shown only
on a terminal and when make runs one step at a time, and each finished step prints one line. The
kernel's channels are encrypted (CurveZMQ keys provisioned by the kernel manager, which the
ipykernel kernelspec supports), so ipykernel has no "running over TCP without encryption" warning
to print for every notebook; and the kernel of a finished notebook is shut down without the
interrupt that jupyter_client sends first, which, landing while the kernel still handles a
message, logged a stray "KeyboardInterrupt caught in kernel" error now and then.

The step owns the figures the notebook saves (``campaign.plots.save_figure`` lists them in the
file named by $CAMPAIGN_FIGURE_MANIFEST): before the notebook runs, the figures it saved last
time are deleted, so none can outlive the data that made it; after it ran, a make dependency
file (``.<notebook>.d`` beside the executed notebook) lists the figures it saved, so that
deleting one makes `make` run the notebook again. Temporary files that a killed build left
behind are removed first. The executed notebook carries no timestamps and fixed cell ids, so
two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from .startup import skip_slow_optional_imports

FIGURE_MANIFEST = "CAMPAIGN_FIGURE_MANIFEST"
_TIMING_KEYS = ("start_time", "end_time", "duration")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
_UNSAFE_IN_MAKE = set(" \t\n\r:#$%=\\\"'`;|&<>()*?[]{}")


def dependency_file(output: Path) -> Path:
    """The make dependency file of an executed notebook: ``.<name>.d`` beside it."""
    return output.parent / f".{output.stem}.d"


def read_dependency_file(path: Path) -> list[Path]:
    """The figures a dependency file lists (its ``figure:`` lines with empty rules)."""
    if not path.exists():
        return []
    figures = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.endswith(":") and not line.startswith("#"):
            figures.append(Path(line[:-1]))
    return figures


def write_dependency_file(path: Path, outputs: list[Path], figures: list[Path]) -> None:
    """``outputs: figures`` plus an empty rule per figure (as gcc -MP does), so that make
    rebuilds the outputs when a figure is deleted and does not stop when one is no longer made."""
    from .io import write_bytes_atomically

    for figure in figures:
        unsafe = _UNSAFE_IN_MAKE & set(str(figure))
        if unsafe:
            raise ValueError(f"figure path {str(figure)!r} has characters make cannot read: {''.join(sorted(unsafe))}")
    lines = [f"# figures saved by the notebook behind {outputs[0]} (written by campaign.execute)"]
    lines.append(" ".join(str(o) for o in outputs) + ":" + "".join(f" {f}" for f in figures))
    lines += [f"{f}:" for f in figures]
    write_bytes_atomically(("\n".join(lines) + "\n").encode("utf-8"), path)


def _relative(path: str | Path) -> Path:
    """``path`` relative to the working directory (the project, when make runs this)."""
    return Path(os.path.relpath(Path(path).resolve(), Path.cwd()))


def _saved_figures(manifest: Path) -> list[Path]:
    if not manifest.exists():
        return []
    lines = manifest.read_text(encoding="utf-8").splitlines()
    return sorted({_relative(line) for line in lines if line.strip()})


def make_reproducible(notebook, source_ids: list[str], name: str, output: Path) -> None:
    """Strip what changes from run to run: papermill's and nbclient's timestamps and durations,
    the temporary output path, the random id of the cell papermill injects and memory addresses
    in plain-text representations of objects."""
    papermill = notebook.metadata.get("papermill", {})
    for key in _TIMING_KEYS:
        papermill.pop(key, None)
    if "output_path" in papermill:
        papermill["output_path"] = str(output)
    used = set(source_ids)
    for index, cell in enumerate(notebook.cells):
        for key in _TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("text/plain")
            if isinstance(plain, str):  # "<Styler at 0x7f...>": a memory address differs every run
                output["data"]["text/plain"] = _ADDRESS.sub(">", plain)
        if cell.get("id") not in source_ids:
            candidate = f"{name}-{index}"
            while candidate in used:
                candidate += "x"
            cell["id"] = candidate
            used.add(candidate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m campaign.execute", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("output", type=Path, help="where the executed notebook goes")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    parser.add_argument("--cwd", type=Path, help="working directory of the kernel")
    parser.add_argument("--html-dir", type=Path, help="also export HTML (code shown) here")
    parser.add_argument("--pdf-dir", type=Path, help="also export PDF (code hidden) here")
    parser.add_argument("--no-progress-bar", action="store_true", help="(shown only on a terminal without make -j)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    skip_slow_optional_imports()
    import nbformat
    import papermill

    from .io import atomic_path, remove_stale_temporaries

    name = args.notebook.stem
    output, deps = args.output, dependency_file(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)

    # What a killed build left behind, and the figures this notebook saved last time.
    previous_figures = read_dependency_file(deps)
    remove_stale_temporaries(output.parent, output.name)
    remove_stale_temporaries(args.html_dir, f"{name}.html")
    remove_stale_temporaries(args.pdf_dir, f"{name}.pdf")
    for figure in previous_figures:
        remove_stale_temporaries(figure.parent, figure.name)
        figure.unlink(missing_ok=True)

    handle, manifest = tempfile.mkstemp(prefix=f".{name}.", suffix=".figures.tmp", dir=output.parent)
    os.close(handle)
    manifest = Path(manifest).resolve()
    os.environ[FIGURE_MANIFEST] = str(manifest)  # the kernel inherits it
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp.ipynb", dir=output.parent)
    os.close(handle)
    try:
        papermill.execute_notebook(
            str(args.notebook),
            temporary,
            parameters=dict(args.parameter),
            cwd=str(args.cwd) if args.cwd else None,
            progress_bar=not args.no_progress_bar and show_progress_bar(),
            config=kernel_manager_config(),
            kernel_manager_class=build_kernel_manager(),
        )
        figures = _saved_figures(manifest)
        executed = nbformat.read(temporary, as_version=4)
        source = nbformat.read(args.notebook, as_version=4)
        make_reproducible(executed, [c.get("id") for c in source.cells], name, output)
    except papermill.PapermillExecutionError as error:
        for figure in _saved_figures(manifest):  # half a run's figures are no one's
            figure.unlink(missing_ok=True)
        print(
            f"\n{args.notebook}: cell {error.exec_count} failed: {error.ename}: {error.evalue}\n{error}",
            file=sys.stderr,
        )
        return 1
    finally:
        Path(temporary).unlink(missing_ok=True)
        manifest.unlink(missing_ok=True)

    targets = [output]
    if args.html_dir:
        targets.append(args.html_dir / f"{name}.html")
    if args.pdf_dir:
        targets.append(args.pdf_dir / f"{name}.pdf")
    # Written before the executed notebook, so that make finds it older than its target.
    write_dependency_file(deps, targets, figures)
    with atomic_path(output) as final:
        nbformat.write(executed, final)

    if args.html_dir or args.pdf_dir:
        from .export import ChromiumNotFoundError, export_notebooks

        try:
            export_notebooks([output], args.html_dir, args.pdf_dir)
        except ChromiumNotFoundError as error:
            output.unlink(missing_ok=True)
            print(f"{args.notebook}: export: {error}", file=sys.stderr)
            return 2
        except BaseException:
            output.unlink(missing_ok=True)  # the step is the three files: none may look done
            raise
    run = f" ({args.output.parent.name})" if args.output.parent.name != "executed" else ""
    print(f"done: {args.notebook.stem}{run} in {time.monotonic() - started:.0f} s", flush=True)
    return 0


def show_progress_bar() -> bool:
    """A progress bar only on a terminal, and not while make runs steps in parallel (they would interleave)."""
    makeflags = os.environ.get("MAKEFLAGS", "")
    return sys.stderr.isatty() and "--jobserver" not in makeflags and "-j" not in makeflags.split()


def kernel_manager_config():
    """Have the kernel manager provision CurveZMQ keys for kernels whose kernelspec supports them."""
    import zmq
    from traitlets.config import Config

    return Config({"KernelManager": {"transport_encryption": "auto"}} if zmq.has("curve") else {})


def build_kernel_manager():
    """A kernel manager that shuts a kernel down without interrupting it first: the notebook is done."""
    from jupyter_client.manager import AsyncKernelManager

    class BuildKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return BuildKernelManager


if __name__ == "__main__":
    sys.exit(main())
