"""`gongzhi sla …`: list and edit the SLA policy rows and the escalation-level deadlines.

    gongzhi sla list
    gongzhi sla seed
    gongzhi sla set leak urgent --first-response 1h --resolution 12h
    gongzhi sla set default normal --first-response 1bd --resolution 3bd
    gongzhi sla set default emergency --first-response 15m --on-site 30m --clock 24x7
    gongzhi sla level 2 --deadline 2bd
    gongzhi sla whistle emergency --report-in 15m --on-site 30m   # 吹哨 types: routine, hard, emergency

Spans: 15m, 2h, 1bd (business days), 3d (24-hour days, 24x7 only), combinations like 1bd4h.
"--resolution none" removes a target. Without --clock a span with "bd" counts business time,
one with "d" wall-clock time, and the others keep the clock the row had.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from locales import t
from services import deadlines, sla, whistle_policy
from services.calendar import years_without_workdays
from services.sla_defaults import Span
from storage.models import ANY
from storage.uow import UnitOfWork, UowFactory

Out = Callable[[str], None]
TARGET_FLAGS = (
    ("first_response", "--first-response"),
    ("resolution", "--resolution"),
    ("on_site", "--on-site"),
)


def register(subparsers: Any) -> None:
    """Add the `sla` command to the `gongzhi` parser, run by cmd_sla."""
    p = subparsers.add_parser("sla", help="SLA policies and escalation deadlines")
    sub = p.add_subparsers(dest="sla_action", required=True)
    sub.add_parser("list", help="show the policy rows")
    sub.add_parser("seed", help="insert the default rows that are missing")
    st = sub.add_parser("set", help="create or change a category x priority row")
    st.add_argument("category", help='a category key, or "default" for every category')
    st.add_argument("priority", choices=["emergency", "urgent", "normal"])
    for _, flag in TARGET_FLAGS:
        st.add_argument(flag, default=None, metavar="SPAN")
    st.add_argument("--clock", choices=["business", "24x7"], default=None)
    lv = sub.add_parser("level", help="deadline of an escalation level (1 community, 2 street, 3 district)")
    lv.add_argument("level", type=int, choices=[1, 2, 3])
    lv.add_argument("--deadline", required=True, metavar="SPAN")
    lv.add_argument("--priority", default=ANY, choices=[ANY, "emergency", "urgent", "normal"])
    lv.add_argument("--clock", choices=["business", "24x7"], default=None)
    wh = sub.add_parser("whistle", help="report-in and on-site deadlines of a whistle type (吹哨报到)")
    wh.add_argument("kind", choices=["routine", "hard", "emergency"])
    wh.add_argument("--report-in", default=None, metavar="SPAN")
    wh.add_argument("--on-site", default=None, metavar="SPAN")
    wh.add_argument("--clock", choices=["business", "24x7"], default=None)
    p.set_defaults(func=cmd_sla)


async def cmd_sla(args: argparse.Namespace, settings: Any) -> int:
    """Runner in the shape bot/cli.py expects: opens the configured database."""
    from bot.app import open_database, uow_factory_for

    engine = await open_database(settings, auto_upgrade=False)
    try:
        return await run_sla(args, uow_factory_for(settings, engine), locale=settings.locale)
    finally:
        await engine.dispose()


def _clock_of(text: str, explicit: str | None, current: Span | None) -> Any:
    if explicit:
        return explicit
    low = text.lower()
    if "bd" in low or "d" in low.replace("bd", ""):
        return None  # parse_span decides from the units
    return current.clock if current is not None else None


async def run_sla(
    args: argparse.Namespace, uow_factory: UowFactory, *, locale: str = "zh_CN", out: Out = print
) -> int:
    async with uow_factory() as uow:
        if args.sla_action == "seed":
            out(t(locale, "sla-seeded", count=str(await sla.seed_defaults(uow))))
        elif args.sla_action == "set":
            await _set(uow, args)
        elif args.sla_action == "level":
            span = sla.parse_span(args.deadline, args.clock)
            await sla.set_level(uow, args.level, span, args.priority)
        elif args.sla_action == "whistle":
            await _set_whistle(uow, args)
        await uow.commit()
        await _print(uow, locale, out)
    return 0


async def _set(uow: UnitOfWork, args: argparse.Namespace) -> None:
    category = None if args.category in ("default", ANY) else args.category
    current = await sla.target_for(uow, category, args.priority)
    changes: dict[str, Span | None] = {}
    for name, _flag in TARGET_FLAGS:
        text = getattr(args, name)
        if text is None:
            continue
        if text.strip().lower() in ("none", "-"):
            changes[name] = None
            continue
        now: Span | None = getattr(current, name)
        changes[name] = sla.parse_span(text, _clock_of(text, args.clock, now))
    if not changes:
        from services.errors import DomainError

        raise DomainError("nothing_to_change")
    await sla.set_policy(uow, category, args.priority, changes)


async def _set_whistle(uow: UnitOfWork, args: argparse.Namespace) -> None:
    current = dict(zip(whistle_policy.TARGETS, await whistle_policy.spans(uow, args.kind), strict=True))
    changes = {
        name: sla.parse_span(text, _clock_of(text, args.clock, current[name]))
        for name, text in (("report_in", args.report_in), ("on_site", args.on_site))
        if text is not None
    }
    if not changes:
        from services.errors import DomainError

        raise DomainError("nothing_to_change")
    await whistle_policy.set_policy(uow, args.kind, changes)


async def _print(uow: UnitOfWork, locale: str, out: Out) -> None:
    year = uow.clock.now().year
    cal = await deadlines.district_calendar(uow, None)
    for missing in years_without_workdays(cal, (year, year + 1)):
        out(t(locale, "calendar-no-workdays", year=str(missing)))
    out(t(locale, "sla-list-title"))
    for row in await sla.list_policies(uow):
        target = sla.row_target(row)
        out(
            t(
                locale,
                "sla-list-row",
                category=row.category,
                priority=row.priority,
                first=sla.format_span(target.first_response),
                resolution=sla.format_span(target.resolution),
                onsite=sla.format_span(target.on_site),
            )
        )
    out(t(locale, "sla-level-title"))
    for lvl in await sla.list_levels(uow):
        span = sla.span_of(lvl.clock, lvl.minutes, lvl.business_days)
        out(
            t(
                locale,
                "sla-level-row",
                level=str(lvl.level),
                name=lvl.name or "-",
                priority=lvl.priority,
                deadline=sla.format_span(span),
            )
        )
    out(t(locale, "sla-whistle-title"))
    for kind, report_in, on_site in await whistle_policy.listing(uow):
        out(
            t(
                locale,
                "sla-whistle-row",
                kind=t(locale, f"whistle-kind-{kind}"),
                report_in=sla.format_span(report_in),
                onsite=sla.format_span(on_site),
            )
        )
