"""Execute one notebook with papermill and export it, in one process: the build's unit of work.

    python -m campaign.execute notebooks/30-sales.ipynb reports/executed/<run>/30-sales.ipynb \\
        --cwd notebooks -p region changzhi -p lang en --html-dir reports/html/<run> --pdf-dir reports/pdf/<run>

The executed notebook is written to a temporary file and renamed only when every cell ran; a
failing cell prints papermill's account (notebook, cell, error), leaves no output behind and
exits with status 1. Doing the export in the same process saves starting Python and importing
nbconvert a second time for every notebook; Chromium starts while the notebook runs.

When $CAMPAIGN_BUILD_SERVER names a build server (`make reports` starts one, see
campaign.buildserver), this process only hands the step over and relays its output and exit
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
SERVER = "CAMPAIGN_BUILD_SERVER"
_TIMING_KEYS = ("start_time", "end_time", "duration")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
_UNSAFE_IN_MAKE = set(" \t\n\r:#$%=\\\"'`;|&<>()*?[]{}")


# What make and the Makefile put in a step's environment for themselves: the notebooks read none
# of it (their parameters come through papermill), so the kernel's environment leaves it out and
# one kernel, started ahead of time by the build server, can serve any step of any run.
NOT_FOR_THE_KERNEL = frozenset(
    {
        "MAKEFLAGS",
        "MFLAGS",
        "MAKELEVEL",
        "MAKEOVERRIDES",
        "MAKE_TERMOUT",
        "MAKE_TERMERR",
        "SHLVL",
        "_",
        "OLDPWD",
        "RUN",
        "REGION",
        "REGION_SLUG",
        "PERIOD",
        "PERIOD_END",
        "REPORT_LANG",
        "ANALYSIS_NOTEBOOKS",
        SERVER,
        FIGURE_MANIFEST,
    }
)
ENGINE = "campaign"


def kernel_environment(environ: dict[str, str]) -> dict[str, str]:
    """A step's environment as its kernel gets it (with the figure manifest added to it)."""
    return {name: value for name, value in environ.items() if name not in NOT_FOR_THE_KERNEL}


class Kernel:
    """A started kernel for one notebook, and the figure manifest its environment names."""

    def __init__(self, km, manifest: Path, on_discard=None):
        self.km, self.manifest, self._on_discard = km, manifest, on_discard

    @classmethod
    def start(
        cls, kernel_name: str, cwd: str, environ: dict[str, str], manifest: Path, zygote=None, **launch
    ) -> Kernel:
        """Start a kernel as nbclient would (IPython's history kept in memory); from ``zygote``
        (campaign.kernelzygote) if it can fork it."""
        import uuid

        from jupyter_core.utils import run_sync

        km = build_kernel_manager()(kernel_name=kernel_name, config=kernel_manager_config())
        if zygote is not None:
            from .kernelzygote import provisioner

            km.kernel_id = str(uuid.uuid4())
            km.provisioner = provisioner(km, zygote)
        env = {**kernel_environment(environ), FIGURE_MANIFEST: str(manifest)}
        extra = ["--HistoryManager.hist_file=:memory:"] if km.ipykernel else []
        run_sync(km.start_kernel)(cwd=cwd, env=env, extra_arguments=extra, **launch)
        return cls(km, manifest)

    def discard(self) -> None:
        """Shut the kernel down if it still runs (the engine shuts it down after the notebook)
        and delete the manifest."""
        from jupyter_core.utils import run_sync

        try:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.manifest.unlink(missing_ok=True)
            if self._on_discard is not None:
                self._on_discard(self)


class SharedPrinter:
    """One Chromium for the PDFs of a step, or of every step the build server runs: started at
    most once, in the background (see campaign.export.ChromiumPrinter). A Chromium that cannot
    be found is an error when a PDF is printed, not before."""

    def __init__(self):
        import threading

        self.lock, self.printer, self.error = threading.Lock(), None, None

    def start(self) -> None:
        from .export import ChromiumNotFoundError, ChromiumPrinter

        with self.lock:
            if self.printer is None and self.error is None:
                try:
                    self.printer = ChromiumPrinter()
                except ChromiumNotFoundError as error:
                    self.error = error

    def start_in_background(self) -> None:
        import threading

        threading.Thread(target=self.start, name="printer", daemon=True).start()

    def print_pages(self, pages: list[str]) -> list[bytes]:
        self.start()
        if self.error is not None:
            raise self.error
        return self.printer.print_pages(pages)

    def close(self) -> None:
        with self.lock:
            if self.printer is not None:
                self.printer.close()


def register_engine() -> str:
    """papermill's nbclient engine for a kernel started beforehand (papermill's ``km``): nbclient
    shuts down only the kernels it started, this engine shuts that one down too, and its client.
    The kernel's working directory is set when it starts, so papermill need not change the
    process's own (which the build server, running steps side by side, could not allow)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class StartedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            # as NBClientEngine's, but for cleanup_kc
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            return PapermillNotebookClient(nb_man, **final_kwargs).execute(cleanup_kc=True)

    if ENGINE not in papermill_engines._engines:
        papermill_engines.register(ENGINE, StartedKernelEngine)
    return ENGINE


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
        print(
            f"campaign.execute: no build server at {address} ({error.strerror}); the step runs alone", file=sys.stderr
        )
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
    print(f"{argv[0] if argv else 'campaign.execute'}: the build server stopped during the step", file=sys.stderr)
    return 1


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


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m campaign.execute", description=__doc__.split("\n\n")[0])
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

    The build server (campaign.buildserver) calls this for each step it is sent, with the step's
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

    from .io import atomic_path, remove_stale_temporaries

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
        from .export import ChromiumNotFoundError, export_notebooks

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
