"""Tables to CSV (UTF-8 with BOM, so Excel shows Chinese correctly) or XLSX (openpyxl)."""
from __future__ import annotations

import csv
import io
import sys
from collections.abc import AsyncIterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PERCENT = "0.0%"


class Percent(float):
    """A rate (0-1): "93.5%" in CSV, a percent-formatted number in XLSX."""


def cell_text(value: Any, tz: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{value * 100:.1f}%"
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


async def write_table(path: Path | None, fmt: str, headers: Sequence[str],
                      rows: AsyncIterable[Sequence[Any]], *, tz: str) -> int:
    """Write headers and rows; ``path`` None: CSV to standard output (no BOM). Returns the
    number of data rows."""
    if fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx needs an output file")
        return await _xlsx(path, headers, rows, tz)
    if path is None:
        return await _csv(sys.stdout, headers, rows, tz)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        return await _csv(fh, headers, rows, tz)


async def _csv(fh: io.TextIOBase | Any, headers: Sequence[str], rows: AsyncIterable[Sequence[Any]],
               tz: str) -> int:
    w = csv.writer(fh)
    w.writerow(headers)
    n = 0
    async for row in rows:
        w.writerow([cell_text(v, tz) for v in row])
        n += 1
    return n


async def _xlsx(path: Path, headers: Sequence[str], rows: AsyncIterable[Sequence[Any]], tz: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    bold = Font(bold=True)
    head = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        head.append(c)
    ws.append(head)
    zone = ZoneInfo(tz)
    n = 0
    async for row in rows:
        out: list[Any] = []
        for v in row:
            if isinstance(v, Percent):
                c = WriteOnlyCell(ws, value=float(v))
                c.number_format = PERCENT
                out.append(c)
            elif isinstance(v, datetime):
                c = WriteOnlyCell(ws, value=v.astimezone(zone).replace(tzinfo=None))
                c.number_format = "yyyy-mm-dd hh:mm"
                out.append(c)
            else:
                out.append(v)
        ws.append(out)
        n += 1
    wb.save(path)
    return n
