"""`gongzhi` command line: run, sandbox, db, org, invite, sla."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.settings import Settings
from locales import t

Command = Callable[[argparse.Namespace, Settings], Awaitable[int]]


def _say(settings: Settings, key: str, **params: Any) -> None:
    print(t(settings.locale, key, **params))


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.bot_token is None:
        from bot.sandbox.run import run_sandbox

        _say(settings, "cli-no-token")
        return await run_sandbox(settings, reset=False, port=args.port)
    from bot.runtimes import make_runtime

    runtime = make_runtime(settings, auto_upgrade=args.upgrade)
    await runtime.run_forever()
    return 0


async def cmd_sandbox(args: argparse.Namespace, settings: Settings) -> int:
    from bot.sandbox.run import run_sandbox

    return await run_sandbox(settings, reset=args.reset, port=args.port)


async def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from storage.db import create_engine
    from storage.migrate import current_revision, head_revision, upgrade

    engine = create_engine(settings.database_url)
    try:
        if args.action == "upgrade":
            from bot.app import seed_policies, uow_factory_for

            _ensure_sqlite_dir(settings.database_url)
            await upgrade(engine)
            await seed_policies(uow_factory_for(settings, engine))  # default SLA and routing rows
        _say(settings, "cli-db-revision", current=str(await current_revision(engine)),
             head=str(head_revision()))
    finally:
        await engine.dispose()
    return 0


def _ensure_sqlite_dir(url: str) -> None:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)


async def with_uow(settings: Settings, fn: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run fn(uow) in one transaction on an up-to-date database."""
    from bot.app import open_database, uow_factory_for

    engine = await open_database(settings, auto_upgrade=False)
    try:
        async with uow_factory_for(settings, engine)() as uow:
            result = await fn(uow)
            await uow.commit()
            return result
    finally:
        await engine.dispose()


async def cmd_org(args: argparse.Namespace, settings: Settings) -> int:
    from locales.problems import render_problems
    from services.org_import import import_org, load_org_file
    from services.validation import FileInvalid

    locale = getattr(args, "lang", None) or settings.locale
    try:
        doc = load_org_file(args.file)
        report = await with_uow(settings, lambda uow: import_org(uow, doc))
    except FileInvalid as err:  # rejected whole: every problem with where it is
        print(t(locale, "validation-org-file-invalid", count=len(err.problems)), file=sys.stderr)
        for line in render_problems(locale, err.problems):
            print(line, file=sys.stderr)
        return 2
    for kind, c in report.counts.items():
        print(t(locale, "cli-org-line", kind=t(locale, f"org-kind-{kind}"),
                created=c.created, updated=c.updated, unchanged=c.unchanged))
    print(t(locale, "cli-org-rules", count=report.rules_seeded))
    return 0


async def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    from services.accounts import create_invite
    from storage.models import Role

    if args.role == "resident":
        return await _compound_link(args, settings)

    inv = await with_uow(settings, lambda uow: create_invite(
        uow, role=Role(args.role), org_code=args.org, days=args.days or settings.invite_days))
    username = settings.bot_username or await _bot_username(settings)
    print(f"https://t.me/{username}?start=inv_{inv.code}")
    _say(settings, "cli-invite-expires", expires=inv.expires_at.strftime("%Y-%m-%d %H:%M UTC"))
    return 0


async def _compound_link(args: argparse.Namespace, settings: Settings) -> int:
    """Residents join by the compound's own (reusable) link, e.g. printed as a QR code."""
    from services.errors import DomainError
    from storage.models import OrgKind

    async def find(uow: Any) -> Any:
        node = await uow.org.by_code(args.org)
        if node is None or node.kind != OrgKind.compound:
            raise DomainError("compound_not_found")
        return node

    await with_uow(settings, find)
    username = settings.bot_username or await _bot_username(settings)
    print(f"https://t.me/{username}?start=c_{args.org}")
    return 0


async def _bot_username(settings: Settings) -> str:
    if settings.bot_token is None:
        from bot.sandbox.people import SANDBOX_BOT_USERNAME

        return SANDBOX_BOT_USERNAME
    from bot.adapters.aiogram_adapter import make_bot

    bot = make_bot(settings.bot_token.get_secret_value(), settings.telegram_api_base)
    try:
        return (await bot.get_me()).username or "bot"
    finally:
        await bot.session.close()


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    p = argparse.ArgumentParser(prog="gongzhi", description="共治 Gongzhi")
    sub = p.add_subparsers(dest="command", required=True)
    handlers: dict[str, Command] = {}
    run = sub.add_parser("run", help="run the bot (the local sandbox when no token is set)")
    run.add_argument("--upgrade", action="store_true", help="upgrade the database schema first")
    run.add_argument("--port", type=int, default=None, help="sandbox web chat port")
    handlers["run"] = cmd_run
    sb = sub.add_parser("sandbox", help="run the local sandbox web chat")
    sb.add_argument("--reset", action="store_true", help="start with a clean sandbox database")
    sb.add_argument("--port", type=int, default=None)
    handlers["sandbox"] = cmd_sandbox
    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    handlers["db"] = cmd_db
    org = sub.add_parser("org", help="org tree")
    org_sub = org.add_subparsers(dest="org_action", required=True)
    imp = org_sub.add_parser("import", help="import a YAML or CSV org file (idempotent)")
    imp.add_argument("file", type=Path)
    handlers["org"] = cmd_org
    inv = sub.add_parser("invite", help="print a single-use invite deep link")
    inv.add_argument("--role", required=True,
                     choices=["resident", "staff", "manager", "community", "street", "department",
                              "committee", "admin"],
                     help="resident: the compound's reusable join link; others: a single-use invite")
    inv.add_argument("--org", required=True, help="org code (company, community, street…)")
    inv.add_argument("--days", type=int, default=None)
    handlers["invite"] = cmd_invite
    for extra in ("bot.cli_sla", "bot.cli_reports", "bot.cli_plans"):
        try:
            mod = __import__(extra, fromlist=["register"])
        except ModuleNotFoundError as err:
            if err.name != extra:
                raise
            continue
        handlers.update(mod.register(sub))
    return p, handlers


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "aiogram.event", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    settings = Settings()
    from bot.app import SchemaOutdated
    from services.errors import DomainError

    try:
        return asyncio.run(handlers[args.command](args, settings))
    except SchemaOutdated:
        print(t(settings.locale, "cli-schema-outdated"), file=sys.stderr)
        return 2
    except DomainError as err:
        key = f"error-{err.code.replace('_', '-')}"
        from locales import bundle

        if bundle(settings.locale).has_message(key):
            print(t(settings.locale, key, **{k: str(v) for k, v in err.params.items()}), file=sys.stderr)
        else:
            print(f"{err.code}: {err.params}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
