"""`gongzhi privacy purge [--dry-run]`: erase the personal fields of tickets closed longer
than the retention period (services/privacy.py; GONGZHI_RETENTION_DAYS, default 3 years).
The scheduled jobs do the same every tick; this runs it now, or shows what it would do."""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import open_database, uow_factory_for
from bot.settings import Settings
from locales import t
from services import privacy


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("privacy", help="personal data retention (PIPL)")
    sub = p.add_subparsers(dest="privacy_action", required=True)
    pg = sub.add_parser("purge", help="erase personal fields of tickets closed longer than the retention")
    pg.add_argument("--dry-run", action="store_true", help="list the tickets, change nothing")
    p.set_defaults(func=cmd_privacy)


async def cmd_privacy(args: argparse.Namespace, settings: Settings) -> int:
    engine = await open_database(settings, auto_upgrade=False)
    loc = settings.locale
    try:
        f = uow_factory_for(settings, engine)
        total, numbers = 0, []
        while True:  # in batches, each its own transaction
            async with f() as uow:
                report = await privacy.purge(
                    uow, dry_run=args.dry_run, limit=10_000 if args.dry_run else privacy.BATCH
                )
                if not args.dry_run:
                    await uow.commit()
            numbers += report.numbers
            total += len(report.numbers)
            if args.dry_run or len(report.numbers) < privacy.BATCH:
                break
        cutoff = report.cutoff.date().isoformat()
        for n in numbers:
            print(n)
        key = "cli-privacy-dry-run" if args.dry_run else "cli-privacy-purged"
        print(t(loc, key, count=total, cutoff=cutoff))
    finally:
        await engine.dispose()
    return 0
