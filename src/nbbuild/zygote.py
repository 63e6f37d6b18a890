"""Fresh IPython kernels in a fraction of the time: forked from a zygote that has imported them.

The build server (nbbuild.server) starts one zygote:

    python -m nbbuild.zygote FD      (FD: its end of a Unix socket pair)

in the kernels' working directory and with their environment. The zygote does what a kernel
process does before it runs any code (ipykernel's own matplotlib backend setting), imports
ipykernel and the libraries the notebooks import (pandas, matplotlib, seaborn, the campaign
package), and then, for each request, forks: the child becomes a new kernel exactly as
`python -m ipykernel_launcher -f CONNECTION_FILE ...` would (the command of the python3 kernel
spec), in a session of its own, with the standard streams it is given. A notebook therefore runs
in a new process that has run no code but imports, as in a kernel started from scratch; only
the seconds of imports are saved (about 1.5 s of CPU per notebook).

The zygote says it cannot serve, and kernels are then started the usual way, if the imports
printed anything (a fresh kernel would show it in the notebook), started a Python thread (whose
locks a fork could copy half-held) or chose matplotlib's backend before the kernel exists. The
native threads that numpy's OpenBLAS and pyarrow start at import stop and restart around a fork
(their pthread_atfork handlers), as when multiprocessing forks a process that imported pandas.
Forked kernels share the zygote's hash seed; the random generators are seeded afresh in each.

``ZygoteProvisioner`` is the jupyter_client side: a LocalProvisioner that asks the zygote for the
process when the kernel command is the python3 kernel spec's and the environment and working
directory are the zygote's, and launches it the usual way otherwise.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import warnings

IMPORTS = ("pandas", "matplotlib.pyplot", "seaborn", "IPython.display")
NOT_IMPORTED = ("__main__", "buildserver", "execute", "export", "kernelzygote", "language_cells", "startup")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# The zygote ---------------------------------------------------------------------------------------


def _prepare() -> str | None:
    """Import what the kernels will; why the zygote cannot serve, or None."""
    import importlib
    import pkgutil
    import tempfile

    if not os.environ.get("MPLBACKEND"):  # what ipykernel does before it runs any code
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    # What jupyter_client gives a kernel: its parent's pid (here the zygote's, whose children the
    # kernels are), read when ipykernel is imported. A kernel ends if its parent does.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as printed:
        os.dup2(printed.fileno(), 1)
        os.dup2(printed.fileno(), 2)
        try:
            import ipykernel.kernelapp  # noqa: F401

            import campaign

            for name in IMPORTS:
                importlib.import_module(name)
            for module in pkgutil.iter_modules(campaign.__path__):
                if module.name not in NOT_IMPORTED:
                    importlib.import_module(f"campaign.{module.name}")
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception as error:  # noqa: BLE001
            return f"importing failed: {error!r}"
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        printed.seek(0)
        if printed.read(1):
            return "the imports printed something"
    import threading

    if threading.active_count() != 1:
        return "the imports started a Python thread"
    import matplotlib.pyplot

    if matplotlib.pyplot._backend_mod is not None or "matplotlib_inline.backend_inline" in sys.modules:
        return "matplotlib's backend was chosen before the kernel"
    return None


def _become_kernel(request: dict, fds: list[int], control: socket.socket) -> None:
    """In the forked child: become the kernel as ipykernel_launcher would; never returns."""
    code = 1
    try:
        control.close()
        os.setsid()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in (devnull, *fds):
            os.close(fd)
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        import importlib.util
        import random

        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["args"]]
        if sys.path and sys.path[0] == "":  # as ipykernel_launcher does
            del sys.path[0]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        import atexit

        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is make's to handle; the zygote ends with the server
    control = socket.socket(fileno=int(sys.argv[1]))
    problem = _prepare()
    try:
        control.sendall(json.dumps({"pid": os.getpid(), "problem": problem}).encode("utf-8"))
    except OSError:  # the server went away while this process was getting ready (make interrupted)
        return 0
    if problem is not None:
        return 0
    children: set[int] = set()
    while True:
        readable, _, _ = select.select([control], [], [], 0.05)
        for child in list(children):
            try:
                if os.waitpid(child, os.WNOHANG)[0]:
                    children.discard(child)
            except ChildProcessError:
                children.discard(child)
        if not readable:
            continue
        message, fds, _, _ = socket.recv_fds(control, 1 << 20, 2)
        if not message:  # the server has gone: so do its kernels
            for child in children:
                try:
                    os.kill(child, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return 0
        request = json.loads(message)
        sys.stdout.flush()
        sys.stderr.flush()
        with warnings.catch_warnings():  # Python 3.12+ warns of the native threads (see the docstring)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            _become_kernel(request, fds, control)
        for fd in fds:
            os.close(fd)
        children.add(pid)
        try:
            control.sendall(json.dumps({"pid": pid}).encode("utf-8"))
        except OSError:  # the server has gone: its kernels end with it
            return 0


# The server's side ----------------------------------------------------------------------------------


class Zygote:
    """A running zygote (see the module's docstring); ``problem`` says why it cannot serve, if it cannot."""

    def __init__(self, cwd: str, environ: dict[str, str]):
        import subprocess
        import threading

        self.cwd, self.environ, self.lock = cwd, dict(environ), threading.Lock()
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nbbuild.zygote", str(theirs.fileno())],
            cwd=cwd,
            env=self.environ,
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.problem, self.pid = "it has not started yet", None

    def wait_until_ready(self) -> None:
        reply = self.control.recv(1 << 16)
        ready = json.loads(reply) if reply else {"problem": "it did not start"}
        self.problem, self.pid = ready["problem"], ready.get("pid")

    def serves(self, cmd: list[str], env: dict[str, str], cwd: str) -> bool:
        """Whether a kernel launched with this command, environment and directory can be forked."""
        from nbbuild.kernels import FIGURE_MANIFEST

        if self.problem is not None or self.process.poll() is not None:
            return False
        python = os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
        own = {k: v for k, v in env.items() if k not in (FIGURE_MANIFEST, "JPY_PARENT_PID")}
        return python and cmd[1:3] == ["-m", "ipykernel_launcher"] and own == self.environ and cwd == self.cwd

    def fork(self, args: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        from nbbuild.kernels import FIGURE_MANIFEST

        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        extra = {"JPY_PARENT_PID": str(self.pid)}
        if FIGURE_MANIFEST in env:
            extra[FIGURE_MANIFEST] = env[FIGURE_MANIFEST]
        request = json.dumps({"args": args, "env": extra, "cwd": cwd}).encode("utf-8")
        try:
            with self.lock:
                socket.send_fds(self.control, [request], [out_write, err_write])
                reply = self.control.recv(1 << 16)
        finally:
            os.close(out_write)
            os.close(err_write)
        if not reply:
            os.close(out_read)
            os.close(err_read)
            raise RuntimeError("the kernel zygote has stopped")
        return ForkedKernel(json.loads(reply)["pid"], os.fdopen(out_read, "rb"), os.fdopen(err_read, "rb"))

    def close(self) -> None:
        """Stop the zygote (its kernels, were any left, end with it: ipykernel watches its parent)."""
        self.control.close()
        self.process.kill()
        self.process.wait()


class ForkedKernel:
    """A forked kernel's process, as much of subprocess.Popen as the provisioner uses. It is the
    zygote's child, which reaps it: it has ended once its pid is gone."""

    stdin = None

    def __init__(self, pid: int, stdout, stderr):
        self.pid, self.stdout, self.stderr, self.returncode = pid, stdout, stderr, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} still runs")
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def provisioner(km, zygote: Zygote):
    """A provisioner for ``km`` that forks its kernel from ``zygote`` when it can (see the module's docstring)."""
    import pathlib

    from jupyter_client.provisioning import LocalProvisioner

    class ZygoteProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            env = kwargs.get("env") or dict(os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            if not zygote.serves(cmd, env, cwd):
                return await super().launch_kernel(cmd, **kwargs)
            self.process = zygote.fork(cmd[3:], env, cwd)
            self.pid = self.pgid = self.process.pid  # the kernel leads a session of its own
            self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
            return self.connection_info

    return ZygoteProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)


if __name__ == "__main__":
    sys.exit(main())
