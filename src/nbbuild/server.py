"""One process serves every notebook step of a make invocation (`make reports`, `make reports-all`).

    python -m nbbuild.server --jobs 2 -- make -f build.mk RUN=... run

runs the command with $NBBUILD_SERVER naming a Unix socket (in a private temporary folder) on
which a server in this process listens, stops the server when the command is done and exits
with the command's status. Under `make -n` the command runs alone.

Make still decides what runs, when and how many at once, and sees each step's exit status: a
step is still `python -m nbbuild.execute ...` in a recipe, but that small process sends its
arguments, working directory and environment to the server and relays the step's output and exit
status back (nbbuild.execute.run_on_server). The server runs the step with
nbbuild.execute.run_step, as the step would run alone. Nothing is prepared until the first step
arrives, so a build with nothing to do costs one small Python process more. Then the server
imports what the steps need, in its main thread and before it starts any thread of its own, and
saves each step:

- starting Python and importing papermill and nbconvert: done once;
- starting a kernel and importing the notebooks' libraries in it: kernels are started ahead of
  the steps, as many as make runs at once, from the standard library's forkserver, which has
  imported ipykernel and the configuration's ``preload`` list (nbbuild.forkserver; each kernel
  is a new process that has run no code, and runs one notebook). The first steps, while the
  forkserver gets ready, and steps with another working directory or environment get kernels
  started the usual way;
- starting Chromium: one browser prints every PDF, several at once, each tab one after another.

The server, its kernels and Chromium keep IPython's, matplotlib's and Jupyter's files in the
server's private folder, deleted when it stops. If make is interrupted, the step's process ends,
and the server stops that step's kernel and writes nothing more for it.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from nbbuild import execute
from nbbuild.kernelpool import KernelPool
from nbbuild.kernels import SERVER, use_private_folders
from nbbuild.wire import Channel, OutputRouter, closed_by_peer, read_request
from nbbuild.wire import step as _step

PROVISIONER = "nbbuild-forkserver"  # nbbuild.provisioner, registered as an entry point

# Kernels started ahead of the steps ------------------------------------------------------------


class BuildServer:
    """Listens from the start; prepares (imports, then Chromium and kernels) when the first step
    arrives, so that a build with nothing to do costs nothing more."""

    def __init__(self, jobs: int):
        self.folder = Path(tempfile.mkdtemp(prefix="nbbuild-server-"))  # private: mode 0700
        self.address = str(self.folder / "socket")
        self.cwd = os.getcwd()
        self.stopping = threading.Event()
        self.lock, self.active = threading.Lock(), set()  # the threads running steps
        # Chromium starts once the kernels' forkserver is ready: the first PDF comes after a notebook
        # has run, and meanwhile the forkserver's imports have the cores.
        self.printer = execute.SharedPrinter()
        self.kernels = KernelPool(self.folder, jobs, on_ready=self.printer.start_in_background)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.address)
        self.listener.listen(64)
        self.started = False

    def wait_for_a_step(self, child: subprocess.Popen) -> bool:
        """Wait, in this thread, until a step connects (True) or the command ends (False)."""
        try:
            ended = os.pidfd_open(child.pid)
        except (AttributeError, OSError):  # no pidfd: look every 50 ms
            ended = None
        try:
            while child.poll() is None:
                waiting = [self.listener] if ended is None else [self.listener, ended]
                readable, _, _ = select.select(waiting, [], [], 0.05 if ended is None else None)
                if self.listener in readable:
                    return True
            return False
        finally:
            if ended is not None:
                os.close(ended)

    def start(self) -> None:
        """The first step has arrived: start the kernels' forkserver for it (a process), import
        what the steps need, then start the server's threads (the steps', Chromium's)."""
        connection, _ = self.listener.accept()
        request = read_request(connection)
        if request and request.get("cwd") == self.cwd:
            self._launch_forkserver(request)
        execute.skip_slow_optional_imports()
        import jupyter_client.manager  # noqa: F401
        import nbformat  # noqa: F401
        import papermill.engines  # noqa: F401  (and the nbbuild engine, an entry point)
        import playwright.async_api  # noqa: F401
        import pypdf  # noqa: F401

        from nbbuild import export, provisioner  # noqa: F401  (nbconvert)

        export.ShareableHTMLExporter()  # imports the configured preprocessors
        export.PDFPageExporter()
        sys.stdout, sys.stderr = OutputRouter(sys.stdout, "out"), OutputRouter(sys.stderr, "err")
        self.started = True
        self.kernels.prepare()
        threading.Thread(target=self._serve, args=(connection, request), name="step", daemon=True).start()
        threading.Thread(target=self._accept, name="accept", daemon=True).start()

    def _launch_forkserver(self, request: dict) -> None:
        argv = [str(word) for word in request.get("argv", [])]
        if "--export" in argv:  # the step starts no kernel
            return
        given = argv[argv.index("--cwd") + 1] if "--cwd" in argv[:-1] else "."  # as parse_arguments reads it
        cwd = str((Path(self.cwd) / given).resolve())
        self.kernels.launch(cwd, execute.kernel_environment(dict(request.get("env", {}))))

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), name="step", daemon=True).start()

    def _serve(self, connection: socket.socket, request: dict | None = None) -> None:
        with connection:
            if request is None:
                request = read_request(connection)
            channel = Channel(connection)
            if not request or request.get("cwd") != self.cwd or self.stopping.is_set():
                channel.send({"local": True})
                return
            gone, status = threading.Event(), [1]

            def step() -> None:
                _step.channel = channel
                try:
                    status[0] = execute.run_step(
                        request["argv"],
                        environ=request["env"],
                        kernels=self.kernels,
                        printer=self.printer,
                        progress_bar=request["progress_bar"],
                        stopping=lambda: self.stopping.is_set() or gone.is_set(),
                    )
                except SystemExit as exit:  # argparse
                    status[0] = exit.code if isinstance(exit.code, int) else 2
                except BaseException:
                    if not gone.is_set():  # else no one is listening
                        traceback.print_exc()
                    status[0] = 1
                finally:
                    for stream in (sys.stdout, sys.stderr):  # what is left of a line, before the status
                        try:
                            stream.flush()
                        except OSError:  # the step's process has gone
                            pass
                    _step.channel = None

            worker = threading.Thread(target=step, name="step-run", daemon=True)
            worker.start()
            with self.lock:
                self.active.add(worker)
            while worker.is_alive():
                worker.join(0.2)
                if worker.is_alive() and not gone.is_set() and closed_by_peer(connection):
                    gone.set()  # make was interrupted: stop the step's kernel
                    self.kernels.interrupt_kernel_of(worker)
            channel.send({"exit": status[0]})
            with self.lock:
                self.active.discard(worker)

    def stop(self) -> None:
        """After make: steps still running (make was interrupted) get a few seconds to stop and
        clean up after themselves, then every kernel and Chromium are stopped."""
        self.stopping.set()
        self.listener.close()
        if not self.started:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        with self.lock:
            active = list(self.active)
        deadline = time.monotonic() + 10
        for worker in active:
            worker.join(max(0.0, deadline - time.monotonic()))
        closing = threading.Thread(target=self.printer.close, name="printer-close")
        closing.start()
        self.kernels.close()
        for worker in active:  # a step whose kernel was only now stopped still cleans up after itself
            worker.join(10)
        closing.join()
        shutil.rmtree(self.folder, ignore_errors=True)


