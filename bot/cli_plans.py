"""`gongzhi plan …`: rectification plans (一小区一方案) from the command line.

    gongzhi plan import FILE.yaml     # create or update a plan (format: services/rectification_import.py)
    gongzhi plan list                 # every plan with its progress

Registered by bot/cli.py's build_parser (register() sets the parser's func).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from bot.cli_support import input_file
from locales import t
from locales.problems import render_problems
from services import rectification as rx
from services.rectification_import import import_plan, load_plan_file
from services.validation import FileInvalid
from storage.models import OrgKind
from storage.uow import UnitOfWork

Out = Callable[[str], None]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("plan", help="rectification plans (一小区一方案)")
    sub = p.add_subparsers(dest="plan_action", required=True)
    imp = sub.add_parser("import", help="create or update a plan from a YAML file (idempotent)")
    imp.add_argument("file", type=input_file)
    sub.add_parser("list", help="every plan with its progress")
    p.set_defaults(func=cmd_plan)


async def cmd_plan(args: argparse.Namespace, settings: Any) -> int:
    from bot.cli import with_uow

    locale = getattr(args, "lang", None) or settings.locale
    if args.plan_action == "import":
        try:
            doc = load_plan_file(args.file)
            return int(await with_uow(settings, lambda uow: run_import(uow, doc, locale)))
        except FileInvalid as err:  # rejected whole: every problem with where it is
            print(t(locale, "validation-plan-file-invalid", count=len(err.problems)), file=sys.stderr)
            for line in render_problems(locale, err.problems):
                print(line, file=sys.stderr)
            return 2
    return int(await with_uow(settings, lambda uow: run_list(uow, locale)))


async def run_import(uow: UnitOfWork, doc: Any, locale: str, out: Out = print) -> int:
    report = await import_plan(uow, doc)
    plan = await rx.get_plan(uow, report.plan_id)
    node = await uow.org.get(plan.compound_id)
    out(
        t(
            locale,
            "plan-imported",
            plan=str(report.plan_id),
            compound=node.name if node else "?",
            quarter=plan.quarter,
            created=t(locale, "plan-imported-created" if report.created else "plan-imported-existing"),
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    )
    return 0


async def run_list(uow: UnitOfWork, locale: str, out: Out = print) -> int:
    compounds = [n.id for n in await uow.org.all(OrgKind.compound) if n.id is not None]
    progress = await rx.plan_progress(uow, compounds, uow.clock.now())
    if not progress:
        out(t(locale, "plan-list-empty"))
    for p in progress:
        out(
            t(
                locale,
                "plan-list-row",
                plan=str(p.plan_id),
                compound=p.compound,
                quarter=p.quarter,
                title=p.title,
                done=p.done,
                total=p.total,
                overdue=p.overdue,
            )
        )
    return 0
