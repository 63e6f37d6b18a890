# The project's Jupyter server settings, read by 'make lab' (which sets JUPYTER_CONFIG_DIR to this
# folder). More in docs/setup.md ("JupyterLab").
import os
import sys
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

PROJECT = Path(__file__).resolve().parent.parent

# Lab serves the whole project (its file browser reaches src/, data/ and reports/) and opens on
# notebooks/.
c.ServerApp.root_dir = str(PROJECT)  # noqa: F821
c.LabApp.default_url = "/lab/tree/notebooks"  # noqa: F821

# A browser is opened only where there is a screen to show it on; elsewhere (a remote machine)
# 'make lab' prints the address to open and the SSH tunnel to reach it (tools/lab.sh).
c.ServerApp.open_browser = bool(  # noqa: F821
    os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform == "darwin"
)
# A quiet log: warnings and errors only (LAB_ARGS=--Application.log_level=INFO for the rest).
c.Application.log_level = "WARN"  # noqa: F821  (the server and Lab)

# Kernels talk to the server over encrypted channels (CurveZMQ keys provisioned by the kernel
# manager; the ipykernel kernelspec supports them), as in the build: no "Kernel is running over
# TCP without encryption" warning for every notebook opened.
c.KernelManager.transport_encryption = "auto"  # noqa: F821

# No websocket keep-alive pings. Jupyter Server's kernel websockets ping every 30 s and time out
# after 90 s by default, which tornado refuses with a warning at every notebook opened
# ("websocket_ping_timeout cannot be longer than websocket_ping_interval"); with the two equal,
# Jupyter Server's own check closes the kernel's websocket every 30 s instead ("WebSocket ping
# timeout after 30002 ms"). A server on this machine or behind an SSH tunnel needs no pings;
# behind a proxy that drops idle connections, give LAB_ARGS=--ServerApp.tornado_settings=...
c.ServerApp.tornado_settings = {"ws_ping_interval": 0}  # noqa: F821

# The project uses no language servers: jupyter-lsp need not look for them (it runs
# 'npm prefix -g' to do so, and npm writes a log file into the user's home).
c.LanguageServerManager.autodetect = False  # noqa: F821


# Notebooks are committed without outputs, and make rebuilds a notebook's reports when its file
# changes. So a notebook that Lab saves keeps only what a person wrote: no outputs, no execution
# counts, none of Lab's per-session cell state, and no Python version. Lab keeps showing the
# outputs in the open tab (the executed notebooks are in reports/executed/<run>/); reopened, the
# notebook shows none. A save that would write the bytes already on disk writes nothing, so
# neither git nor make sees a change. On loading, the notebook gets the kernel's Python version,
# which Lab would otherwise add as soon as the kernel starts, marking the notebook modified.
SESSION_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled", "trusted")


def _python_version() -> str:
    # the kernel is this environment's ipykernel, on this Python (jupyter_client runs the
    # 'python3' kernelspec with the server's interpreter): it reports the version thus
    return sys.version.split()[0]


def committed_form(notebook: dict) -> None:
    """Strip a notebook (nbformat's dict) in place down to what is committed."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in SESSION_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
    notebook.get("metadata", {}).get("language_info", {}).pop("version", None)


class ProjectContentsManager(AsyncLargeFileManager):
    """Jupyter's file contents manager, saving notebooks in their committed form."""

    async def get(self, path, content=True, type=None, format=None, require_hash=False):
        model = await super().get(path, content=content, type=type, format=format, require_hash=require_hash)
        if content and model["type"] == "notebook":
            info = model["content"].get("metadata", {}).get("language_info")
            if isinstance(info, dict) and info.get("name") == "python" and "version" not in info:
                info["version"] = _python_version()
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            import nbformat
            from tornado.web import HTTPError

            committed_form(model["content"])
            try:
                on_disk = await self.get(path, content=True, type="file", format="text")
            except HTTPError:  # a new notebook
                on_disk = None
            if on_disk is not None:
                saved = nbformat.reads(on_disk["content"], as_version=nbformat.NO_CONVERT)
                if saved == nbformat.from_dict(model["content"]):  # the same notebook: leave the file as it is
                    return await self.get(path, content=False)
        return await super().save(model, path)

    def mark_trusted_cells(self, nb, path=""):
        # A notebook without outputs has nothing that could be untrusted (Jupyter's trust is about
        # showing HTML and JavaScript outputs): trust it without warning "is not trusted".
        if not any(cell.get("outputs") for cell in nb.get("cells", [])):
            self.notary.mark_cells(nb, True)
            return
        super().mark_trusted_cells(nb, path)


c.ServerApp.contents_manager_class = ProjectContentsManager  # noqa: F821
