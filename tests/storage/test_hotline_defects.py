"""Hotline import defects (issue 10, items 9–11), each proven on SQLite and PostgreSQL:
a stray quote no longer swallows the following rows; one bad row (year 1, a NUL byte, a
database error) no longer loses the good ones; GB18030 with a BOM is read; implausible
dates are refused; order numbers are compared normalised; a dry run prints no numbers."""

from __future__ import annotations

import argparse
import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli_reports import run
from services.hotline import DateWindow, ImportReport, import_orders
from storage.models import Ticket
from storage.uow import UowFactory
from tests.storage.hotline_faults import MARK, refuse_marked_tickets
from tests.storage.ticket_seed import demo_org

HEADER = "order_no,received_at,address,compound_code,category,content,caller_phone\n"


async def imported(uow_factory: UowFactory, text: str, **kw: object) -> ImportReport:
    async with uow_factory() as uow:
        report = await import_orders(uow, text, **kw)  # type: ignore[arg-type]
        await uow.commit()
    return report


async def tickets(uow_factory: UowFactory) -> dict[str, Ticket]:
    async with uow_factory() as uow:
        return {t.external_ref or "": t for t in (await uow.session.execute(select(Ticket))).scalars()}


async def test_a_stray_quote_rejects_its_row_and_the_following_rows_are_imported(
    uow_factory: UowFactory,
) -> None:
    await demo_org(uow_factory)
    text = HEADER + (
        'Q1,2026-11-20 09:00,,XGY,漏水,"楼上漏水,13800000001\n'  # row 2: the stray quote
        "Q2,2026-11-20 10:00,,LHY,噪音,楼下噪音,13900000002\n"  # row 3
        "Q3,2026-11-20 11:00,,JGJY,暖气,暖气不热,13700000003\n"  # row 4
        'Q4,2026-11-20 12:00,,XGY,漏水,"屋顶漏水\n已持续三天",13600000004\n'  # rows 5: quoted, two lines
        'Q5,2026-11-20 13:00,,FJY,垃圾,"垃圾没人收,13500000005\n'
    )  # row 6: quote never closed
    report = await imported(uow_factory, text)
    assert [(r.row, r.key) for r in report.rejected] == [
        (2, "hotline-malformed-row"),
        (6, "hotline-malformed-row"),
    ]
    stored = await tickets(uow_factory)
    assert sorted(stored) == ["Q2", "Q3", "Q4"]
    assert stored["Q2"].caller_phone == "13900000002" and stored["Q3"].description == "暖气不热"
    assert stored["Q4"].description == "屋顶漏水\n已持续三天"  # legitimate multi-line content is kept
    assert not any("1390000" in t.description or "Q3" in t.description for t in stored.values())


async def test_one_bad_row_does_not_lose_the_good_ones(uow_factory: UowFactory) -> None:
    await demo_org(uow_factory)
    text = HEADER + (
        "Y1,0001-01-01 00:00,,XGY,漏水,远古工单,\n"  # OverflowError before
        "N1,2026-11-20 09:00,,XGY,漏水,内容\x00有空字符,13812345678\n"  # DBAPIError on PostgreSQL before
        "OK1,2026-11-20 09:00,,XGY,漏水,正常的一行,\n"
        "T1,2026-11-20 09:00,,XGY,漏水,制表\t符和\x07响铃,\n"
    )
    report = await imported(uow_factory, text)
    assert [(r.row, r.problem.field_path, r.key) for r in report.rejected] == [
        (2, "received_at", "hotline-date-too-early"),
        (3, "content", "validation-control-characters"),
        (5, "content", "validation-control-characters"),
    ]
    assert sorted(await tickets(uow_factory)) == ["OK1"]


