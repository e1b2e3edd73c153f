"""`gongzhi accounts list [--role R] [--org CODE]`: account ids (for `--as ID`), names, masked
phones and role grants."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from bot.app import open_database, uow_factory_for
from bot.settings import Settings
from locales import t
from services.account_directory import list_accounts
from storage.models import Role
from storage.uow import UowFactory

Out = Callable[[str], None]


def register(subparsers: Any) -> None:
    acc = subparsers.add_parser("accounts", help="accounts and their ids (for --as)")
    sub = acc.add_subparsers(dest="accounts_action", required=True)
    ls = sub.add_parser("list", help="every account with its id, masked phone and roles")
    ls.add_argument("--role", choices=[r.value for r in Role], default=None)
    ls.add_argument("--org", default=None, metavar="CODE", help="grants on this org node or under it")
    ls.set_defaults(func=cmd_accounts)


async def cmd_accounts(args: argparse.Namespace, settings: Settings) -> int:
    engine = await open_database(settings, auto_upgrade=False)
    try:
        return await run_list(args, uow_factory_for(settings, engine), locale=settings.locale)
    finally:
        await engine.dispose()


async def run_list(
    args: argparse.Namespace, uow_factory: UowFactory, *, locale: str, out: Out = print
) -> int:
    async with uow_factory() as uow:
        entries = await list_accounts(uow, role=Role(args.role) if args.role else None, org_code=args.org)
    if not entries:
        out(t(locale, "cli-accounts-empty"))
        return 0
    out(t(locale, "cli-accounts-head"))
    for e in entries:
        roles = [
            t(
                locale,
                "cli-accounts-grant",
                role=t(locale, f"role-{g.role.value}"),
                org=g.org_code,
                org_name=g.org_name,
            )
            for g in e.grants
        ]
        out(
            t(
                locale,
                "cli-accounts-row",
                id=str(e.id),
                name=e.name,
                phone=e.phone or t(locale, "cli-accounts-no-phone"),
                roles=t(locale, "cli-accounts-separator").join(roles) or t(locale, "cli-accounts-no-role"),
            )
        )
    out(t(locale, "cli-accounts-count", count=len(entries)))
    return 0
