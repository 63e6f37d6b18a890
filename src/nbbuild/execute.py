"""Execute one notebook with papermill and export it, in one process: the build's unit of work.

    python -m nbbuild.execute notebooks/30-sales.ipynb reports/executed/<run>/30-sales.ipynb \\
        --cwd notebooks -p region changzhi -p lang en --html-dir reports/html/<run> --pdf-dir reports/pdf/<run>

The executed notebook is written to a temporary file and renamed only when every cell ran; a
failing cell prints papermill's account (notebook, cell, error), leaves no output behind and
exits with status 1. Doing the export in the same process saves starting Python and importing
nbconvert a second time for every notebook; Chromium starts while the notebook runs.

When $CAMPAIGN_BUILD_SERVER names a build server (`make reports` starts one, see
nbbuild.server), this process only hands the step over and relays its output and exit
status: the server runs the same code (``run_step``) with kernels started ahead of time and one
Chromium for every PDF. Either way the kernel gets the step's environment less what make sets
for itself (NOT_FOR_THE_KERNEL), keeps IPython's history in memory (as nbclient has it) and is
shut down as soon as the notebook is done; papermill never changes the working directory of
the process (the kernel starts in --cwd).

Output stays readable in build logs and under `make -j`: papermill's progress bar is shown only
on a terminal and when make runs one step at a time, and each finished step prints one line. The
kernel's channels are encrypted (CurveZMQ keys provisioned by the kernel manager, which the
ipykernel kernelspec supports), so ipykernel has no "running over TCP without encryption" warning
to print for every notebook; and the kernel of a finished notebook is shut down without the
interrupt that jupyter_client sends first, which, landing while the kernel still handles a
message, logged a stray "KeyboardInterrupt caught in kernel" error now and then.

The step owns the figures the notebook saves (``campaign.view.theme.save_figure`` lists them in the
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
import sys
import tempfile
import time
from pathlib import Path

from nbbuild.kernels import SERVER, Kernel, SharedPrinter, kernel_environment, register_engine
from nbbuild.startup import skip_slow_optional_imports
from nbbuild.stepfiles import (
    _saved_figures,
    dependency_file,
    make_reproducible,
    read_dependency_file,
    write_dependency_file,
)


def run_on_server(argv: list[str]) -> int | None:
    """Send the step to the build server named by $CAMPAIGN_BUILD_SERVER (a Unix socket) and
    relay its output; its exit status, or None when there is no server to take it."""
    address = os.environ.get(SERVER)
    if not address:
        return None
    import json
    import socket

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(address)
    except OSError as error:
        connection.close()
        print(f"nbbuild.execute: no build server at {address} ({error.strerror}); the step runs alone", file=sys.stderr)
        return None
    with connection:
        request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "progress_bar": show_progress_bar()}
        try:
            connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
            for line in connection.makefile("r", encoding="utf-8"):
                message = json.loads(line)
                if "out" in message:
                    sys.stdout.write(message["out"])
                    sys.stdout.flush()
                elif "err" in message:
                    sys.stderr.write(message["err"])
                    sys.stderr.flush()
                elif "exit" in message:
                    return message["exit"]
                elif "local" in message:
                    return None
        except KeyboardInterrupt:  # make was interrupted: closing the connection stops the step
            return 130
    print(f"{argv[0] if argv else 'nbbuild.execute'}: the build server stopped during the step", file=sys.stderr)
    return 1


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m nbbuild.execute", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("output", type=Path, help="where the executed notebook goes")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    parser.add_argument("--cwd", type=Path, help="working directory of the kernel")
    parser.add_argument("--html-dir", type=Path, help="also export HTML (code shown) here")
    parser.add_argument("--pdf-dir", type=Path, help="also export PDF (code hidden) here")
    parser.add_argument("--no-progress-bar", action="store_true", help="(shown only on a terminal without make -j)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """The step, on the build server when $CAMPAIGN_BUILD_SERVER names one that answers, else here."""
    argv = list(sys.argv[1:] if argv is None else argv)
    served = run_on_server(argv)
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
    """Execute one notebook and export it (see the module's docstring); returns the exit status.

    The build server (nbbuild.server) calls this for each step it is sent, with the step's
    ``environ``, its pool of ``kernels`` started ahead of time, its ``printer`` (one Chromium for
    every PDF) and ``stopping`` (true once the build is over: nothing more is written). Run
    directly, the step starts its own kernel and browser.
    """
    args = parse_arguments(argv)
    started = time.monotonic()
    environ = dict(os.environ) if environ is None else environ
    if progress_bar is None:
        progress_bar = show_progress_bar()
    skip_slow_optional_imports()
    import papermill  # noqa: F401  (before the printer's thread imports nbconvert and playwright)

    own_printer = None
    if printer is None and args.pdf_dir:  # Chromium starts while the notebook runs
        printer = own_printer = SharedPrinter()
        own_printer.start_in_background()
    try:
        return _run_step(args, started, environ, kernels, printer, progress_bar, stopping)
    finally:
        if own_printer is not None:
            own_printer.close()


def _run_step(args, started, environ, kernels, printer, progress_bar, stopping) -> int:
    import nbformat
    import papermill

    from campaign.core.files import atomic_path, remove_stale_temporaries

    name = args.notebook.stem
    output, deps = args.output, dependency_file(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    source = nbformat.read(args.notebook, as_version=4)

    # What a killed build left behind, and the figures this notebook saved last time.
    previous_figures = read_dependency_file(deps)
    remove_stale_temporaries(output.parent, output.name)
    remove_stale_temporaries(args.html_dir, f"{name}.html")
    remove_stale_temporaries(args.pdf_dir, f"{name}.pdf")
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
    try:
        papermill.execute_notebook(
            str(args.notebook),
            temporary,
            parameters=dict(args.parameter),
            progress_bar=not args.no_progress_bar and progress_bar,
            engine_name=register_engine(),
            km=kernel.km,  # the engine shuts it down when the notebook is done
            # At once: every output has arrived (nbclient waits for the kernel to be idle after
            # each cell), files were written by then, and the kernel's history is in memory.
            shutdown_kernel="immediate",
            # The executed notebook is written once, when it is done, not after every cell: it
            # is a temporary file no one watches.
            request_save_on_cell_execute=False,
        )
        figures = _saved_figures(kernel.manifest)
        executed = nbformat.read(temporary, as_version=4)
        make_reproducible(executed, [c.get("id") for c in source.cells], name, output)
    except papermill.PapermillExecutionError as error:
        for figure in _saved_figures(kernel.manifest):  # half a run's figures are no one's
            figure.unlink(missing_ok=True)
        print(
            f"\n{args.notebook}: cell {error.exec_count} failed: {error.ename}: {error.evalue}\n{error}",
            file=sys.stderr,
        )
        return 1
    except BaseException:  # the kernel died, the step was interrupted...
        for figure in _saved_figures(kernel.manifest):
            figure.unlink(missing_ok=True)
        raise
    finally:
        kernel.discard()
        Path(temporary).unlink(missing_ok=True)
    if stopping is not None and stopping():  # the build is over: this run's figures are no one's
        for figure in figures:
            figure.unlink(missing_ok=True)
        return 1

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
        from nbbuild.export import ChromiumNotFoundError, export_notebooks

        try:
            if stopping is not None and stopping():
                raise InterruptedError("the build is over")
            export_notebooks([output], args.html_dir, args.pdf_dir, printer=printer)
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


if __name__ == "__main__":
    sys.exit(main())
