"""Fresh IPython kernels in a fraction of the time: from the standard library's forkserver.

The build server (nbbuild.server) starts one kernel starter:

    python -m nbbuild.forkserver FD      (FD: its end of a Unix socket pair)

in the kernels' working directory and with their environment. The starter sets what ipykernel
sets before it runs any code (its matplotlib backend), then starts multiprocessing's forkserver
with ``set_forkserver_preload``: ipykernel and the configuration's ``preload`` list
(nbbuild.config). For each request it starts a ``multiprocessing`` process of the forkserver
context, which becomes a kernel exactly as `python -m ipykernel_launcher -f CONNECTION_FILE ...`
would (the command of the python3 kernel spec), in a session of its own, with the standard
streams the server gave it. A notebook therefore runs in a new process that has run no code but
imports, as in a kernel started from scratch; only the seconds of imports are saved.

The forkserver is the documented way to fork from a process that has imported a set of modules;
like any fork of a process that imported numpy and pyarrow, its children start while OpenBLAS's
and jemalloc's threads exist, which both libraries make safe with their pthread_atfork handlers
(nothing here hides Python's warnings). The starter says it cannot serve, and kernels are then
started the usual way, if the preloaded imports failed or printed anything.

Each kernel is reseeded (``random``, numpy's legacy generator); it shares the forkserver's hash
seed. multiprocessing runs no atexit handlers in its children: the build kills its kernels.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import sys

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets (kernelapp)
ALWAYS = ("ipykernel.kernelapp",)


def become_kernel(args: list[str], env: dict[str, str], cwd: str, out, err) -> None:
    """In the forked process: become the kernel as ipykernel_launcher would."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    out.close()
    err.close()
    os.environ.update(env, JPY_PARENT_PID=str(os.getppid()))  # the forkserver: a kernel ends with it
    if "TMPDIR" not in env:  # the step's temporary folder, not the forkserver's own (nbbuild.provisioner)
        os.environ.pop("TMPDIR", None)
    import tempfile

    tempfile.tempdir = None  # found again from the environment when next needed
    os.chdir(cwd)
    import importlib.util
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *args]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def _start_forkserver(preload: list[str]):
    """The forkserver context, its server started and its imports done; or why it cannot serve."""
    import tempfile

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*ALWAYS, *preload])
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as printed:
        os.dup2(printed.fileno(), 1)  # the forkserver's own output: its imports should print nothing
        os.dup2(printed.fileno(), 2)
        try:
            probe = context.Process(target=_probe, args=(ALWAYS + tuple(preload),))
            probe.start()
            probe.join(120)
            if probe.exitcode != 0:
                return None, f"the forkserver could not import the preloaded modules (exit {probe.exitcode})"
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        printed.seek(0)
        if printed.read(1):
            return None, "the preloaded imports printed something"
    return context, None


def _probe(modules: tuple[str, ...]) -> None:
    """A first child of the forkserver: fails unless every preloaded module was imported."""
    missing = [name for name in modules if name not in sys.modules]
    if missing:
        raise SystemExit(3)


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is make's to handle; the starter ends with the server
    control = socket.socket(fileno=int(sys.argv[1]))
    from nbbuild import config

    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    # What jupyter_client gives a kernel, read when ipykernel is imported: a parent (so that it
    # prints no banner for a terminal). Its parent is the forkserver: a kernel whose forkserver has
    # gone has been handed to init, and ends (ipykernel's parent poller).
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    try:
        context, problem = _start_forkserver(list(config.settings().preload))
    except Exception as error:  # noqa: BLE001
        context, problem = None, f"the forkserver did not start: {error!r}"
    try:
        control.sendall(json.dumps({"pid": os.getpid(), "problem": problem}).encode("utf-8"))
    except OSError:  # the server went away meanwhile (make interrupted)
        return 0
    if problem is not None:
        return 0
    from multiprocessing.connection import Connection

    kernels = []
    while True:
        message, fds, _, _ = socket.recv_fds(control, 1 << 20, 2)
        if not message:  # the server has gone: so do its kernels
            for kernel in kernels:
                kernel.kill()
            return 0
        request = json.loads(message)
        out, err = (Connection(fd, readable=False) for fd in fds)
        kernel = context.Process(
            target=become_kernel, args=(request["args"], request["env"], request["cwd"], out, err), daemon=False
        )
        try:
            kernel.start()
            reply = {"pid": kernel.pid}
        except Exception as error:  # noqa: BLE001
            reply = {"error": repr(error)}
        finally:
            out.close()
            err.close()
        kernels = [k for k in multiprocessing.active_children() if k.pid is not None]
        try:
            control.sendall(json.dumps(reply).encode("utf-8"))
        except OSError:
            return 0


if __name__ == "__main__":
    sys.exit(main())
