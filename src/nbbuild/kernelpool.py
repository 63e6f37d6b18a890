"""Kernels started ahead of the steps that will use them (the build server's pool).

The server has the pool start the kernel starter (nbbuild.forkserver) for the first step's
working directory and kernel environment; once it is ready the pool makes it current for the
provisioner (nbbuild.provisioner) and keeps as many kernels ready as make runs steps at once.
Steps for that directory and environment wait for the forkserver rather than start a kernel of
their own meanwhile (on a busy machine, importing the notebooks' libraries twice costs more than
the wait); steps with another directory or environment, or every step if the forkserver cannot
serve, get kernels started the usual way.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbbuild import execute
from nbbuild.wire import step as _step  # what a step's thread writes goes to that step's process


class _Pipe:
    """A kernel's stdout or stderr, passed on to the step it serves (kept until then)."""

    def __init__(self, stream, key: str):
        self.key, self.lock, self.kept, self.channel = key, threading.Lock(), [], None
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in iter(stream.readline, b""):
            text = line.decode("utf-8", "replace")
            with self.lock:
                if self.channel is not None:
                    self.channel.send({self.key: text})
                else:
                    self.kept.append(text)
        stream.close()

    def attach(self, channel) -> None:  # a wire.Channel, or None
        with self.lock:
            self.channel = channel
            if channel is not None:
                for text in self.kept:
                    channel.send({self.key: text})
                self.kept.clear()


