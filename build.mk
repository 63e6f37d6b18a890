# The real dependency graph of the outputs, run by the Makefile once it has picked the run:
#   make -f build.mk RUN=changzhi-2022-06-30-en REGION_SLUG=changzhi PERIOD_END=2022-06-30 REPORT_LANG=en run
#
#   data/raw/*.csv + registers + 00-clean + cleaning code  ->  data/processed/*.csv
#   processed data + notebook + package code                ->  reports/executed/<run>/NN.ipynb,
#                                                               reports/html/<run>/NN.html, reports/pdf/<run>/NN.pdf
#                                                               (and figures under reports/figures/<run>/)
#   executed 10..40                                         ->  90-summary (shows their figures)
#
# One process executes a notebook and exports it (`python -m campaign.execute`), so Python and
# nbconvert start once per notebook. Every output is written to a temporary file and renamed, or
# deleted on error, so nothing half-made looks fresh; runs write to their own folders, so
# `make -j` is safe.

SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:

PY        := .venv/bin/python
EXECUTE   := $(PY) -m campaign.execute --cwd notebooks
ROOT      := $(CURDIR)

RAW        := $(sort $(wildcard data/raw/*.csv))
REGISTERS  := data/indicators.yml data/regions.csv data/sources.csv data/campaign.yml
CLEAN_SRC  := $(addprefix src/campaign/,__init__.py units.py vocabulary.py registers.py clean.py checks.py \
                metrics.py io.py execute.py startup.py)
PACKAGE    := $(sort $(wildcard src/campaign/*.py src/campaign/text/* src/campaign/templates/*/*))
PROCESSED  := data/processed/observations.csv data/processed/derived.csv data/processed/quality.csv

# The analysis notebooks of this run (campaign run-id --make-vars lists them, colon-separated).
ANALYSIS   := $(if $(ANALYSIS_NOTEBOOKS),$(subst :, ,$(ANALYSIS_NOTEBOOKS)),10-employment 20-funding 30-sales 40-training-policy)
NOTEBOOKS  := $(ANALYSIS) 90-summary
EXECUTED   := reports/executed/$(RUN)
HTML       := reports/html/$(RUN)
PDF        := reports/pdf/$(RUN)
RUN_PARAMS  = -p region $(REGION_SLUG) -p period_end $(PERIOD_END) -p lang $(REPORT_LANG) \
              -p data_dir $(ROOT)/data -p reports_dir $(ROOT)/reports

.PHONY: run processed
processed: $(PROCESSED)

run: $(foreach n,$(NOTEBOOKS),$(EXECUTED)/$(n).ipynb $(HTML)/$(n).html $(PDF)/$(n).pdf) reports/html/00-clean.html
	@echo "reports: $(RUN) is up to date (reports/{html,pdf,figures,executed}/$(RUN)/)"

# The clean step: one notebook; the three processed files and its executed copy and HTML.
$(PROCESSED) reports/executed/00-clean.ipynb reports/html/00-clean.html &: \
		notebooks/00-clean.ipynb $(RAW) $(REGISTERS) $(CLEAN_SRC)
	@echo "clean: notebooks/00-clean.ipynb -> data/processed/, reports/html/00-clean.html"
	@$(EXECUTE) notebooks/00-clean.ipynb reports/executed/00-clean.ipynb -p data_dir $(ROOT)/data \
		--html-dir reports/html

# An analysis notebook with the run's parameters, and its HTML and PDF (a pattern rule with
# several targets is one grouped step). A failing cell stops here with the notebook, cell and error.
$(EXECUTED)/%.ipynb $(HTML)/%.html $(PDF)/%.pdf: notebooks/%.ipynb $(PROCESSED) $(PACKAGE)
	@echo "run: notebooks/$*.ipynb ($(RUN)) -> $(EXECUTED)/$*.ipynb, $(HTML)/$*.html, $(PDF)/$*.pdf"
	@$(EXECUTE) $< $(EXECUTED)/$*.ipynb $(RUN_PARAMS) --html-dir $(HTML) --pdf-dir $(PDF)

# The summary shows figures that the analysis notebooks of the same run saved.
$(EXECUTED)/90-summary.ipynb: $(foreach n,$(ANALYSIS),$(EXECUTED)/$(n).ipynb)
