"""The kernels and the printer a build step runs with: a kernel's environment, the kernel of one
step, the shared Chromium printer, the papermill engine, and the kernel manager the build uses."""

from __future__ import annotations

from pathlib import Path

FIGURE_MANIFEST = "CAMPAIGN_FIGURE_MANIFEST"  # the kernel lists the figures it saves in this file
SERVER = "CAMPAIGN_BUILD_SERVER"  # the build server's socket, when make runs one

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
        (nbbuild.zygote) if it can fork it."""
        import uuid

        from jupyter_core.utils import run_sync

        km = build_kernel_manager()(kernel_name=kernel_name, config=kernel_manager_config())
        if zygote is not None:
            from nbbuild.zygote import provisioner

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
    most once, in the background (see nbbuild.export.ChromiumPrinter). A Chromium that cannot
    be found is an error when a PDF is printed, not before."""

    def __init__(self):
        import threading

        self.lock, self.printer, self.error = threading.Lock(), None, None

    def start(self) -> None:
        from nbbuild.export import ChromiumNotFoundError, ChromiumPrinter

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
