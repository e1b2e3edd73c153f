"""`gongzhi` command line: run, sandbox, db, where, org, invite, accounts, sla, report,
hotline, export, plan. Every subcommand is registered below in build_parser() with its
function (argparse `set_defaults(func=...)`); main() dispatches to args.func."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shlex
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from bot import cli_accounts, cli_db, cli_plans, cli_privacy, cli_reports, cli_sla, cli_vote
from bot.app import SchemaOutdated
from bot.cli_support import error_text, input_file, missing_database
from bot.logsafe import quiet_libraries, redact_secrets
from bot.settings import Settings
from locales import t
from sandbox.people import SANDBOX_BOT_USERNAME
from services.errors import DomainError

Command = Callable[[argparse.Namespace, Settings], Awaitable[int]]  # what args.func is
EXIT_BROKEN_PIPE = 141


def _say(settings: Settings, key: str, **params: Any) -> None:
    print(t(settings.locale, key, **params))


# The chat runtime (aiogram, and the sandbox that runs it) is imported by the commands that
# start a bot, not at module level: importing aiogram takes longer than most commands run.


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.adapters.choice import make_runtime
    from bot.app import check_calendar
    from sandbox.run import run_sandbox

    check_calendar(settings)  # a bad holiday file: refuse to start (exit 2, what is wrong)
    if settings.bot_token is None:
        _say(settings, "cli-no-token")
        return await run_sandbox(settings, reset=False, port=args.port)
    if not args.upgrade and _refuse_missing_database(settings, args):
        return 2
    runtime = make_runtime(settings, auto_upgrade=args.upgrade)
    await runtime.run_forever()
    return 0


async def cmd_sandbox(args: argparse.Namespace, settings: Settings) -> int:
    from sandbox.run import run_sandbox

    return await run_sandbox(settings, reset=args.reset, port=args.port)


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
        print(
            t(
                locale,
                "cli-org-line",
                kind=t(locale, f"org-kind-{kind}"),
                created=c.created,
                updated=c.updated,
                unchanged=c.unchanged,
            )
        )
    print(t(locale, "cli-org-rules", count=report.rules_seeded))
    return 0


async def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    from services.accounts import create_invite
    from storage.models import Role

    if args.role == "resident":
        return await _compound_link(args, settings)

    inv = await with_uow(
        settings,
        lambda uow: create_invite(
            uow, role=Role(args.role), org_code=args.org, days=args.days or settings.invite_days
        ),
    )
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
        return SANDBOX_BOT_USERNAME
    from bot.adapters.aiogram_adapter import make_bot  # see cmd_run

    bot = make_bot(settings.bot_token.get_secret_value(), settings.telegram_api_base)
    try:
        return (await bot.get_me()).username or "bot"
    finally:
        await bot.session.close()


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand with its function (args.func); needs_database=False marks those that
    run without an existing database."""
    p = argparse.ArgumentParser(prog="gongzhi", description="共治 Gongzhi")
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="use the local sandbox's database (GONGZHI_SANDBOX_DIR) instead of GONGZHI_DATABASE_URL",
    )
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (the local sandbox when no token is set)")
    run.add_argument("--upgrade", action="store_true", help="upgrade the database schema first")
    run.add_argument("--port", type=int, default=None, help="sandbox web chat port")
    run.set_defaults(func=cmd_run, needs_database=False)
    sb = sub.add_parser("sandbox", help="run the local sandbox web chat")
    sb.add_argument("--reset", action="store_true", help="start with a clean sandbox database")
    sb.add_argument("--port", type=int, default=None)
    sb.set_defaults(func=cmd_sandbox, needs_database=False)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser("upgrade", help="create or update the schema (and the default SLA rows)").set_defaults(
        func=cli_db.cmd_db, needs_database=False
    )
    db_sub.add_parser("current", help="the schema revision of the database").set_defaults(func=cli_db.cmd_db)
    rev = db_sub.add_parser("revision", help="autogenerate a migration from the models (database at head)")
    rev.add_argument("-m", "--message", required=True, help='what the migration does, e.g. "add whistle"')
    rev.add_argument("--rev-id", default=None, help="revision number (default: the next one, e.g. 0002)")
    rev.set_defaults(func=cli_db.cmd_revision)
    sub.add_parser("where", help="which database the commands use, and the sandbox's").set_defaults(
        func=cli_db.cmd_where, needs_database=False
    )
    org = sub.add_parser("org", help="org tree")
    org_sub = org.add_subparsers(dest="org_action", required=True)
    imp = org_sub.add_parser("import", help="import a YAML or CSV org file (idempotent)")
    imp.add_argument("file", type=input_file)
    imp.set_defaults(func=cmd_org)
    inv = sub.add_parser("invite", help="print a single-use invite deep link")
    inv.add_argument(
        "--role",
        required=True,
        choices=["resident", "staff", "manager", "community", "street", "department", "committee", "admin"],
        help="resident: the compound's reusable join link; others: a single-use invite",
    )
    inv.add_argument("--org", required=True, help="org code (company, community, street…)")
    inv.add_argument("--days", type=int, default=None)
    inv.set_defaults(func=cmd_invite)
    cli_accounts.register(sub)
    cli_sla.register(sub)
    cli_reports.register(sub)
    cli_plans.register(sub)
    cli_vote.register(sub)
    cli_privacy.register(sub)
    return p


def _parse(argv: list[str]) -> argparse.Namespace:
    """`--sandbox` is accepted after the subcommand too (`gongzhi accounts list --sandbox`)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if "--sandbox" in extra:
        extra.remove("--sandbox")
        args.sandbox = True
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _refuse_missing_database(settings: Settings, args: argparse.Namespace) -> bool:
    """A SQLite file that is not there is not opened (that would create an empty one)."""
    command = shlex.join(["gongzhi", "--sandbox", *(a for a in args.argv if a != "--sandbox")])
    reason = missing_database(settings, sandbox=args.sandbox, command=command)
    if reason is not None:
        print(reason, file=sys.stderr)
    return reason is not None


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_libraries()
    argv = sys.argv[1:] if argv is None else argv
    settings = Settings()
    if settings.bot_token is not None:
        redact_secrets(settings.bot_token.get_secret_value())
    try:
        try:
            args = _parse(argv)
            args.argv = argv  # for the `--sandbox` suggestion of a refused command
            if args.sandbox:
                settings = settings.model_copy(update={"database_url": settings.sandbox_database_url()})
            if getattr(args, "needs_database", True) and _refuse_missing_database(settings, args):
                return 2
            code = int(asyncio.run(args.func(args, settings)))
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
            return code
        except SchemaOutdated:
            print(t(settings.locale, "cli-schema-outdated"), file=sys.stderr)
            return 2
        except DomainError as err:
            print(error_text(settings.locale, err), file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130
    except BrokenPipeError:
        # The reader went away (`gongzhi … | head`): no traceback, and nothing more is written
        # to the closed pipe at exit (Python's docs advise this). 141 = 128 + SIGPIPE, what a
        # shell reports for a writer stopped by a closed pipe; distinct from each command's codes.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
