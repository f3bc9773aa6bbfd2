"""CSV for spreadsheets: Excel opens the Japanese as it is, and no cell runs as a formula."""

import csv
import io
import re
from collections.abc import Iterable

#: A cell starting with one of these would be read by a spreadsheet as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What `text_cell` marks: a value a spreadsheet would read as a number and change
#: (09012345678 loses its zero, 0453331234 too).
_DIGITS = re.compile(r"[0-9]+")


class _Text(str):
    """A cell already made text by `text_cell`: a tab, then digits only."""


def text_cell(value) -> str:
    """A value that must stay text (a phone number, a postcode): digits alone are written after a
    tab, which Excel and LibreOffice keep as text with its leading zero (docs/decisions.md)."""
    text = "" if value is None else str(value)
    return _Text(f"\t{text}") if _DIGITS.fullmatch(text) else text


def safe_cell(value) -> str:
    """The value as text that a spreadsheet shows as text: a leading ' stops a formula
    (=HYPERLINK(...) typed into a form by a stranger, say); None is an empty cell."""
    if isinstance(value, _Text):  # a tab and digits: nothing a spreadsheet could run
        return value
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def excel_csv(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens the Japanese as it is; every cell made safe."""
    return ("\ufeff" + _write([header], rows)).encode("utf-8")


def excel_csv_tables(tables: Iterable[Iterable[Iterable]], *, title: Iterable[str] = ()) -> bytes:
    """Several tables in one CSV (each with its header row first), an empty line between them,
    after title lines that say what the file is; UTF-8 with a BOM, every cell made safe."""
    lines = [[line] for line in title]
    for table in tables:
        if lines:
            lines.append([])
        lines += list(table)
    return ("\ufeff" + _write([], lines)).encode("utf-8")


def _write(headers: Iterable[Iterable], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for header in headers:
        writer.writerow([str(label) for label in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()
