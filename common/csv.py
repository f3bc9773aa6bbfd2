"""CSV for spreadsheets: Excel opens the Japanese as it is, and no cell runs as a formula."""

import csv
import io
from collections.abc import Iterable

#: A cell starting with one of these would be read by a spreadsheet as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text that a spreadsheet shows as text: a leading ' stops a formula
    (=HYPERLINK(...) typed into a form by a stranger, say); None is an empty cell."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def excel_csv(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens the Japanese as it is; every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(label) for label in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
