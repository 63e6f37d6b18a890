"""The server's side of the kernel forkserver (nbbuild.forkserver), and the jupyter_client kernel
provisioner ``nbbuild-forkserver`` that uses it (registered in the
``jupyter_client.kernel_provisioners`` entry point group).

The build server selects the provisioner with jupyter_client's documented
``JUPYTER_DEFAULT_PROVISIONER_NAME``. It is jupyter_client's LocalProvisioner, except that a
kernel whose command is the python3 kernel spec's and whose environment and working directory
are the forkserver's is forked by the forkserver (``Starter``) that the build server made
current; any other kernel, or any kernel while there is none, is launched the usual way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from jupyter_client.provisioning import LocalProvisioner

from nbbuild.kernels import figure_manifest_variable

_current = None  # the Starter that serves this process's kernels, if any


def use(starter: Starter | None) -> None:
    global _current
    _current = starter


def _short_temporary_folder() -> str:
    """The system's temporary folder, or /tmp when that one's path is too long for the forkserver's
    Unix socket (about 100 characters for the whole path, which multiprocessing makes under it)."""
    folder = tempfile.gettempdir()
    return "/tmp" if len(folder) > 48 and os.access("/tmp", os.W_OK) else folder


class Starter:
    """A running kernel starter (see nbbuild.forkserver); ``problem`` says why it cannot serve, if it cannot."""

    def __init__(self, cwd: str, environ: dict[str, str]):
        self.cwd, self.environ, self.lock = cwd, dict(environ), threading.Lock()
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # The forkserver's temporary files (multiprocessing's socket folder) go into a folder of
        # its own, deleted when it is stopped (it is killed, and cannot clean up after itself);
        # its kernels get the step's TMPDIR back (nbbuild.forkserver.become_kernel).
        self.temporary = tempfile.mkdtemp(prefix="nbfs-", dir=_short_temporary_folder())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nbbuild.forkserver", str(theirs.fileno())],
            cwd=cwd,
            env={**self.environ, "TMPDIR": self.temporary},
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.problem: str | None = "it has not started yet"

    def wait_until_ready(self) -> None:
        reply = self.control.recv(1 << 16)
        self.problem = json.loads(reply)["problem"] if reply else "it did not start"

    def serves(self, cmd: list[str], env: dict[str, str], cwd: str) -> bool:
        """Whether a kernel launched with this command, environment and directory can be forked."""
        if self.problem is not None or self.process.poll() is not None:
            return False
        python = os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
        own = {k: v for k, v in env.items() if k not in (figure_manifest_variable(), "JPY_PARENT_PID")}
        return python and cmd[1:3] == ["-m", "ipykernel_launcher"] and own == self.environ and cwd == self.cwd

    def fork(self, args: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        manifest = figure_manifest_variable()
        extra = {manifest: env[manifest]} if manifest in env else {}
        request = json.dumps({"args": args, "env": extra, "cwd": cwd}).encode("utf-8")
        try:
            with self.lock:
                socket.send_fds(self.control, [request], [out_write, err_write])
                reply = self.control.recv(1 << 16)
        finally:
            os.close(out_write)
            os.close(err_write)
        answer = json.loads(reply) if reply else {"error": "the kernel starter has stopped"}
        if "pid" not in answer:
            os.close(out_read)
            os.close(err_read)
            raise RuntimeError(answer["error"])
        return ForkedKernel(answer["pid"], os.fdopen(out_read, "rb"), os.fdopen(err_read, "rb"))

    def close(self) -> None:
        """Stop the starter: the forkserver ends with it, and so do kernels still left (ipykernel
        watches its parent)."""
        self.control.close()
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.temporary, ignore_errors=True)


class ForkedKernel:
    """A forked kernel's process, as much of subprocess.Popen as the provisioner uses. The
    forkserver, its parent, reaps it: it has ended once its pid is gone."""

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
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkserverProvisioner(LocalProvisioner):
    """LocalProvisioner, forking the kernel from the current Starter when it can."""

    async def launch_kernel(self, cmd, **kwargs):
        starter = _current
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        if starter is None or not starter.serves(cmd, env, cwd):
            return await super().launch_kernel(cmd, **kwargs)
        self.process = starter.fork(cmd[3:], env, cwd)
        self.pid = self.pgid = self.process.pid  # the kernel leads a session of its own
        self.cwd = cwd
        return self.connection_info
