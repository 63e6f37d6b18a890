"""Defaults with one owner each: the run a bare `make reports` builds and the loan ceiling."""

from __future__ import annotations

DEFAULT_REGION = "长治市"
DEFAULT_LANG = "en"
# The analysis notebooks and the campaign tasks each one covers; a run builds those it needs.
ANALYSIS_NOTEBOOKS = {
    "10-employment": ("employment",),
    "20-funding": ("projects", "microcredit"),
    "30-sales": ("sales",),
    "40-training-policy": ("training", "policy"),
}
# Yuan per household: the usual ceiling of the microcredit product for poverty-alleviated households.
LOAN_CEILING = 50_000.0

# What a register records where its source does not give a value (a publisher, a title, an address).
NOT_RECORDED = "not recorded"
