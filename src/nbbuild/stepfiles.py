"""The files around a build step: the make dependency file that lists a notebook's figures,
the figure manifest the kernel writes, and the executed notebook made reproducible."""

from __future__ import annotations

import os
import re
from pathlib import Path

from nbbuild.files import write_bytes_atomically

_TIMING_KEYS = ("start_time", "end_time", "duration")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
_UNSAFE_IN_MAKE = set(" \t\n\r:#$%=\\\"'`;|&<>()*?[]{}")


def dependency_file(output: Path) -> Path:
    """The make dependency file of an executed notebook: ``.<name>.d`` beside it."""
    return output.parent / f".{output.stem}.d"


def read_dependency_file(path: Path) -> list[Path]:
    """The figures a dependency file lists: its empty rules (``figure:``), after the first rule,
    which names the outputs."""
    if not path.exists():
        return []
    rules = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [Path(line[:-1]) for line in rules[1:] if line.endswith(":")]


def write_dependency_file(path: Path, outputs: list[Path], figures: list[Path]) -> None:
    """``outputs: figures`` plus an empty rule per figure (as gcc -MP does), so that make
    rebuilds the outputs when a figure is deleted and does not stop when one is no longer made."""
    for figure in figures:
        unsafe = _UNSAFE_IN_MAKE & set(str(figure))
        if unsafe:
            raise ValueError(f"figure path {str(figure)!r} has characters make cannot read: {''.join(sorted(unsafe))}")
    lines = [f"# figures saved by the notebook behind {outputs[0]} (written by nbbuild.execute)"]
    lines.append(" ".join(str(o) for o in outputs) + ":" + "".join(f" {f}" for f in figures))
    lines += [f"{f}:" for f in figures]
    write_bytes_atomically(("\n".join(lines) + "\n").encode("utf-8"), path)


def _relative(path: str | Path) -> Path:
    """``path`` relative to the working directory (the project, when make runs this)."""
    return Path(os.path.relpath(Path(path).resolve(), Path.cwd()))


def _saved_figures(manifest: Path) -> list[Path]:
    if not manifest.exists():
        return []
    lines = manifest.read_text(encoding="utf-8").splitlines()
    return sorted({_relative(line) for line in lines if line.strip()})


def make_reproducible(notebook, source_ids: list[str], name: str, output: Path) -> None:
    """Strip what changes from run to run: papermill's and nbclient's timestamps and durations,
    the temporary output path, the random id of the cell papermill injects and memory addresses
    in plain-text representations of objects."""
    papermill = notebook.metadata.get("papermill", {})
    for key in _TIMING_KEYS:
        papermill.pop(key, None)
    if "output_path" in papermill:
        papermill["output_path"] = str(output)
    used = set(source_ids)
    for index, cell in enumerate(notebook.cells):
        for key in _TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("text/plain")
            if isinstance(plain, str):  # "<Styler at 0x7f...>": a memory address differs every run
                output["data"]["text/plain"] = _ADDRESS.sub(">", plain)
        if cell.get("id") not in source_ids:
            candidate = f"{name}-{index}"
            while candidate in used:
                candidate += "x"
            cell["id"] = candidate
            used.add(candidate)
