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

# Text given to make, on its command line or in the environment, is data and never make syntax:
# each variable below keeps the text it was given, unexpanded ($(value ...)), and reaches the
# recipes only through the environment ("$$REGION" in the shell, never pasted into a command), so
# $(shell ...), $(...) and backquotes in it never run. Sub-makes get them the same way, not as
# command-line definitions, which they would expand (MAKEOVERRIDES). One exception is make's own:
# a value given with := (make 'REGION:=...') is expanded by make before it reads this file.
USER_VARIABLES := REGION PERIOD REPORT_LANG PYTHON CHROMIUM JOBS FILE PUBLISHED SOURCE OUTPUT ARGS LAB_ARGS LAB_PORT CAMPAIGN_RUNS
$(foreach v,$(USER_VARIABLES),$(if $(filter command line environment,$(origin $(v))),$(eval override $(v) := $$(value $(v)))))
MAKEOVERRIDES :=
# Any other variable given on the command line (or in MAKEFLAGS) would reach make's own syntax
# (build.mk's RUN, PY, SHELL...): it is refused by name, its text never expanded.
_NOT_SETTINGS := $(strip $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(if $(filter $(v),$(USER_VARIABLES)),,$(v)))))
ifneq ($(_NOT_SETTINGS),)
$(error $(firstword $(_NOT_SETTINGS)) is not a setting of this project; settings: $(USER_VARIABLES) (make help))
endif

# The run: REGION, PERIOD and REPORT_LANG have no default here; `campaign run-id` picks the
# default run (src/campaign/core/settings.py) for what is not given.
PYTHON      ?= python3
# Steps at once: one more than the cores, so that one runs while another waits (for make, for its
# kernel's replies, for Chromium). A JOBS given to make (command line or environment) must be a
# whole number from 1 to 64: its text is checked as it was given, never expanded, and anything
# else stops with one line.
JOBS_MAX    := 64
ifeq ($(filter command line environment environment override override,$(origin JOBS)),)
_JOBS       := $(shell n=$$(( $$(nproc 2>/dev/null || echo 1) + 1 )); echo $$(( n > $(JOBS_MAX) ? $(JOBS_MAX) : n )))
else
_JOBS       := $(value JOBS)
_JOBS_LEFT  := $(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,$(subst 4,,$(subst 5,,$(subst 6,,$(subst 7,,$(subst 8,,$(subst 9,,$(_JOBS)))))))))))
ifneq ($(words $(_JOBS))$(_JOBS_LEFT)$(shell [ "$(if $(_JOBS_LEFT),x,$(_JOBS))" -ge 1 ] 2>/dev/null && [ "$(if $(_JOBS_LEFT),x,$(_JOBS))" -le $(JOBS_MAX) ] && echo ok),1ok)
$(error JOBS='$(value JOBS)' must be a whole number from 1 to $(JOBS_MAX))
endif
endif
# Exported as given (an unset one stays unset: recipes read "$${REGION-}").
export $(foreach v,$(USER_VARIABLES),$(if $(filter undefined,$(origin $(v))),,$(v)))
# Parallel by default; a -j given to make itself (its jobserver) is passed down instead. _JOBS is
# digits only (checked above), so it may stand in a command.
BUILD        = $(MAKE) --no-print-directory -f build.mk $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(_JOBS))
# One process serves every notebook step of a build (src/nbbuild/server.py): Python,
# papermill and nbconvert start once, kernels start ahead of the steps, one Chromium prints every
# PDF. Make still decides what runs; with nothing to run the build runs without it.
SERVE        = $(PY) -m nbbuild.server --jobs $(_JOBS) --

.PHONY: help setup system-deps reports reports-all processed test test-fast lint lab lock clean-reports extract

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

## reports: regenerate the processed data and every report of one run (REGION=, PERIOD=, REPORT_LANG=)
reports: setup
	@+vars="$$($(PY) -m campaign run-id --region "$${REGION-}" --period "$${PERIOD-}" --lang "$${REPORT_LANG-}" --make-vars)"; \
	$(SERVE) $(BUILD) $$vars run

