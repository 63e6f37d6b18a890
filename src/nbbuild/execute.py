"""A build step: execute one notebook with papermill, or export an executed one with nbconvert.

    python -m nbbuild.execute notebooks/30-sales.ipynb reports/executed/<run>/30-sales.ipynb \\
        --cwd notebooks --figures-dir reports/figures/<run> -p region changzhi -p lang en
    python -m nbbuild.execute --export reports/executed/<run>/30-sales.ipynb \\
        --html-dir reports/html/<run> --pdf-dir reports/pdf/<run>

The executed notebook is written to a temporary file and renamed only when every cell ran; a
failing cell prints papermill's account (notebook, cell, error), leaves no output behind and
exits with status 1. An export writes the HTML and the PDF, or neither. Any other failure (a
full or read-only disk, a browser that hangs or dies, a bad configuration) is one line.

When $NBBUILD_SERVER names a build server (`make reports` starts one, see nbbuild.server), this
process only hands the step over and relays its output and exit status: the server runs the
same code (``run_step``) with kernels started ahead of time and one Chromium for every PDF.
Either way the kernel gets the step's environment less what make sets for itself
(nbbuild.kernels), keeps IPython's history in memory (as nbclient has it) and is stopped as
soon as the notebook is done, by papermill's engine ``nbbuild`` (nbbuild.engine); papermill
never changes the working directory of the process (the kernel starts in --cwd).

Output stays readable in build logs and under `make -j`: papermill's progress bar is shown only
on a terminal and when make runs one step at a time, and each finished execution prints one
line. The kernel's channels are encrypted (CurveZMQ keys provisioned by the kernel manager,
which the ipykernel kernelspec supports), so ipykernel has no "running over TCP without
encryption" warning to print for every notebook.

The step owns the figures the notebook saves in --figures-dir (the kernel lists them in the file
named by the variable the configuration's ``figure-manifest`` names): before the notebook runs,
the figures it saved last time are deleted, so none can outlive the data that made it; after it
ran, a make dependency file (``.<notebook>.d`` beside the executed notebook) lists the figures
it saved, so that deleting one makes `make` run the notebook again. The step deletes nothing
outside --figures-dir, whatever a dependency file lists. Temporary files that a killed build left
behind are removed first. The executed notebook carries no timestamps and fixed cell ids, so two
builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbbuild import config
from nbbuild.files import atomic_path, inside, remove_stale_temporaries
from nbbuild.kernels import (
    Kernel,
    SharedPrinter,
    kernel_environment,
    temporary_folder,
    use_private_folders,
)
from nbbuild.startup import skip_slow_optional_imports
from nbbuild.stepfiles import (
    _saved_figures,
    dependency_file,
    make_reproducible,
    read_dependency_file,
    write_dependency_file,
)
from nbbuild.wire import run_on_server

ENGINE = "nbbuild"  # papermill's engine for a kernel the build started (nbbuild.engine; an entry point)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m nbbuild.execute", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("output", type=Path, nargs="?", help="where the executed notebook goes")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    parser.add_argument("--cwd", type=Path, help="working directory of the kernel")
    parser.add_argument("--figures-dir", type=Path, help="the folder of the figures the notebook saves (the step's)")
    parser.add_argument("--export", action="store_true", help="NOTEBOOK is executed: only export it")
    # with OUTPUT, the step exports the executed notebook as well
    parser.add_argument("--html-dir", type=Path, help="export HTML (code shown) here")
    parser.add_argument("--pdf-dir", type=Path, help="export PDF (code hidden) here")
    parser.add_argument("--no-progress-bar", action="store_true", help="(shown only on a terminal without make -j)")
    args = parser.parse_args(argv)
    if args.export == (args.output is not None):
        parser.error("give OUTPUT to execute, or --export to export an executed notebook")
    if args.export and not (args.html_dir or args.pdf_dir):
        parser.error("--export needs --html-dir, --pdf-dir or both")
    return args


def main(argv: list[str] | None = None) -> int:
    """The step, on the build server when $NBBUILD_SERVER names one that answers, else here."""
    argv = list(sys.argv[1:] if argv is None else argv)
    served = run_on_server(argv, show_progress_bar())
    return run_step(argv) if served is None else served


def run_step(
    argv: list[str],
    *,
    environ: dict[str, str] | None = None,
    kernels=None,
    printer=None,
    progress_bar: bool | None = None,
    stopping=None,
) -> int:
    """Execute one notebook, or export one (see the module's docstring); returns the exit status.

    The build server (nbbuild.server) calls this for each step it is sent, with the step's
    ``environ``, its pool of ``kernels`` started ahead of time, its ``printer`` (one Chromium for
    every PDF) and ``stopping`` (true once the build is over: nothing more is written). Run
    directly, the step starts its own kernel and browser, and keeps IPython's, matplotlib's and
    Jupyter's files in a temporary folder of its own.
    """
    from nbbuild.printer import PrinterError

    args = parse_arguments(argv)
    started = time.monotonic()
    environ = dict(os.environ) if environ is None else environ
    if progress_bar is None:
        progress_bar = show_progress_bar()
    skip_slow_optional_imports()
    private = None
    if kernels is None and not args.export:
        private = temporary_folder("nbbuild-step-")
        use_private_folders(private)
    own_printer = None
    if printer is None and args.pdf_dir:  # Chromium starts while the step does the rest
        import playwright.async_api  # noqa: F401  (imported here, before the printer's thread)
        import pypdf  # noqa: F401

        printer = own_printer = SharedPrinter()
        own_printer.start_in_background()
    try:
        if args.export:
            return _export(args, args.notebook, printer, stopping)
        status = _execute(args, started, environ, kernels, progress_bar, stopping)
        if status == 0 and (args.html_dir or args.pdf_dir):  # by hand: execute, then export
            status = _export(args, args.output, printer, stopping)
        return status
    except (config.ConfigError, PrinterError) as error:
        print(f"{args.notebook}: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a full or read-only disk, a folder given as a file...
        where = os.path.relpath(error.filename) if isinstance(error.filename, str) else "an output"
        print(f"{args.notebook}: cannot write {where}: {error.strerror or error}", file=sys.stderr)
        return 1
    finally:
        if own_printer is not None:
            own_printer.close()
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)


def _owned(args, figures: list[Path], source: str) -> list[Path]:
    """The figures inside the step's figures folder; any other path is named and left alone."""
    kept = []
    for figure in figures:
        if args.figures_dir is not None and inside(figure, args.figures_dir):
            kept.append(figure)
        else:
            print(
                f"{args.notebook}: {source} names {str(figure)[:200]!r}, not in the step's figures folder: left alone",
                file=sys.stderr,
            )
    return kept


def _execute(args, started, environ, kernels, progress_bar, stopping) -> int:
    import nbformat
    import papermill

    name = args.notebook.stem
    output, deps = args.output, dependency_file(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    source = nbformat.read(args.notebook, as_version=4)

    # What a killed build left behind, and the figures this notebook saved last time.
    previous_figures = _owned(args, read_dependency_file(deps), deps.name)
    remove_stale_temporaries(output.parent, output.name)
    for figure in previous_figures:
        remove_stale_temporaries(figure.parent, figure.name)
        figure.unlink(missing_ok=True)

    kernel_name = papermill.engines.papermill_engines.nb_kernel_name(engine_name=None, nb=source)
    cwd = str((args.cwd or Path()).resolve())
    if kernels is not None:
        kernel = kernels.take(kernel_name, cwd, kernel_environment(environ))
    else:
        handle, manifest = tempfile.mkstemp(prefix=f".{name}.", suffix=".figures.tmp", dir=output.parent)
        os.close(handle)
        kernel = Kernel.start(kernel_name, cwd, environ, Path(manifest).resolve())
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp.ipynb", dir=output.parent)
    os.close(handle)

    def forget_figures() -> None:  # half a run's figures are no one's
        for figure in _owned(args, _saved_figures(kernel.manifest), "the figure manifest"):
            figure.unlink(missing_ok=True)

    try:
        papermill.execute_notebook(
            str(args.notebook),
            temporary,
            parameters=dict(args.parameter),
            progress_bar=not args.no_progress_bar and progress_bar,
            engine_name=ENGINE,
            km=kernel.km,  # the engine stops it when the notebook is done
            # The executed notebook is written once, when it is done, not after every cell: it
            # is a temporary file no one watches.
            request_save_on_cell_execute=False,
        )
        figures = _saved_figures(kernel.manifest)
        executed = nbformat.read(temporary, as_version=4)
        make_reproducible(executed, [c.get("id") for c in source.cells], name, output)
    except papermill.PapermillExecutionError as error:
        forget_figures()
        print(
            f"\n{args.notebook}: cell {error.exec_count} failed: {error.ename}: {error.evalue}\n{error}",
            file=sys.stderr,
        )
        return 1
    except BaseException:  # the kernel died, the step was interrupted...
        forget_figures()
        raise
    finally:
        kernel.discard()
        Path(temporary).unlink(missing_ok=True)
    if stopping is not None and stopping():  # the build is over: this run's figures are no one's
        forget_figures()
        return 1

    try:
        # Written before the executed notebook, so that make finds it older than its target.
        write_dependency_file(deps, [output], figures)
        with atomic_path(output) as final:
            nbformat.write(executed, final)
    except BaseException:
        deps.unlink(missing_ok=True)
        forget_figures()
        raise
    run = f" ({args.output.parent.name})" if args.output.parent.name != "executed" else ""
    print(f"done: {args.notebook.stem}{run} in {time.monotonic() - started:.0f} s", flush=True)
    return 0


def _export(args, notebook: Path, printer, stopping) -> int:
    """HTML and PDF of an executed notebook; an output half written is deleted."""
    from nbbuild.export import export_notebooks

    name = notebook.stem
    targets = [d / f"{name}.{suffix}" for d, suffix in ((args.html_dir, "html"), (args.pdf_dir, "pdf")) if d]
    for target in targets:
        remove_stale_temporaries(target.parent, target.name)
    if stopping is not None and stopping():  # the build is over
        return 1
    try:
        export_notebooks([notebook], args.html_dir, args.pdf_dir, printer=printer)
    except BaseException:
        for target in targets:  # the step's outputs are one: none may look done alone
            target.unlink(missing_ok=True)
        raise
    return 0


def show_progress_bar() -> bool:
    """A progress bar only on a terminal, and not while make runs steps in parallel (they would interleave)."""
    makeflags = os.environ.get("MAKEFLAGS", "")
    return sys.stderr.isatty() and "--jobserver" not in makeflags and "-j" not in makeflags.split()


if __name__ == "__main__":
    sys.exit(main())
