# The real dependency graph of the outputs, run by the Makefile once it has picked the run:
#   make -f build.mk RUN=changzhi-2022-06-30-en REGION_SLUG=changzhi PERIOD_END=2022-06-30 REPORT_LANG=en run
#
#   data/raw/*.csv + registers + 00-clean + cleaning code  ->  data/processed/*.csv
#   processed data + notebook + package code                ->  reports/executed/<run>/NN.ipynb
#                                                               (and figures under reports/figures/<run>/)
#   executed notebook + exporters and templates             ->  reports/html/<run>/NN.html, reports/pdf/<run>/NN.pdf
#   executed 10..40                                         ->  90-summary (shows their figures)
#
# A step executes a notebook, or exports an executed one (`python -m nbbuild.execute`). Under
# `make reports` and `make reports-all` the steps run on a build server (src/nbbuild/server.py)
# that the Makefile starts for the invocation: Python, papermill and nbconvert start once, kernels
# are forked ahead of the steps from the standard library's forkserver, which has imported the
# notebooks' libraries, and one Chromium prints every PDF. Make still decides what runs; run
# alone, a step does all of it itself.
# Every output is written to a temporary file and renamed, or deleted on error, so nothing
# half-made looks fresh; runs write to their own folders, so `make -j` is safe.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# The run and the notebooks are given to this make (the Makefile's command line, or a test's):
# their text is kept unexpanded, so that make syntax in it ($(shell ...)) never runs, from the
# command line or from the environment alike.
GIVEN := RUN REGION_SLUG PERIOD_END REPORT_LANG ANALYSIS_NOTEBOOKS ANALYSIS NOTEBOOKS
$(foreach v,$(GIVEN),$(if $(filter command line environment,$(origin $(v))),$(eval override $(v) := $$(value $(v)))))
.DELETE_ON_ERROR:
.SUFFIXES:

PY        := .venv/bin/python
EXECUTE   := $(PY) -m nbbuild.execute --cwd notebooks
EXPORT    := $(PY) -m nbbuild.execute --export

