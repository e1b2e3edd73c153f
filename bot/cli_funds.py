"""`gongzhi report funds`: maintenance-fund applications per compound and district.

    gongzhi report funds --period 2026Q4 --format csv|xlsx [--output FILE] [--lang en]
    gongzhi report funds --from 2026-10-01 --to 2026-12-31 ...

Registered under `report` by bot/cli_reports.register.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from bot.report_files import write_table
from locales import t
from services import periods
from services.funds_report import fund_rows
from services.money import yuan_plain

COLUMNS = ("level", "code", "name", "count", "applied", "settled", "balance", "median-days")


def register(report_sub: Any) -> None:
    f = report_sub.add_parser("funds", help="maintenance-fund applications per compound and district")
    f.add_argument("--period", default=None, help="2026Q3, 2026-11")
    f.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    f.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")
    f.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    f.add_argument("--output", type=Path, default=None)
    f.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    f.set_defaults(func=cmd_funds)


async def cmd_funds(args: argparse.Namespace, settings: Any) -> int:
    from bot.cli import with_uow

    locale = args.lang or settings.locale
    period = periods.resolve(args.period, args.date_from, args.date_to)
    rows = await with_uow(settings, lambda uow: fund_rows(uow, period, settings.timezone))

    async def cells() -> AsyncIterator[Sequence[Any]]:
        for r in rows:
            yield [
                t(locale, f"funds-level-{r.level}"),
                r.code,
                r.name,
                r.count,
                yuan_plain(r.applied_fen),
                yuan_plain(r.settled_fen),
                "" if r.balance_fen is None else yuan_plain(r.balance_fen),
                "" if r.median_days is None else r.median_days,
            ]

    path = (
        args.output if args.output is not None or args.format == "csv" else Path(f"funds-{period.label}.xlsx")
    )
    headers = [t(locale, f"funds-col-{c}") for c in COLUMNS]
    title = t(locale, "funds-title", period=period.label)
    await write_table(
        path, args.format, headers, cells(), tz=settings.timezone, title=title, sheet=t(locale, "funds-sheet")
    )
    if path is not None:
        print(t(locale, "funds-written", path=str(path), rows=len(rows)))
    return 0
