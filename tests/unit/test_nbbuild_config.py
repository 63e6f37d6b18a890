"""nbbuild's configuration: everything it knows of the project comes from [tool.nbbuild] (the
tables below are invented for the tests), and the exporters find their templates through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nbbuild import config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def configured(tmp_path, monkeypatch):
    """Write an invented pyproject.toml and make it this process's nbbuild configuration."""

    def write(text: str) -> Path:
        path = tmp_path / "pyproject.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(config.CONFIG_VARIABLE, str(path))
        config.settings.cache_clear()
        return path

    yield write
    config.settings.cache_clear()


def test_settings_come_from_the_table(configured, tmp_path):
    configured(
        '[tool.nbbuild]\npreload = ["json"]\ntemplates = ["tpl"]\nfigure-manifest = "MY_MANIFEST"\n'
        'not-for-kernels = ["RUN"]\nprint-timeout = 5\n'
        '[tool.nbbuild.nbconvert.TemplateExporter]\npreprocessors = ["x.Y"]\n'
    )
    settings = config.settings()
    assert settings.preload == ("json",)
    assert settings.templates == ((tmp_path / "tpl").resolve(),)
    assert settings.figure_manifest == "MY_MANIFEST" and settings.not_for_kernels == {"RUN"}
    assert settings.print_timeout == 5.0
    nbconvert = settings.nbconvert_config()
    assert nbconvert.TemplateExporter.preprocessors == ["x.Y"]
    assert nbconvert.TemplateExporter.extra_template_basedirs == [str((tmp_path / "tpl").resolve())]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("preloads = []", "unknown settings: preloads"),
        ('preload = "pandas"', "preload must be a list of strings"),
        ('figure-manifest = "$(shell x)"', "figure-manifest must be the name of a variable"),
        ("print-timeout = -1", "print-timeout must be a number of seconds"),
    ],
)
def test_a_bad_setting_is_one_clear_error_naming_the_file(configured, table, message):
    path = configured(f"[tool.nbbuild]\n{table}\n")
    with pytest.raises(config.ConfigError, match=message) as raised:
        config.settings()
    assert str(raised.value).startswith(str(path))


def test_the_project_configures_its_templates_and_cells_by_name():
    settings = config.settings()  # the project's own pyproject.toml (the tests run in the checkout)
    assert settings.path == ROOT / "pyproject.toml"
    assert all(folder.is_dir() for folder in settings.templates)
    assert "campaign.view.cells.RunLanguagePreprocessor" in settings.nbconvert["TemplateExporter"]["preprocessors"]


def test_export_sources_are_the_template_files_without_caches(configured, tmp_path, monkeypatch):
    (tmp_path / "tpl" / "a").mkdir(parents=True)
    (tmp_path / "tpl" / "a" / "index.html.j2").write_text("x")
    (tmp_path / "tpl" / "a" / ".index.html.j2.swp").write_text("x")
    (tmp_path / "tpl" / "__pycache__").mkdir()
    (tmp_path / "tpl" / "__pycache__" / "x.pyc").write_text("x")
    configured('[tool.nbbuild]\ntemplates = ["tpl"]\n')
    monkeypatch.chdir(tmp_path)
    assert config.export_sources(config.settings()) == ["tpl/a/index.html.j2"]


def test_moving_the_templates_is_a_change_of_the_configuration_alone(configured, tmp_path):
    """The exporters find a template wherever the configuration says (invented template)."""
    from nbbuild.export import ShareableHTMLExporter

    folder = tmp_path / "elsewhere" / "mine"
    folder.mkdir(parents=True)
    (folder / "conf.json").write_text('{"base_template": "lab", "mimetypes": {"text/html": true}}')
    (folder / "index.html.j2").write_text(
        "{%- extends 'lab/index.html.j2' -%}\n{% block body_header %}MOVED-TEMPLATE{% endblock %}"
    )
    configured(
        '[tool.nbbuild]\ntemplates = ["elsewhere"]\n[tool.nbbuild.nbconvert.ShareableHTMLExporter]\ntemplate_name = "mine"\n'
    )
    body, _ = ShareableHTMLExporter().from_notebook_node(nbformat.v4.new_notebook())
    assert "MOVED-TEMPLATE" in body


def test_nbbuild_imports_nothing_of_the_campaign():
    """The package alone, with the campaign's modules made unimportable: every module loads."""
    code = (
        "import sys, importlib, pkgutil, nbbuild\n"
        "sys.modules['campaign'] = None\n"
        "for m in pkgutil.iter_modules(nbbuild.__path__):\n"
        "    if m.name != 'engine':  # loaded by papermill, as an entry point\n"
        "        importlib.import_module('nbbuild.' + m.name)\n"
        "import papermill\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
