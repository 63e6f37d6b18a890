"""Values of a text's printed figures, parsed in one go by the project's column-wise parser."""

from __future__ import annotations

from campaign.core.quantities import Quantity, QuantityColumnParseError, QuantityParseError, parse_quantity
from campaign.core.quantity_columns import parse_quantities

from .printed import PrintedFigure


def parse_all(figures: list[PrintedFigure]) -> list[Quantity | None]:
    """The quantity of each figure in base units, or None for one the parser does not read.

    The column parser is the fast path for a long text; a figure whose unit it does not give
    as the counter says (a counter of several characters such as 千瓦时) is parsed on its own.
    """
    if not figures:
        return []
    import pandas as pd

    texts = pd.Series([f.parsed_as for f in figures], dtype=object)
    failed: set[int] = set()
    try:
        frame = parse_quantities(texts)
    except QuantityColumnParseError as error:
        failed = {label for label, _, _ in error.failures}
        frame = parse_quantities(texts.drop(sorted(failed))) if len(failed) < len(texts) else None
    columns = {}
    if frame is not None:  # by position in ``figures``: the frame keeps the labels of ``texts``
        for name in frame.columns:
            values = frame[name].tolist()
            columns[name] = values if not failed else dict(zip(frame.index, values, strict=True))
    quantities: list[Quantity | None] = []
    for index, figure in enumerate(figures):
        if index in failed:
            quantities.append(None)
            continue
        unit = columns["unit"][index]
        if figure.foreign_unit:  # parsed with 个 standing in for a unit the counters do not know
            quantities.append(
                Quantity(
                    columns["value"][index],
                    figure.foreign_unit,
                    columns["lower"][index],
                    columns["upper"][index],
                    bool(columns["approximate"][index]),
                    figure.printed,
                )
            )
            continue
        if unit != figure.unit:
            try:
                quantities.append(parse_quantity(figure.parsed_as))
            except QuantityParseError:
                quantities.append(None)
            continue
        quantities.append(
            Quantity(
                columns["value"][index],
                unit,
                columns["lower"][index],
                columns["upper"][index],
                bool(columns["approximate"][index]),
                figure.parsed_as,
            )
        )
    return quantities
