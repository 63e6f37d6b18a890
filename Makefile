# Front door of the project. `make help` lists the targets (the "## " lines below).
# The dependency graph of the outputs lives in build.mk; this file sets up the environment
# and picks the run (REGION, PERIOD, REPORT_LANG) before handing over to it.

SHELL := /bin/bash
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
INSTALLED   := $(VENV)/.installed
REGION      ?= 长治市
PERIOD      ?=
REPORT_LANG ?= en
PYTHON      ?= python3
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
# Parallel by default; a -j given to make itself (its jobserver) is passed down instead.
BUILD        = $(MAKE) --no-print-directory -f build.mk $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS))

.PHONY: help setup system-deps reports reports-all processed test lint lab lock clean-reports extract

## help: list the targets
help:
	@grep -hE '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## setup: system packages (Chromium, CJK font, poppler) and .venv with the locked packages
setup: system-deps $(INSTALLED)

system-deps:
	@tools/system-deps.sh

$(INSTALLED): requirements.lock pyproject.toml
	@echo "setup: creating $(VENV) with the packages pinned in requirements.lock"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

## reports: regenerate the processed data and every report of one run (REGION=, PERIOD=, REPORT_LANG=)
reports: setup
	@+$(BUILD) $$($(PY) -m campaign run-id --region '$(REGION)' --period '$(PERIOD)' --lang '$(REPORT_LANG)' --make-vars) run

## reports-all: every run the data supports (each region with campaign figures, in English and Chinese)
reports-all: setup
	@+$(PY) -m campaign runs --make-vars | while read -r vars; do $(BUILD) $$vars run || exit 1; done

## extract: a report's figures as a review CSV (FILE=, PUBLISHED=YYYY-MM-DD; REGION=, SOURCE=, OUTPUT=; ARGS= e.g. --write)
extract: setup
	@$(PY) -m campaign extract "$$FILE" --published "$$PUBLISHED" $${REGION:+--region "$$REGION"} \
		$${SOURCE:+--source "$$SOURCE"} $${OUTPUT:+--output "$$OUTPUT"} $$ARGS

## processed: only the clean step (data/processed/*.csv)
processed: setup
	@+$(BUILD) processed

## test: set up, then ruff and the whole test suite
test: setup lint
	@$(PY) -m pytest

## lint: ruff on the package, tests, benchmarks and notebooks
lint: setup
	@$(VENV)/bin/ruff check src tests bench tools notebooks
	@$(VENV)/bin/ruff format --check src tests bench tools

## lab: JupyterLab on notebooks/ with the project's kernel (LAB_ARGS= passes options, e.g. --port=8890)
lab: setup
	@$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

## lock: re-resolve the direct dependencies to their newest versions and rewrite the lock files
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet setuptools -e '.[dev]'
	{ sed -n '1,2p' requirements.lock; .venv-lock/bin/pip freeze --all --exclude-editable | grep -viE '^(pip|wheel)==|^-e'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .venv-lock
	$(PYTHON) tools/lockfiles.py write

## clean-reports: delete generated data and reports (raw data and registers are kept)
clean-reports:
	rm -rf data/processed/*.csv reports/executed/* reports/html/* reports/pdf/* reports/figures/*