# The raw files, by the one rule the clean step reads them with (docs/data.md, "Raw files"): listed
# by its code, so that make and the clean step never see different files. An entry of data/raw
# that the rule refuses (a link, a FIFO, a folder or a name such as "my file.csv") stops here in
# one line; hidden files (editor locks .#x.csv) and names not ending in .csv are left out. Their
# names also go into RAW_LISTING when they change (a file added with an old time, or deleted):
# the clean step depends on it.
RAW_LISTING := reports/executed/.raw-files
RAW        := $(shell $(PY) -m campaign.dataset.rawlist --make --listing $(RAW_LISTING) data/raw 2>&1)
ifneq ($(.SHELLSTATUS),0)
$(error $(or $(RAW),cannot list data/raw with $(PY) -m campaign.dataset.rawlist; run make setup))
endif
REGISTERS  := data/indicators.yml data/regions.csv data/sources.csv data/campaign.yml
# The code each step runs, by layer (src/campaign/<layer>/, src/nbbuild/): source files only, so
# that no cache or bytecode folder counts as a source. The clean step runs the domain core and the
# data step; an analysis notebook runs every layer up to the report. nbbuild's code that makes an
# executed notebook (EXECUTE_SRC) re-runs notebooks; its exporters and the templates that the
# configuration names (pyproject.toml's [tool.nbbuild]) re-run the exports; the build server's
# own code (server, its wire to the steps, kernel pool, forkserver, provisioner) changes no output
# and re-runs nothing.
sources     = $(sort $(foreach d,$(1),$(wildcard $(d)/*.py $(d)/*.yml $(d)/*.j2 $(d)/*.json)))
EXECUTE_SRC := $(addprefix src/nbbuild/,execute.py engine.py kernels.py stepfiles.py files.py config.py)
EXPORT_SRC  := $(addprefix src/nbbuild/,execute.py export.py printer.py files.py config.py) pyproject.toml \
               $(shell $(PY) -m nbbuild.config export-sources)
CLEAN_SRC  := src/campaign/__init__.py $(call sources,src/campaign/core src/campaign/dataset) $(EXECUTE_SRC)
PACKAGE    := $(CLEAN_SRC) $(call sources,src/campaign/tasks src/campaign/view src/campaign/view/text)
PROCESSED  := data/processed/observations.csv data/processed/derived.csv data/processed/quality.csv

# The analysis notebooks of this run (campaign run-id --make-vars lists them, colon-separated).
ANALYSIS   := $(if $(ANALYSIS_NOTEBOOKS),$(subst :, ,$(ANALYSIS_NOTEBOOKS)),10-employment 20-funding 30-sales 40-training-policy)
NOTEBOOKS  := $(ANALYSIS) 90-summary
EXECUTED   := reports/executed/$(RUN)
HTML       := reports/html/$(RUN)
PDF        := reports/pdf/$(RUN)

# The run's parameters reach the notebooks through the environment and papermill's argument
# list ("$$REGION_SLUG" below), never pasted into a shell command. Paths are relative to the
# kernel's folder (notebooks/), so no builder's absolute path shows in the executed notebooks.
export RUN REGION_SLUG PERIOD_END REPORT_LANG
RUN_PARAMS  = -p region "$$REGION_SLUG" -p period_end "$$PERIOD_END" -p lang "$$REPORT_LANG" \
              -p data_dir ../data -p reports_dir ../reports

# RUN also names folders and targets: only a-z, 0-9 and '-' may appear in it.
_RUN_CHARS := a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 -
_strip_chars = $(if $(2),$(call _strip_chars,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
ifneq ($(filter run,$(MAKECMDGOALS)),)
ifneq ($(words $(RUN))$(call _strip_chars,$(RUN),$(_RUN_CHARS)),1)
$(error RUN='$(RUN)' must be one word of a-z, 0-9 and '-'; use 'make reports' to pick a run)
endif
ifneq ($(RUN),$(REGION_SLUG)-$(PERIOD_END)-$(REPORT_LANG))
$(error RUN='$(RUN)' is not REGION_SLUG-PERIOD_END-REPORT_LANG; use 'make reports' to pick a run)
endif
endif

# When this make started: the last line of a run says whether it wrote anything since.
STARTED    := $(shell date +%s.%N)

.PHONY: run processed
processed: $(PROCESSED)
	@:

# Executions first: make starts what is ready in this order, so the summary runs as soon as the
# notebooks it shows have run, rather than after their exports.
run: $(foreach n,$(NOTEBOOKS),$(EXECUTED)/$(n).ipynb) $(foreach n,$(NOTEBOOKS),$(HTML)/$(n).html $(PDF)/$(n).pdf) \
		reports/html/00-clean.html
	@written=$$(find $(EXECUTED) $(HTML) $(PDF) reports/figures/$(RUN) -type f -newermt "@$(STARTED)" 2>/dev/null | grep -c . || :); \
	if [ "$$written" -gt 0 ]; then echo "reports: $(RUN) built, $$written files written (reports/{html,pdf,figures,executed}/$(RUN)/)"; \
	else echo "reports: $(RUN) is up to date, nothing to do (reports/{html,pdf,figures,executed}/$(RUN)/)"; fi

# The clean step: one notebook; the three processed files and its executed copy (then its HTML).
$(PROCESSED) reports/executed/00-clean.ipynb &: \
		notebooks/00-clean.ipynb $(RAW) $(RAW_LISTING) $(REGISTERS) $(CLEAN_SRC)
	@echo "clean: notebooks/00-clean.ipynb -> data/processed/, reports/html/00-clean.html"
	@$(EXECUTE) notebooks/00-clean.ipynb reports/executed/00-clean.ipynb -p data_dir ../data

reports/html/00-clean.html: reports/executed/00-clean.ipynb $(EXPORT_SRC)
	@$(EXPORT) reports/executed/00-clean.ipynb --html-dir reports/html

# An analysis notebook with the run's parameters. A failing cell stops here with the notebook, cell
# and error. The step deletes the figures the notebook saved last time before it runs (only those
# in its own figures folder), and writes $(EXECUTED)/.<notebook>.d, which makes the executed
# notebook depend on the figures it saved: deleting a figure (or the whole figures folder) runs
# the notebook again. A missing .d does the same. The clean step's executed notebook is a
# prerequisite beside the processed files it is made with: when it alone is missing, make runs the
# clean step, which writes the processed files again, before it runs the notebooks, not beside them.
$(EXECUTED)/%.ipynb: notebooks/%.ipynb $(PROCESSED) reports/executed/00-clean.ipynb $(PACKAGE) $(EXECUTED)/.%.d
	@echo "run: notebooks/$*.ipynb ($(RUN)) -> $(EXECUTED)/$*.ipynb, $(HTML)/$*.html, $(PDF)/$*.pdf"
	@$(EXECUTE) $< $(EXECUTED)/$*.ipynb $(RUN_PARAMS) --figures-dir reports/figures/$(RUN)

# Its HTML and PDF (a pattern rule with two targets is one grouped step): both, or neither.
$(HTML)/%.html $(PDF)/%.pdf: $(EXECUTED)/%.ipynb $(EXPORT_SRC)
	@$(EXPORT) $< --html-dir $(HTML) --pdf-dir $(PDF)

$(RAW_LISTING): ;

# Named, not only matched by a pattern, so that make does not treat them as intermediate files
# (which it would delete, and whose absence it would ignore).
$(foreach n,$(NOTEBOOKS),$(EXECUTED)/.$(n).d): ;

-include $(wildcard $(EXECUTED)/.*.d)

# The summary shows figures that the analysis notebooks of the same run saved.
$(EXECUTED)/90-summary.ipynb: $(foreach n,$(ANALYSIS),$(EXECUTED)/$(n).ipynb)