## reports-all: every run the data supports (each region with campaign figures, in English and Chinese)
reports-all: setup
	@+CAMPAIGN_RUNS="$$($(PY) -m campaign runs --make-vars)"; export CAMPAIGN_RUNS; \
	$(SERVE) $(MAKE) --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(_JOBS)) each-run

# (for reports-all) The runs in $CAMPAIGN_RUNS, one line of make variables each, side by side under
# one -j once the processed data are up to date. A line reaches its recipe through the environment.
RUN_LINES := $(if $(CAMPAIGN_RUNS),$(shell seq 1 "$$(printf '%s\n' "$$CAMPAIGN_RUNS" | grep -c .)"))
.PHONY: each-run each-run-processed $(addprefix each-run-,$(RUN_LINES))
each-run: $(addprefix each-run-,$(RUN_LINES))
each-run-processed:
	@+$(BUILD) processed
$(addprefix each-run-,$(RUN_LINES)): each-run-%: each-run-processed
	@+vars="$$(printf '%s\n' "$$CAMPAIGN_RUNS" | grep . | sed -n '$*p')"; \
	if [[ $$vars =~ [^A-Za-z0-9_=:\ -] ]]; then echo "make: CAMPAIGN_RUNS line $* is not a line of 'campaign runs --make-vars'" >&2; exit 2; fi; \
	$(BUILD) $$vars run

## extract: a report's figures as a review CSV (FILE=, PUBLISHED=YYYY-MM-DD; REGION=, SOURCE=, OUTPUT=; ARGS= e.g. --write)
extract: setup
	@read -r -a args <<< "$${ARGS-}"; \
	$(PY) -m campaign extract $${FILE:+"$$FILE"} --published "$${PUBLISHED-}" $${REGION:+--region "$$REGION"} \
		$${SOURCE:+--source "$$SOURCE"} $${OUTPUT:+--output "$$OUTPUT"} "$${args[@]}"

## processed: only the clean step (data/processed/*.csv)
processed: setup
	@+$(BUILD) processed

## test: set up, then the linters and the whole test suite (unit, integration, end-to-end)
# In two processes (pytest-xdist), each test in whichever is free. The session's build is made
# once, in the background, and only read; a test that changes a build works on its own copy
# (tests/conftest.py).
test: setup lint
	@$(PY) -m pytest -n 2

## test-fast: the unit tests only (tests/unit: no notebook, no make, a few seconds)
test-fast: setup
	@$(PY) -m pytest tests/unit -q -n 2

## lint: ruff on the package, tests, benchmarks and notebooks; the package's layers (lint-imports)
lint: setup
	@$(VENV)/bin/ruff check src tests bench tools notebooks
	@$(VENV)/bin/ruff format --check src tests bench tools
	@$(VENV)/bin/lint-imports --no-cache

## lab: JupyterLab on the project, opening on notebooks/, with the project's kernel and settings; prints the address to open (LAB_PORT=8888, LAB_ARGS= more options)
lab: setup
	@tools/lab.sh

# Jupyter's settings (committed: .jupyter/jupyter_server_config.py, .jupyter/lab/user-settings/),
# its workspaces and runtime files, IPython's history and matplotlib's font cache live in the
# project's .jupyter/ rather than in the user's home. LAB_PORT and LAB_ARGS reach tools/lab.sh
# through the environment, never pasted into a shell command.
lab: export JUPYTER_CONFIG_DIR := $(CURDIR)/.jupyter
lab: export JUPYTER_DATA_DIR := $(CURDIR)/.jupyter/data
lab: export JUPYTER_RUNTIME_DIR := $(CURDIR)/.jupyter/data/runtime
lab: export IPYTHONDIR := $(CURDIR)/.jupyter/ipython
lab: export MPLCONFIGDIR := $(CURDIR)/.jupyter/matplotlib

## lock: re-resolve the dependencies (newest versions every supported Python installs) and rewrite the lock files
lock:
	@python=$$(tools/setup.sh --print-python) && "$$python" tools/lockfiles.py lock

## clean-reports: delete generated data and reports (raw data and registers are kept)
clean-reports:
	rm -rf data/processed/*.csv data/processed/index.sqlite reports/executed/* reports/html/* reports/pdf/* reports/figures/*