class KernelPool:
    """Kernels started ahead of the steps (see the module's docstring)."""

    def __init__(self, folder: Path, jobs: int, on_ready=None):
        self.folder, self.jobs = folder, max(1, jobs)
        self.key: tuple | None = None  # (kernel name, directory, environment) of the steps
        self.condition = threading.Condition()
        self.idle: list[execute.Kernel] = []
        self.in_use: dict[threading.Thread, execute.Kernel] = {}
        self.starting = self.made = 0
        self.closed = self.failed = False
        self.preparing = self.launched = False  # see launch() and prepare()
        self.forkserver = None
        self.on_ready = on_ready  # called once the forkserver is ready, or has failed
        self.launcher = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="kernel-start")

    def _manifest(self) -> Path:
        with self.condition:
            self.made += 1
            return self.folder / f"figures-{self.made}.txt"

    def launch(self, cwd: str, env: dict[str, str]) -> None:
        """Start the kernel starter (nbbuild.forkserver) for the steps' directory and kernel
        environment: a process, no thread (the server calls this before its imports)."""
        from nbbuild import provisioner

        self.launched = self.preparing = True
        try:
            self.forkserver = provisioner.Starter(cwd, env)
        except OSError as error:
            self._give_up(repr(error))

    def prepare(self) -> None:
        """Wait, in a thread of its own, until the starter is ready; then keep kernels from it."""

        def prepare() -> None:
            try:
                self._prepare()
            finally:
                if self.on_ready is not None:
                    self.on_ready()

        threading.Thread(target=prepare, name="forkserver", daemon=True).start()

    def _give_up(self, problem: str) -> None:
        print(f"nbbuild: kernels are started one by one, not forked: {problem}", file=sys.__stderr__)
        with self.condition:
            if self.forkserver is not None:
                self.forkserver.close()
            self.forkserver, self.preparing = None, False
            self.condition.notify_all()

    def _prepare(self) -> None:
        from nbbuild import provisioner

        if self.forkserver is None:  # not launched, or it failed at once
            return
        try:
            self.forkserver.wait_until_ready()
        except OSError as error:
            return self._give_up(repr(error))
        if self.forkserver.problem is not None:
            return self._give_up(self.forkserver.problem)
        with self.condition:
            provisioner.use(self.forkserver)
            self.preparing = False
            self.fill()
            self.condition.notify_all()

    def _forked(self, key: tuple) -> bool:
        """Whether the forkserver, ready or not, is for steps of this directory and environment."""
        starter = self.forkserver
        return starter is not None and (key[1], dict(key[2])) == (starter.cwd, starter.environ)

    def _start(self, kernel_name: str, cwd: str, env: dict[str, str]) -> execute.Kernel:
        kernel = execute.Kernel.start(
            kernel_name, cwd, env, self._manifest(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        process = kernel.km.provisioner.process
        kernel.pipes = [_Pipe(process.stdout, "out"), _Pipe(process.stderr, "err")]
        return kernel

    def fill(self) -> None:
        """Start kernels until as many are ready or starting as steps may run at once (with the
        lock held). When the build ends, those not taken are stopped: forked, they cost little."""
        while (
            not (self.closed or self.failed or self.preparing or self.key is None)
            and len(self.idle) + self.starting < self.jobs
        ):
            self.starting += 1
            self.launcher.submit(self._warm)

    def _warm(self) -> None:
        with self.condition:
            key = self.key
        kernel = None
        try:
            kernel = self._start(key[0], key[1], dict(key[2]))
            client = kernel.km.blocking_client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=30)
            finally:
                client.stop_channels()
            kernel.warm_key = key
        except Exception:  # noqa: BLE001
            if kernel is not None:
                kernel.discard()
            kernel = None
        with self.condition:
            self.starting -= 1
            if kernel is None:
                self.failed = True  # the steps start their own kernels
            elif self.closed or key != self.key:
                kernel.discard()
            else:
                self.idle.append(kernel)
            self.condition.notify_all()

    def take(self, kernel_name: str, cwd: str, env: dict[str, str]) -> execute.Kernel:
        """A kernel for one step: a ready one if one fits, else one started for it."""
        key = (kernel_name, cwd, tuple(sorted(env.items())))
        owner = threading.current_thread()
        unfit = []
        with self.condition:
            first, self.launched = not self.launched, True
        if first:  # the server's first step started no kernel: this one does
            self.launch(cwd, env)
            self.prepare()
        with self.condition:
            switched = key != self.key
            if switched:  # the first step, or one whose environment differs: kernels for theirs
                self.key = key
                unfit = [k for k in self.idle if k.warm_key != key]
                self.idle = [k for k in self.idle if k.warm_key == key]
            kernel = None
            while self.preparing and self._forked(key) and not self.closed:
                self.condition.wait()  # kernels are forked soon: cheaper than starting one now
            while kernel is None:
                kernel = next(iter(self.idle), None)
                if kernel is not None:
                    self.idle.remove(kernel)
                    if kernel.km.provisioner.process.poll() is not None:  # it died waiting
                        unfit.append(kernel)
                        kernel = None
                else:
                    self.fill()  # kernels for this step's directory and environment, if there is room
                    if not self.starting or self.closed or self.failed or self.preparing:
                        break
                    self.condition.wait()  # one is on its way
            self.fill()
        for spare in unfit:
            spare.discard()
        if kernel is None:
            kernel = self._start(kernel_name, cwd, env)
        with self.condition:
            self.in_use[owner] = kernel
        kernel._on_discard = lambda k: self._release(owner)
        channel = getattr(_step, "channel", None)
        for pipe in kernel.pipes:
            pipe.attach(channel)
        return kernel

    def _release(self, owner: threading.Thread) -> None:
        with self.condition:
            kernel = self.in_use.pop(owner, None)
        if kernel is not None:
            for pipe in kernel.pipes:
                pipe.attach(None)

    def interrupt_kernel_of(self, owner: threading.Thread) -> None:
        """Interrupt the cell that a step's kernel runs (the step's process has gone, as make was
        interrupted): the cell stops as under ^C in Jupyter (a figure half-written is deleted),
        and the step fails and deletes what the notebook saved."""
        with self.condition:
            kernel = self.in_use.get(owner)
        if kernel is not None and kernel.km.has_kernel:
            from jupyter_core.utils import run_sync

            try:
                run_sync(kernel.km.interrupt_kernel)()
            except Exception:  # noqa: BLE001  (it has ended meanwhile)
                pass

    def close(self) -> None:
        """Stop every kernel at once (killed), and delete the files written for them."""
        with self.condition:
            self.closed = True
            spare, kernels, self.idle = self.idle, [*self.idle, *self.in_use.values()], []
        for kernel in kernels:
            process = kernel.km.provisioner.process if kernel.km.provisioner else None
            if process is not None:
                try:
                    process.kill()
                except OSError:
                    pass
        for kernel in spare:  # the steps' own kernels are discarded by their steps (Kernel.discard)
            try:
                kernel.km.cleanup_connection_file()  # jupyter_client wrote it to the temporary folder
            except OSError:
                pass
        self.launcher.shutdown(wait=False, cancel_futures=True)
        if self.forkserver is not None:
            from nbbuild import provisioner

            provisioner.use(None)
            self.forkserver.close()