async def test_a_database_error_rejects_that_row_only_and_prints_nothing_personal(
    uow_factory: UowFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await demo_org(uow_factory)
    await refuse_marked_tickets(uow_factory)
    f = tmp_path / "orders.csv"
    f.write_text(
        HEADER
        + (
            "D1,2026-11-20 09:00,,XGY,漏水,第一行,13811112222\n"
            f"D2,2026-11-20 09:10,,XGY,漏水,{MARK} 张三家漏水,13933334444\n"
            "D3,2026-11-20 09:20,,LHY,漏水,第三行,13755556666\n"
        ),
        encoding="utf-8",
    )
    lines: list[str] = []
    args = argparse.Namespace(command="hotline", hotline_action="import", file=f, dry_run=False)
    with caplog.at_level(logging.INFO):  # what the CLI logs (bot/cli.py)
        assert await run(args, uow_factory, out=lines.append) == 1
    assert sorted(await tickets(uow_factory)) == ["D1", "D3"]
    assert "拒收：第 3 行（工单编号 D2）：数据库拒收了这一行，本行没有保存任何数据" in lines
    assert lines[-1] == "热线导入完成：新建工单 2 件，重复 0 行（已跳过），拒收 1 行。"
    captured = capsys.readouterr()
    printed = "\n".join([*lines, captured.out, captured.err, caplog.text])
    assert "13933334444" not in printed and "张三" not in printed and MARK not in printed
    async with uow_factory() as uow:
        numbers = sorted((await uow.session.execute(select(Ticket.number))).scalars())
        postgres = uow.session.get_bind().dialect.name == "postgresql"
    # SQLite: the counter row's increment was rolled back with the row; PostgreSQL: numbers come
    # from a sequence (submits do not queue behind a counter row), the refused row's is skipped
    assert [n[-6:] for n in numbers] == (["000001", "000003"] if postgres else ["000001", "000002"])


async def test_gb18030_with_a_bom_is_read(uow_factory: UowFactory, tmp_path: Path) -> None:
    await demo_org(uow_factory)
    f = tmp_path / "gb.csv"
    f.write_bytes(("\ufeff" + HEADER + "G1,2026-11-20 09:00,,XGY,漏水,楼上漏水,\n").encode("gb18030"))
    lines: list[str] = []
    args = argparse.Namespace(command="hotline", hotline_action="import", file=f, dry_run=False)
    assert await run(args, uow_factory, out=lines.append) == 0
    assert sorted(await tickets(uow_factory)) == ["G1"]


async def test_implausible_dates_are_refused_and_the_window_is_configurable(uow_factory: UowFactory) -> None:
    await demo_org(uow_factory)  # the clock: 2026-11-25 10:00 Beijing
    text = HEADER + (
        "OLD,1900-01-01 00:00,,XGY,漏水,很久以前,\n"
        "SOON,2026-11-26 09:00,,XGY,漏水,明天上午（时钟略有偏差）,\n"
        "LATE,2026-11-26 11:00,,XGY,漏水,一天多以后,\n"
    )
    report = await imported(uow_factory, text)
    assert [(r.row, r.key, r.problem.params) for r in report.rejected] == [
        (2, "hotline-date-too-early", {"earliest": "2000-01-01"}),
        (4, "hotline-date-in-future", {"latest": "2026-11-26 10:00"}),
    ]
    assert sorted(await tickets(uow_factory)) == ["SOON"]
    wide = await imported(uow_factory, text, window=DateWindow(earliest=date(1900, 1, 1)))
    assert [r.row for r in wide.rejected] == [4] and len(wide.created) == 1


async def test_order_numbers_are_compared_normalised(uow_factory: UowFactory) -> None:
    await demo_org(uow_factory)
    async with uow_factory() as uow:  # imported before normalisation, in lower case
        legacy = (await import_orders(uow, HEADER + "OLD7,2026-11-19 09:00,,XGY,漏水,旧工单,\n")).created
        (await uow.session.execute(select(Ticket))).scalars().one().external_ref = "old7"
        await uow.commit()
    assert len(legacy) == 1
    text = HEADER + (
        "gd001,2026-11-20 09:00,,XGY,漏水,第一次,\n"
        " GD001 ,2026-11-20 09:05,,XGY,漏水,第二次,\n"
        "ＧＤ００１,2026-11-20 09:06,,XGY,漏水,全角,\n"
        "Old7,2026-11-20 09:07,,XGY,漏水,又一次,\n"
    )
    report = await imported(uow_factory, text)
    assert [(d.row, d.order_no, d.key) for d in report.duplicates] == [
        (3, "GD001", "hotline-duplicate-in-file"),
        (4, "GD001", "hotline-duplicate-in-file"),
        (5, "OLD7", "hotline-already-imported"),
    ]
    assert sorted(await tickets(uow_factory)) == ["GD001", "old7"]
    assert (await imported(uow_factory, text)).created == []


async def test_dry_run_prints_what_it_would_create_without_numbers(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    await demo_org(uow_factory)
    f = tmp_path / "orders.csv"
    f.write_text(
        HEADER + "W1,2026-11-20 09:00,,XGY,漏水,楼上漏水,\nW2,2026-11-20 09:00,,LHY,噪音,噪音,\n",
        encoding="utf-8",
    )
    lines: list[str] = []
    args = argparse.Namespace(command="hotline", hotline_action="import", file=f, dry_run=True)
    assert await run(args, uow_factory, out=lines.append, locale="en") == 0
    assert lines == [
        "Would create: row 2 (order W1)",
        "Would create: row 3 (order W2)",
        "Dry run: 2 tickets would be created, 0 duplicate rows, 0 rows rejected. Nothing was saved.",
    ]
    async with uow_factory() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(Ticket))).scalar_one() == 0
    args.dry_run = False
    lines.clear()
    assert await run(args, uow_factory, out=lines.append, locale="en") == 0
    assert [x[-6:] for x in lines[:2]] == ["000001", "000002"]  # the dry run took no numbers
