"""Tables to CSV (UTF-8 with BOM, so Excel shows Chinese correctly) or XLSX (openpyxl).

Text a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return: a resident's description, a hotline order) is neutralised: in CSV with a
leading ``'`` (OWASP), in XLSX by writing a string cell with Excel's quote prefix, so it is
shown as typed and never evaluated. XLSX sheets are named, carry the period in a title row,
freeze the header row under it with a filter on it, size their columns to the content and
keep numbers as numbers (an empty cell when there is no value).
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PERCENT = "0.0%"
DATETIME = "yyyy-mm-dd hh:mm"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SIZE_ROWS = 200  # rows read ahead to size the XLSX columns
MIN_WIDTH, MAX_WIDTH = 6, 60
# characters an XLSX file cannot hold (XML 1.0): C0 controls except tab, LF, CR
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class Percent(float):
    """A rate (0-1): "93.5%" in CSV, a percent-formatted number in XLSX."""


def neutralise(text: str) -> str:
    """A leading ``'`` before text a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_text(value: Any, tz: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{value * 100:.1f}%"
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, (int, bool)):
        return str(value)
    return neutralise(str(value))


async def write_table(
    path: Path | None,
    fmt: str,
    headers: Sequence[str],
    rows: AsyncIterable[Sequence[Any]],
    *,
    tz: str,
    title: str | None = None,
    sheet: str | None = None,
) -> int:
    """Write headers and rows; ``path`` None: CSV to standard output (no BOM). ``title`` (the
    report and its period) and ``sheet`` (the sheet's name) are for XLSX. Returns the number
    of data rows."""
    if fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx needs an output file")
        return await _xlsx(path, headers, rows, tz, title, sheet)
    if path is None:
        return await _csv(sys.stdout, headers, rows, tz)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        return await _csv(fh, headers, rows, tz)


async def _csv(
    fh: io.TextIOBase | Any, headers: Sequence[str], rows: AsyncIterable[Sequence[Any]], tz: str
) -> int:
    w = csv.writer(fh)
    w.writerow([neutralise(h) for h in headers])
    n = 0
    async for row in rows:
        w.writerow([cell_text(v, tz) for v in row])
        n += 1
    return n


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], tz: str) -> list[int]:
    widths = [display_width(h) + 3 for h in headers]  # room for the filter button
    for row in rows:
        for i, v in enumerate(row[: len(widths)]):
            text = cell_text(v, tz) if not isinstance(v, str) else v.split("\n", 1)[0]
            widths[i] = max(widths[i], display_width(text) + 1)
    return [max(MIN_WIDTH, min(MAX_WIDTH, w)) for w in widths]


def sheet_title(name: str | None) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters."""
    cleaned = _SHEET_BAD.sub(" ", name or "").strip()[:31]
    return cleaned or "Sheet1"


async def _read_ahead(
    rows: AsyncIterable[Sequence[Any]], n: int
) -> tuple[list[Sequence[Any]], AsyncIterator[Sequence[Any]]]:
    it = aiter(rows)
    head: list[Sequence[Any]] = []
    async for row in it:
        head.append(row)
        if len(head) >= n:
            break
    return head, it


def _text_cell(ws: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    clean = _ILLEGAL.sub("\ufffd", text)
    c = WriteOnlyCell(ws, value=clean)
    if clean.startswith(FORMULA_START):
        c.data_type = "s"  # openpyxl takes "=…" for a formula; this is text
        c.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return c


def _cells(ws: Any, row: Sequence[Any], zone: ZoneInfo) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for v in row:
        if isinstance(v, Percent):
            c = WriteOnlyCell(ws, value=float(v))
            c.number_format = PERCENT
            out.append(c)
        elif isinstance(v, datetime):
            c = WriteOnlyCell(ws, value=v.astimezone(zone).replace(tzinfo=None))
            c.number_format = DATETIME
            out.append(c)
        elif isinstance(v, float):
            c = WriteOnlyCell(ws, value=v)
            c.number_format = "0.0"
            out.append(c)
        elif isinstance(v, str):
            out.append(_text_cell(ws, v))
        else:
            out.append(v)
    return out


async def _xlsx(
    path: Path,
    headers: Sequence[str],
    rows: AsyncIterable[Sequence[Any]],
    tz: str,
    title: str | None,
    sheet: str | None,
) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(sheet))
    head, rest = await _read_ahead(rows, SIZE_ROWS)
    for i, width in enumerate(column_widths(headers, head, tz), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    header_row = 2 if title else 1
    ws.freeze_panes = f"A{header_row + 1}"
    if title:
        c = _text_cell(ws, title)
        c.font = Font(bold=True, size=13)
        ws.append([c])
    bold = Font(bold=True)
    cells = []
    for h in headers:
        c = _text_cell(ws, h)
        c.font = bold
        cells.append(c)
    ws.append(cells)
    zone = ZoneInfo(tz)
    n = 0
    for row in head:
        ws.append(_cells(ws, row, zone))
        n += 1
    async for row in rest:
        ws.append(_cells(ws, row, zone))
        n += 1
    last = get_column_letter(max(1, len(headers)))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + n}"
    wb.save(path)
    return n
