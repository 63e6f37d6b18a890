"""The committed notebooks are in the form that JupyterLab (with the project's server settings,
.jupyter/jupyter_server_config.py) loads without changing and saves byte for byte: opening one
does not mark it modified, and saving it unchanged writes nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))  # the exploratory starter too


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_written_as_jupyter_writes_it(path):
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5), f"{path.name}: not nbformat 4.5"
    assert text == nbformat.writes(notebook) + "\n", f"{path.name}: write it with nbformat.write, as Jupyter does"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_names_the_kernel_as_the_kernel_describes_itself(path):
    # Lab writes the kernel's own kernelspec and language_info into a notebook as soon as its
    # kernel starts; anything else marks the notebook modified. The Python version is the one
    # part left out: the server adds the kernel's on loading and removes it on saving.
    from ipykernel.ipkernel import IPythonKernel

    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert notebook.metadata.kernelspec == {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    expected = {k: v for k, v in IPythonKernel.language_info.items() if k != "version"}
    assert notebook.metadata.language_info == expected, path.name
    assert IPythonKernel.language_info["version"] == sys.version.split()[0]  # what the server adds
