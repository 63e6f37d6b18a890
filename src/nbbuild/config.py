"""nbbuild's configuration: the ``[tool.nbbuild]`` table of the project's pyproject.toml.

nbbuild knows nothing of the project it builds; what it must know comes from here, read by name
at run time:

    [tool.nbbuild]
    preload = ["pandas", "matplotlib.pyplot"]     # modules the kernels' forkserver imports ahead
    templates = ["src/nbbuild/templates"]          # nbconvert template folders (from pyproject's folder)
    figure-manifest = "MY_FIGURE_MANIFEST"         # the variable naming the file a kernel lists its figures in
    not-for-kernels = ["RUN"]                      # variables of make's recipes that kernels do not get
    print-timeout = 60                             # seconds for Chromium to start, or to print a page

    [tool.nbbuild.nbconvert.TemplateExporter]      # traitlets configuration of the exporters
    preprocessors = ["mypackage.cells.MyPreprocessor"]

The file is the first pyproject.toml with a ``[tool.nbbuild]`` table in the working directory or
above it ($NBBUILD_CONFIG names another). Without one every setting is empty: plain nbconvert.

    python -m nbbuild.config export-sources    # the files the exports depend on (for make)
"""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_VARIABLE = "NBBUILD_CONFIG"
_KEYS = {"preload", "templates", "figure-manifest", "not-for-kernels", "print-timeout", "nbconvert"}


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    path: Path | None = None  # the pyproject.toml read, if any
    preload: tuple[str, ...] = ()
    templates: tuple[Path, ...] = ()
    figure_manifest: str = "NBBUILD_FIGURE_MANIFEST"
    not_for_kernels: frozenset[str] = frozenset()
    print_timeout: float = 60.0
    nbconvert: dict = field(default_factory=dict)

    def nbconvert_config(self):
        """The exporters' traitlets configuration: the table's own, with the template folders
        added to nbconvert's documented template search traits."""
        from traitlets.config import Config

        config = Config(self.nbconvert)
        if self.templates:
            folders = [str(folder) for folder in self.templates]
            config.TemplateExporter.extra_template_basedirs = folders
            config.TemplateExporter.extra_template_paths = folders
        return config


def _find() -> Path | None:
    named = os.environ.get(CONFIG_VARIABLE)
    if named:
        return Path(named).resolve()
    folder = Path.cwd().resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "[tool.nbbuild" in path.read_text(encoding="utf-8"):
            return path
    return None


def _strings(path: Path, table: dict, key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: [tool.nbbuild] {key} must be a list of strings")
    return tuple(value)


@functools.cache
def settings() -> Settings:
    """The configuration for this process (read once)."""
    path = _find()
    if path is None:
        return Settings()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("nbbuild", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: [tool.nbbuild] has unknown settings: {', '.join(sorted(unknown))}")
    nbconvert = table.get("nbconvert", {})
    if not isinstance(nbconvert, dict):
        raise ConfigError(f"{path}: [tool.nbbuild.nbconvert] must be a table")
    manifest = table.get("figure-manifest", Settings.figure_manifest)
    if not isinstance(manifest, str) or not manifest.isidentifier():
        raise ConfigError(f"{path}: [tool.nbbuild] figure-manifest must be the name of a variable")
    timeout = table.get("print-timeout", Settings.print_timeout)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        raise ConfigError(f"{path}: [tool.nbbuild] print-timeout must be a number of seconds from 0 to 3600")
    return Settings(
        path=path,
        print_timeout=float(timeout),
        preload=_strings(path, table, "preload"),
        templates=tuple((path.parent / folder).resolve() for folder in _strings(path, table, "templates")),
        figure_manifest=manifest,
        not_for_kernels=frozenset(_strings(path, table, "not-for-kernels")),
        nbconvert=nbconvert,
    )


def export_sources(config: Settings) -> list[str]:
    """The files an export depends on besides nbbuild's code: every file in the template
    folders (no dot-files, no cache folders), relative to the working directory."""
    found = []
    for folder in config.templates:
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
                found.append(os.path.relpath(path))
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["export-sources"]:
        print("usage: python -m nbbuild.config export-sources", file=sys.stderr)
        return 2
    try:
        sources = export_sources(settings())
    except ConfigError as error:
        print(f"nbbuild: {error}", file=sys.stderr)
        return 2
    unsafe = [s for s in sources if set(s) & set(" \t\n:#$%=\\\"'`;|&<>()*?[]{}")]
    if unsafe:
        print(f"nbbuild: template file names make cannot read: {unsafe[0]!r}", file=sys.stderr)
        return 2
    print(" ".join(sources))
    return 0


if __name__ == "__main__":
    sys.exit(main())