# The command -----------------------------------------------------------------------------------


MAX_JOBS = 64


def make_jobs(makeflags: str) -> int | None:
    """The -jN that make was given, from $MAKEFLAGS."""
    found = re.search(r"(?:^|\s)-j(\d+)\b", makeflags)
    return int(found[1]) if found else None


def only_printing(makeflags: str) -> bool:
    """Whether make runs with -n (it passes single-letter options as the first word of $MAKEFLAGS)."""
    first = makeflags.split()[0] if makeflags.split() else ""
    return not first.startswith("-") and "n" in first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nbbuild.server", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help=f"steps make may run at once (1 to {MAX_JOBS})"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- and the make command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command after --")
    makeflags = os.environ.get("MAKEFLAGS", "")
    if only_printing(makeflags):
        os.execvp(command[0], command)

    jobs = make_jobs(makeflags) or args.jobs
    if not 1 <= jobs <= MAX_JOBS:
        parser.error(f"--jobs and make's -j must be from 1 to {MAX_JOBS} (got {jobs})")
    environ = {**os.environ}  # the command's, as it was given
    server = BuildServer(min(jobs, 2 * (os.cpu_count() or 1)))  # kernels ahead: as many as the cores can use
    use_private_folders(server.folder)
    os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = PROVISIONER  # jupyter_client's documented default
    # make gets ^C (the terminal sends it to the whole process group) and ends its steps; the
    # server waits for it, then stops. A TERM sent to this process only is passed on.
    child: subprocess.Popen | None = None

    def pass_on(number, frame) -> None:
        if child is not None:
            child.send_signal(number)

    previous = {number: signal.signal(number, pass_on) for number in (signal.SIGTERM, signal.SIGHUP)}
    # A handler that does nothing, not SIG_IGN: the command (make and its steps) would inherit that.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, lambda number, frame: None)
    try:
        child = subprocess.Popen(command, env={**environ, SERVER: server.address}, close_fds=False)
        if server.wait_for_a_step(child):
            server.start()
        status = child.wait()
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    code = main()
    # Everything the server started has been stopped and its folder deleted (BuildServer.stop):
    # skip tearing down the interpreter's modules, a few tenths of a second at every build's end.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
