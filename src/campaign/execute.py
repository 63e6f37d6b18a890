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
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from .startup import skip_slow_optional_imports


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
    import papermill

    args.output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{args.output.stem}.", suffix=".tmp.ipynb", dir=args.output.parent)
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
    except papermill.PapermillExecutionError as error:
        Path(temporary).unlink(missing_ok=True)
        print(
            f"\n{args.notebook}: cell {error.exec_count} failed: {error.ename}: {error.evalue}\n{error}",
            file=sys.stderr,
        )
        return 1
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    os.chmod(temporary, 0o644)
    os.replace(temporary, args.output)

    if args.html_dir or args.pdf_dir:
        from .export import export_notebooks

        try:
            export_notebooks([args.output], args.html_dir, args.pdf_dir)
        except BaseException:
            args.output.unlink(missing_ok=True)  # the step is the three files: none may look done
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
