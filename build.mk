# The real dependency graph of the outputs, run by the Makefile once it has picked the run:
#   make -f build.mk RUN=changzhi-2022-06-30-en REGION_SLUG=changzhi PERIOD_END=2022-06-30 REPORT_LANG=en run
#
#   data/raw/*.csv + registers + 00-clean + cleaning code  ->  data/processed/*.csv
#   processed data + notebook + package code                ->  reports/executed/<run>/NN.ipynb (+ figures)
#   executed 10..40                                         ->  executed 90-summary (reads their figures)
#   executed notebook + exporter                            ->  reports/html/<run>/NN.html, reports/pdf/<run>/NN.pdf
#
# Every output is written to a temporary file and renamed, or deleted on error, so nothing
# half-made looks fresh; runs write to their own folders, so `make -j` is safe.

SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:

PY        := .venv/bin/python
PAPERMILL := .venv/bin/papermill --log-level WARNING --progress-bar
ROOT      := $(CURDIR)

RAW        := $(sort $(wildcard data/raw/*.csv))
REGISTERS  := data/indicators.yml data/regions.csv data/sources.csv
CLEAN_SRC  := $(addprefix src/campaign/,__init__.py units.py registers.py clean.py checks.py metrics.py io.py)
PACKAGE    := $(sort $(wildcard src/campaign/*.py))
EXPORTER   := src/campaign/export.py src/campaign/io.py $(sort $(wildcard src/campaign/templates/*/*))
PROCESSED  := data/processed/observations.csv data/processed/derived.csv data/processed/quality.csv

ANALYSIS   := 10-employment 20-funding 30-sales 40-training-policy
NOTEBOOKS  := $(ANALYSIS) 90-summary
EXECUTED   := reports/executed/$(RUN)
HTML       := reports/html/$(RUN)
PDF        := reports/pdf/$(RUN)
RUN_PARAMS  = -p region $(REGION_SLUG) -p period_end $(PERIOD_END) -p lang $(REPORT_LANG) \
              -p data_dir $(ROOT)/data -p reports_dir $(ROOT)/reports

.PHONY: run processed
processed: $(PROCESSED)

run: $(foreach n,$(NOTEBOOKS),$(HTML)/$(n).html $(PDF)/$(n).pdf) reports/html/00-clean.html
	@echo "reports: $(RUN) is up to date (reports/{html,pdf,figures,executed}/$(RUN)/)"

# The clean step: one notebook, three outputs (a grouped target: one run makes all three).
$(PROCESSED) &: notebooks/00-clean.ipynb $(RAW) $(REGISTERS) $(CLEAN_SRC)
	@echo "clean: notebooks/00-clean.ipynb -> data/processed/"
	@mkdir -p reports/executed
	@$(PAPERMILL) --cwd notebooks notebooks/00-clean.ipynb reports/executed/.00-clean.tmp.ipynb \
		-p data_dir $(ROOT)/data || { rm -f reports/executed/.00-clean.tmp.ipynb; exit 1; }
	@mv reports/executed/.00-clean.tmp.ipynb reports/executed/00-clean.ipynb

reports/executed/00-clean.ipynb: $(PROCESSED)

reports/html/00-clean.html: reports/executed/00-clean.ipynb $(EXPORTER)
	@echo "html: $< -> $@"
	@$(PY) -m campaign.export $< --html-dir $(@D)

# Analysis notebooks: executed with the run's parameters; they also save figures under
# reports/figures/<run>/. A failing cell stops here with papermill's notebook, cell and error.
$(EXECUTED)/%.ipynb: notebooks/%.ipynb $(PROCESSED) $(PACKAGE)
	@echo "run: notebooks/$*.ipynb ($(RUN)) -> $@"
	@mkdir -p $(@D)
	@$(PAPERMILL) --cwd notebooks $< $(@D)/.$*.tmp.ipynb $(RUN_PARAMS) || { rm -f $(@D)/.$*.tmp.ipynb; exit 1; }
	@mv $(@D)/.$*.tmp.ipynb $@

# The summary shows figures that the analysis notebooks of the same run saved.
$(EXECUTED)/90-summary.ipynb: $(foreach n,$(ANALYSIS),$(EXECUTED)/$(n).ipynb)

# One export process per notebook makes both files (a pattern rule with two targets is grouped).
$(HTML)/%.html $(PDF)/%.pdf: $(EXECUTED)/%.ipynb $(EXPORTER)
	@echo "export: $< -> $(HTML)/$*.html, $(PDF)/$*.pdf"
	@mkdir -p $(HTML) $(PDF)
	@$(PY) -m campaign.export $< --html-dir $(HTML) --pdf-dir $(PDF)
