"""Analysis of Changzhi's 2022 "5+1 key tasks 100-day campaign" for rural revitalisation.

The sub-packages follow the data flow, each importing only from those before it in this list
(``make lint`` checks it):

- ``core``: quantities with their intervals, the registers, settings and languages;
- ``dataset``: raw files as printed -> processed observations, derived figures, checks;
- ``tasks``: processed data -> findings, one module per campaign task;
- ``view``: findings -> words, tables and charts;
- ``extract``: a report's text -> proposed raw rows for review (beside the flow);
- ``cli``: the command line on top (``python -m campaign``).
"""

__version__ = "0.1.0"
