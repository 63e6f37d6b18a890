"""The languages a run can be written in (``languages.yml`` beside this module), read once."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

LANGUAGES_FILE = Path(__file__).resolve().parent / "languages.yml"


@functools.cache
def language_specs(path: Path = LANGUAGES_FILE) -> dict[str, dict[str, str]]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def languages(path: Path | None = None) -> tuple[str, ...]:
    """The language codes a run may use, in the order the language list gives them."""
    return tuple(language_specs(Path(path or LANGUAGES_FILE)))
