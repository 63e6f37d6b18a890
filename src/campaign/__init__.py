"""Analysis of Changzhi's 2022 "5+1 key tasks 100-day campaign" for rural revitalisation."""

__version__ = "0.1.0"
