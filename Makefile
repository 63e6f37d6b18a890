# Front door of the project. `make help` lists the targets (the "## " lines below).
# The dependency graph of the outputs lives in build.mk; this file sets up the environment
# and picks the run (REGION, PERIOD, REPORT_LANG) before handing over to it.

SHELL := /bin/bash
# Every recipe stops at its first failing command, in a pipeline too.
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
REGION      ?= 长治市
PERIOD      ?=
REPORT_LANG ?= en
PYTHON      ?= python3
# Steps at once: one more than the cores, so that one runs while another waits (for make, for its
# kernel's replies, for Chromium).
JOBS        ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
# The run's parameters reach Python through the environment ("$$REGION" in the recipes), never
# pasted into a shell command, so any text is safe in them; campaign run-id checks them.
export REGION PERIOD REPORT_LANG
# Parallel by default; a -j given to make itself (its jobserver) is passed down instead.
BUILD        = $(MAKE) --no-print-directory -f build.mk $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS))
# One process serves every notebook step of a build (src/campaign/buildserver.py): Python,
# papermill and nbconvert start once, kernels start ahead of the steps, one Chromium prints every
# PDF. Make still decides what runs; with nothing to run the build runs without it.
SERVE        = $(PY) -m campaign.buildserver --jobs $(JOBS) --

.PHONY: help setup system-deps reports reports-all processed test lint lab lock clean-reports extract

## help: list the targets
help:
	@grep -hE '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## setup: system packages (Chromium, CJK fonts, poppler, venv) and .venv with the locked packages (PYTHON= picks the Python)
setup:
	@tools/setup.sh

system-deps:
	@tools/system-deps.sh

# tools/setup.sh reads PYTHON from its environment, and whether the user chose it (see the script).
setup lock: export PYTHON_GIVEN := $(filter-out default file,$(origin PYTHON))
setup lock: export PYTHON := $(PYTHON)

## reports: regenerate the processed data and every report of one run (REGION=, PERIOD=, REPORT_LANG=)
reports: setup
	@+vars="$$($(PY) -m campaign run-id --region "$$REGION" --period "$$PERIOD" --lang "$$REPORT_LANG" --make-vars)"; \
	$(SERVE) $(BUILD) $$vars run

## reports-all: every run the data supports (each region with campaign figures, in English and Chinese)
reports-all: setup
	@+CAMPAIGN_RUNS="$$($(PY) -m campaign runs --make-vars)"; export CAMPAIGN_RUNS; \
	$(SERVE) $(MAKE) --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS)) each-run

# (for reports-all) The runs in $CAMPAIGN_RUNS, one line of make variables each, side by side under
# one -j once the processed data are up to date. A line reaches its recipe through the environment.
RUN_LINES := $(if $(CAMPAIGN_RUNS),$(shell seq 1 "$$(printf '%s\n' "$$CAMPAIGN_RUNS" | grep -c .)"))
.PHONY: each-run each-run-processed $(addprefix each-run-,$(RUN_LINES))
each-run: $(addprefix each-run-,$(RUN_LINES))
each-run-processed:
	@+$(BUILD) processed
$(addprefix each-run-,$(RUN_LINES)): each-run-%: each-run-processed
	@+vars="$$(printf '%s\n' "$$CAMPAIGN_RUNS" | grep . | sed -n '$*p')"; $(BUILD) $$vars run

## extract: a report's figures as a review CSV (FILE=, PUBLISHED=YYYY-MM-DD; REGION=, SOURCE=, OUTPUT=; ARGS= e.g. --write)
# The region is passed only when the user gave one (not the reports' default); ARGS may be unset.
extract: export EXTRACT_REGION_GIVEN := $(if $(filter file,$(origin REGION)),,yes)
extract: setup
	@$(PY) -m campaign extract "$${FILE-}" --published "$${PUBLISHED-}" $${EXTRACT_REGION_GIVEN:+--region "$$REGION"} \
		$${SOURCE:+--source "$$SOURCE"} $${OUTPUT:+--output "$$OUTPUT"} $${ARGS-}

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

## lab: JupyterLab on notebooks/ with the project's kernel and Lab settings (LAB_ARGS= passes options, e.g. --port=8890)
lab: setup
	@$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Jupyter's settings (committed: .jupyter/lab/user-settings/), workspaces and runtime files, and
# IPython's history, live in the project's .jupyter/ rather than in the user's home.
lab: export JUPYTER_CONFIG_DIR := $(CURDIR)/.jupyter
lab: export JUPYTER_DATA_DIR := $(CURDIR)/.jupyter/data
lab: export IPYTHONDIR := $(CURDIR)/.jupyter/ipython

## lock: re-resolve the dependencies (newest versions every supported Python installs) and rewrite the lock files
lock:
	@python=$$(tools/setup.sh --print-python) && "$$python" tools/lockfiles.py lock

## clean-reports: delete generated data and reports (raw data and registers are kept)
clean-reports:
	rm -rf data/processed/*.csv reports/executed/* reports/html/* reports/pdf/* reports/figures/*
