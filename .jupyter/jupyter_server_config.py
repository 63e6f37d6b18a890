# The project's Jupyter server settings, read by 'make lab' (which sets JUPYTER_CONFIG_DIR to this folder).

# Kernels talk to the server over encrypted channels (CurveZMQ keys provisioned by the kernel
# manager; the ipykernel kernelspec supports them), as in the build: no "Kernel is running over
# TCP without encryption" warning for every notebook opened.
c.KernelManager.transport_encryption = "auto"  # noqa: F821

# The project uses no language servers: jupyter-lsp need not look for them (it runs
# 'npm prefix -g' to do so, and npm writes a log file into the user's home).
c.LanguageServerManager.autodetect = False  # noqa: F821
