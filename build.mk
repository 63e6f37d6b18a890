# The real dependency graph of the outputs, run by the Makefile with the run selected:
#   make -f build.mk RUN=changzhi-2022-06-30-en REGION_SLUG=changzhi PERIOD_END=2022-06-30 REPORT_LANG=en run
# Every output is written atomically or deleted on error, so nothing half-made looks fresh.

SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:

PY        := .venv/bin/python
PAPERMILL := .venv/bin/papermill --log-level WARNING --progress-bar
ROOT      := $(CURDIR)

RAW        := $(sort $(wildcard data/raw/*.csv))
REGISTERS  := data/indicators.yml data/regions.csv data/sources.csv
CLEAN_SRC  := $(addprefix src/campaign/,__init__.py units.py registers.py clean.py checks.py metrics.py io.py)
PROCESSED  := data/processed/observations.csv data/processed/derived.csv data/processed/quality.csv

.PHONY: run processed
processed: $(PROCESSED)

# The clean step: one notebook, three outputs (a grouped target: one run makes all three).
$(PROCESSED) &: notebooks/00-clean.ipynb $(RAW) $(REGISTERS) $(CLEAN_SRC)
	@echo "clean: notebooks/00-clean.ipynb -> data/processed/"
	@mkdir -p reports/executed
	@$(PAPERMILL) --cwd notebooks notebooks/00-clean.ipynb reports/executed/.00-clean.tmp.ipynb \
		-p data_dir $(ROOT)/data
	@mv reports/executed/.00-clean.tmp.ipynb reports/executed/00-clean.ipynb

run: processed
