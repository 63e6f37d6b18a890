"""The kernel of one build step, its environment, and the shared Chromium printer.

A kernel's environment is the step's, less what make and the Makefile set for themselves
(NOT_FOR_THE_KERNEL and the configuration's ``not-for-kernels``), with IPython's, matplotlib's
and Jupyter's folders in a private temporary folder (``private_folders``): a build reads no
configuration from the user's home and writes nothing there, so its outputs do not depend on
who runs it.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from nbbuild import config

SERVER = "NBBUILD_SERVER"  # the build server's socket, when make runs one

# What make puts in a step's environment for itself: the notebooks read none of it.
NOT_FOR_THE_KERNEL = frozenset(
    {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR", "SHLVL", "_", "OLDPWD"}
    | {SERVER, "JUPYTER_DEFAULT_PROVISIONER_NAME"}
)
# Where IPython, matplotlib and Jupyter would read the user's settings and write their own.
PRIVATE = {
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
}
NOT_INHERITED = ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "PYTHONSTARTUP")


def private_folders(folder: Path) -> dict[str, str]:
    """The variables that give a build's processes and kernels folders of their own under ``folder``."""
    return {name: str(folder / sub) for name, sub in PRIVATE.items()}


def use_private_folders(folder: Path) -> None:
    """This process (a step, or the build server) and its kernels keep their files under ``folder``."""
    for name in NOT_INHERITED:
        os.environ.pop(name, None)
    os.environ.update(private_folders(folder))


def figure_manifest_variable() -> str:
    return config.settings().figure_manifest


def kernel_environment(environ: dict[str, str]) -> dict[str, str]:
    """A step's environment as its kernel gets it (the figure manifest is added to it)."""
    left_out = NOT_FOR_THE_KERNEL | config.settings().not_for_kernels | {figure_manifest_variable()}
    kept = {name: value for name, value in environ.items() if name not in left_out and name not in NOT_INHERITED}
    own = {name: value for name, value in os.environ.items() if name in PRIVATE}
    return kept | own


def build_kernel_manager():
    """jupyter_client's kernel manager, remembering the clients it made so that the build can stop
    them with the kernel (nbclient stops only those of kernels it started itself)."""
    from jupyter_client.manager import AsyncKernelManager

    class BuildKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.build_clients = []

        def client(self, **kwargs):
            made = super().client(**kwargs)
            self.build_clients.append(made)
            return made

    return BuildKernelManager


def kernel_manager_config():
    """Have the kernel manager provision CurveZMQ keys for kernels whose kernelspec supports them."""
    import zmq
    from traitlets.config import Config

    return Config({"KernelManager": {"transport_encryption": "auto"}} if zmq.has("curve") else {})


async def stop(km) -> None:
    """Stop a kernel the build started, now: its clients' channels, then its process (killed:
    the notebook is done, so no interrupt first), then what the manager keeps for it."""
    clients, km.build_clients = km.build_clients, []
    for client in clients:
        client.stop_channels()
    if km.has_kernel:
        await km.provisioner.kill()
        await km.provisioner.wait()
    await km.shutdown_kernel(now=True)  # the process is gone: this cleans up the connection file


class Kernel:
    """A started kernel for one notebook, and the figure manifest its environment names."""

    def __init__(self, km, manifest: Path, on_discard=None):
        self.km, self.manifest, self._on_discard = km, manifest, on_discard
        self.pipes: list = []

    @classmethod
    def start(cls, kernel_name: str, cwd: str, environ: dict[str, str], manifest: Path, **launch) -> Kernel:
        """Start a kernel as nbclient would (IPython's history kept in memory). Under the build
        server, the provisioner (nbbuild.provisioner) forks it from the forkserver when it can."""
        from jupyter_core.utils import run_sync

        km = build_kernel_manager()(kernel_name=kernel_name, config=kernel_manager_config())
        env = {**kernel_environment(environ), figure_manifest_variable(): str(manifest)}
        extra = ["--HistoryManager.hist_file=:memory:"] if km.ipykernel else []
        run_sync(km.start_kernel)(cwd=cwd, env=env, extra_arguments=extra, **launch)
        return cls(km, manifest)

    def discard(self) -> None:
        """Stop the kernel if it still runs (the engine stops it after the notebook) and delete
        the manifest."""
        from jupyter_core.utils import run_sync

        try:
            if self.km.has_kernel or self.km.build_clients:
                run_sync(stop)(self.km)
        finally:
            self.manifest.unlink(missing_ok=True)
            if self._on_discard is not None:
                self._on_discard(self)


class SharedPrinter:
    """One Chromium for the PDFs of a step, or of every step the build server runs: started at
    most once (see nbbuild.printer.ChromiumPrinter). A Chromium that cannot be found or started is
    an error when a PDF is printed, not before."""

    def __init__(self):
        self.lock, self.printer, self.error = threading.Lock(), None, None

    def start(self) -> None:
        from nbbuild.printer import ChromiumPrinter, PrinterError

        with self.lock:
            if self.printer is None and self.error is None:
                try:
                    self.printer = ChromiumPrinter()
                except PrinterError as error:
                    self.error = error

    def start_in_background(self) -> None:
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


def temporary_folder(prefix: str) -> Path:
    """A private temporary folder (mode 0700) for a build's files."""
    return Path(tempfile.mkdtemp(prefix=prefix))
