"""The papermill engine ``nbbuild`` (registered in the ``papermill.engine`` entry point group).

papermill's nbclient engine, for a kernel the build started beforehand and hands over with
papermill's ``km`` option: nbclient stops only the kernels it started itself, so this engine
stops that one, and its client's channels, as soon as the notebook is done (nbbuild.kernels.stop)
whether it ran or failed. The kernel's working directory was set when it started, so papermill
need not change the process's own (which the build server, running steps side by side, could
not allow).
"""

from __future__ import annotations

from papermill.engines import NBClientEngine

NAME = "nbbuild"


class BuildEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, km=None, **kwargs):
        from jupyter_core.utils import run_sync

        from nbbuild.kernels import stop

        try:
            return super().execute_managed_notebook(nb_man, kernel_name, km=km, **kwargs)
        finally:
            if km is not None:
                run_sync(stop)(km)
