"""XLSX and CSV files (bot/report_files.py): a named sheet with the period in a title row, a
frozen header row with a filter, columns as wide as their content, numbers as numbers (an
empty cell for no value), and formula-like text neutralised."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from bot.report_files import Percent, column_widths, display_width, neutralise, sheet_title, write_table

HEADERS = ["名称", "收到工单", "响应率", "综合得分", "受理时间", "诉求内容"]
ROWS: list[list[Any]] = [
    ["兴谷园小区", 12, Percent(0.75), 78.8, datetime(2026, 11, 2, 2, 30, tzinfo=UTC), "楼道灯坏了"],
    ["柳河苑", 0, None, None, None, "=1+1"],
]


async def aiter_rows(rows: Sequence[Sequence[Any]]) -> AsyncIterator[Sequence[Any]]:
    for r in rows:
        yield r


def write(path: Path | None, fmt: str, rows: Sequence[Sequence[Any]] = ROWS, **kw: Any) -> int:
    return asyncio.run(write_table(path, fmt, HEADERS, aiter_rows(rows), tz="Asia/Shanghai", **kw))


def test_xlsx_layout(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    title = "接诉即办指标 2026Q4：2026-10-01 至 2026-12-31"
    assert write(path, "xlsx", title=title, sheet="接诉即办指标") == 2
    ws = load_workbook(path)["接诉即办指标"]
    assert ws["A1"].value == "接诉即办指标 2026Q4：2026-10-01 至 2026-12-31" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == HEADERS and all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"  # title and header stay in view
    assert ws.auto_filter.ref == "A2:F4"
    first, second = ws[3], ws[4]
    assert (first[1].value, first[2].value, first[3].value) == (12, 0.75, 78.8)
    assert first[2].number_format == "0.0%" and first[3].number_format == "0.0"
    assert first[4].value == datetime(2026, 11, 2, 10, 30) and first[4].number_format == "yyyy-mm-dd hh:mm"
    # no value: an empty cell, not a "—" string
    assert (second[1].value, second[2].value, second[3].value, second[4].value) == (0, None, None, None)
    assert second[5].value == "=1+1" and second[5].data_type == "s"
    widths = {k: ws.column_dimensions[k].width for k in "ABCDEF"}
    assert widths["A"] >= display_width("兴谷园小区") and widths["E"] >= len("2026-11-02 10:30")
    assert all(6 <= w <= 60 for w in widths.values())


def test_xlsx_without_rows_still_has_its_header_and_filter(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    assert write(path, "xlsx", rows=[], title="t", sheet="a/b:c?") == 0
    ws = load_workbook(path).active
    assert ws is not None and ws.title == "a b c" and ws.auto_filter.ref == "A2:F2"


def test_many_rows_are_streamed_and_sized_from_the_first_ones(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    rows = [[f"小区{i}", i, Percent(0.5), 1.0, None, "x" * (i % 7)] for i in range(1200)]
    assert write(path, "xlsx", rows=rows, title="t", sheet="s") == 1200
    ws = load_workbook(path)["s"]
    assert ws.max_row == 1202 and ws.auto_filter.ref == "A2:F1202"
    assert ws.cell(row=1202, column=1).value == "小区1199"


def test_csv_numbers_and_neutralised_text(capsys: Any) -> None:
    assert write(None, "csv") == 2
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == HEADERS
    assert table[1] == ["兴谷园小区", "12", "75.0%", "78.8", "2026-11-02 10:30", "楼道灯坏了"]
    assert table[2] == ["柳河苑", "0", "", "", "", "'=1+1"]


def test_helpers() -> None:
    assert [neutralise(s) for s in ("=a", "+a", "-a", "@a", "\ta", "\ra", "a=", "")] == [
        "'=a",
        "'+a",
        "'-a",
        "'@a",
        "'\ta",
        "'\ra",
        "a=",
        "",
    ]
    assert display_width("abc") == 3 and display_width("小区") == 4
    assert column_widths(["a"], [["x" * 200]], "UTC") == [60]
    assert sheet_title(None) == "Sheet1" and len(sheet_title("很长" * 40)) == 31
