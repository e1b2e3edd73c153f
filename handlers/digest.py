"""Digests: the "digest" notification (text + chart + worst-overdue buttons, built when sent)
and /digest, each person's schedule: `/digest` shows it with buttons, `/digest on|off`,
`/digest 07:30` change it, `/digest now` shows today's digest at once."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

import locales
from handlers import whistle_digest
from handlers.buttons import ButtonData
from handlers.cards import local_time
from handlers.context import Ctx
from handlers.notices_deadlines import late_text
from handlers.rendering import Renderers, reader_locale
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Lines, Msg, t
from services import charts, digest_schedule, orgtime, periods
from services.access import can_handle
from services.digest import DigestData, build_digest, scope_for
from services.digest_schedule import ROLE_KINDS, WEEKLY, Setting
from services.errors import DomainError
from storage.models import Account, Notification, Role, Ticket
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
router = Router()
renderers = Renderers()
TIME_CHOICES = ("07:00", "08:00", "09:00")


def join(parts: list[Msg]) -> Msg:
    """Several messages one above the other, as one message (split into several messages
    by the channel when it is too long)."""
    return Lines(parts)


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(locales.keys(locales.DEFAULT_LOCALE))


def category_label(key: str) -> Msg | str:
    """The catalogue name of a ticket category; other (plan) categories as written."""
    return msg(f"category-{key}") if f"category-{key}" in _known() else key


def _lines(data: DigestData, kind: str, tz: str) -> list[Msg]:
    c = data.totals
    out = [
        msg(
            f"digest-head-{kind}",
            org=data.scope.org_name,
            since=local_time(data.since, tz),
            until=local_time(data.until, tz),
        ),
        msg("digest-totals", new=c.new, open=c.open, overdue=c.overdue, escalated=c.escalated),
    ]
    if data.by_compound:
        out.append(msg("digest-section-compounds"))
        out += [
            msg(
                "digest-row",
                name=r.name,
                new=r.counts.new,
                open=r.counts.open,
                overdue=r.counts.overdue,
                escalated=r.counts.escalated,
            )
            for r in data.by_compound
        ]
    if data.by_category:
        out.append(msg("digest-section-categories"))
        out += [
            msg(
                "digest-row",
                name=category_label(r.key),
                new=r.counts.new,
                open=r.counts.open,
                overdue=r.counts.overdue,
                escalated=r.counts.escalated,
            )
            for r in data.by_category
        ]
    out.append(msg(f"digest-waiting-{data.scope.role}", count=data.waiting))
    r = data.ratings
    out.append(msg("digest-closed", closed=data.closed))
    out.append(
        msg(
            "digest-ratings",
            count=r.count,
            average=f"{r.average:.1f}",
            satisfied=r.satisfied,
            basic=r.basic,
            dissatisfied=r.dissatisfied,
        )
        if r.average is not None
        else msg("digest-ratings-none")
    )
    if data.worst:
        out.append(msg("digest-section-worst"))
        out += [
            msg(
                "digest-worst-line",
                number=w.number,
                compound=w.compound,
                category=category_label(w.category),
                late=late_text(w.late),
            )
            for w in data.worst
        ]
    else:
        out.append(msg("digest-worst-none"))
    if data.plans:
        out.append(msg("digest-section-plans"))
        out += [
            msg(
                "digest-plan-line",
                compound=p.compound,
                quarter=p.quarter,
                done=p.done,
                total=p.total,
                overdue=p.overdue,
            )
            for p in data.plans
        ]
    return out


async def chart_files(data: DigestData, locale: str, tz: str) -> list[tuple[str, bytes]]:
    """The digest chart as a PNG file, labels in the reader's language; [] without matplotlib."""
    chart = charts.DigestChart(
        title=t(locale, "digest-chart-title", org=data.scope.org_name),
        bars_title=t(locale, "digest-chart-bars"),
        open_label=t(locale, "digest-chart-open"),
        overdue_label=t(locale, "digest-chart-overdue"),
        trend_title=t(locale, "digest-chart-trend"),
        compounds=[r.name for r in data.by_compound],
        open_counts=[r.counts.open for r in data.by_compound],
        overdue_counts=[r.counts.overdue for r in data.by_compound],
        weeks=[
            t(locale, "digest-chart-week", first=w.first.strftime("%m-%d"), last=w.last.strftime("%m-%d"))
            for w in data.trend
        ],
        new_counts=[w.count for w in data.trend],
    )
    try:
        png = await asyncio.to_thread(charts.digest_png, chart)
    except ImportError:
        log.warning("matplotlib is not installed: digest sent without its chart")
        return []
    return [(f"digest-{periods.local_date(data.until, tz).isoformat()}.png", png)]


async def _openable(uow: UnitOfWork, reader: Account | None, ticket_id: int) -> bool:
    """Only tickets the reader may open get a button (a street officer sees a ticket's card
    once it reached the street)."""
    ticket = await uow.tickets.get(ticket_id)
    return reader is not None and ticket is not None and await can_handle(uow, reader, ticket)


async def digest_replies(
    uow: UnitOfWork,
    reader: Account | None,
    org_id: int,
    role: str,
    kind: str,
    since: datetime,
    until: datetime,
    tz: str,
    locale: str,
) -> list[Reply]:
    data = await build_digest(uow, await scope_for(uow, org_id, role), since, until)
    buttons = [
        [Button(msg("btn-digest-ticket", number=w.number), f"tk:view:{w.ticket_id}")]
        for w in data.worst
        if await _openable(uow, reader, w.ticket_id)
    ]
    lines = _lines(data, kind, tz)
    if role in whistle_digest.DIGEST_ROLES:
        lines += await whistle_digest.lines(uow, data.scope.compound_ids, since, until)
    return [Reply(join(lines), buttons=buttons, files=await chart_files(data, locale, tz))]


@renderers.on("digest")
async def _digest(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    p: dict[str, Any] = dict(n.payload or {})
    reader = await uow.accounts.get(n.account_id) if n.account_id is not None else None
    locale = reader_locale(uow, reader)
    return await digest_replies(
        uow,
        reader,
        int(p["org_id"]),
        str(p["role"]),
        str(p.get("kind", "daily")),
        datetime.fromisoformat(p["since"]),
        datetime.fromisoformat(p["until"]),
        tz,
        locale,
    )


# -- /digest ----------------------------------------------------------------------------------
def _settings_reply(settings: list[Setting], *, head: str, edit: bool) -> Reply:
    lines = [msg(head)] + [
        msg(
            f"digest-setting-{s.kind}",
            time=s.local_time,
            state=msg("digest-state-on" if s.enabled else "digest-state-off"),
        )
        for s in settings
    ]
    lines.append(msg("digest-settings-help"))
    buttons = [
        [
            Button(msg("btn-digest-on"), DigestButton(DigestOp.on)),
            Button(msg("btn-digest-off"), DigestButton(DigestOp.off)),
        ],
        [
            Button(msg("btn-digest-time", time=x), DigestButton(DigestOp.time, x.replace(":", "")))
            for x in TIME_CHOICES
        ],
        [Button(msg("btn-digest-now"), DigestButton(DigestOp.now))],
    ]
    return Reply(join(lines), buttons=buttons, edit=edit)


async def _show(ctx: Ctx, *, head: str = "digest-settings-head", edit: bool = False) -> None:
    settings = await digest_schedule.settings_of(ctx.uow, ctx.account_id)
    if not settings:
        raise DomainError("digest_not_available")
    ctx.reply(_settings_reply(settings, head=head, edit=edit))


async def _preview(ctx: Ctx) -> None:
    """Today's digest of each of the person's scopes, from the last digest moment to now."""
    now = ctx.uow.clock.now()
    grants = [g for g in await ctx.uow.accounts.grants(ctx.account_id) if Role(g.role) in ROLE_KINDS]
    if not grants:
        raise DomainError("digest_not_available")
    walls = {s.kind: s.local_time for s in await digest_schedule.settings_of(ctx.uow, ctx.account_id)}
    for g in grants:
        kind = ROLE_KINDS[Role(g.role)]
        tz = await orgtime.org_zone(ctx.uow, g.org_id)
        since = (
            now - timedelta(weeks=1)
            if kind == WEEKLY
            else await digest_schedule.previous_moment(
                ctx.uow,
                kind,
                g.org_id,
                periods.local_date(now, tz),
                walls.get(kind, digest_schedule.DEFAULT_TIME),
            )
        )
        for r in await digest_replies(
            ctx.uow,
            ctx.account,
            g.org_id,
            Role(g.role).value,
            kind,
            since,
            now,
            ctx.config.timezone,
            ctx.locale,
        ):
            ctx.reply(r)


async def _apply(ctx: Ctx, arg: str, *, edit: bool) -> None:
    if arg in ("on", "off"):
        await digest_schedule.set_enabled(ctx.uow, ctx.account_id, arg == "on")
    else:
        await digest_schedule.set_time(ctx.uow, ctx.account_id, arg)
    await _show(ctx, head="digest-saved", edit=edit)


@router.command("digest")
async def digest_command(ctx: Ctx) -> None:
    arg = (ctx.inc.command[1] if ctx.inc.command else "").strip().lower()
    if not arg:
        await _show(ctx)
    elif arg == "now":
        await _preview(ctx)
    else:
        await _apply(ctx, arg, edit=False)


class DigestOp(StrEnum):
    on = "on"
    off = "off"
    time = "t"  # arg: HHMM
    now = "now"


@dataclass(frozen=True)
class DigestButton(ButtonData, prefix="dg"):
    op: DigestOp
    arg: str = ""


@router.callback(DigestButton)
async def digest_button(ctx: Ctx) -> None:
    b = DigestButton.unpack(ctx.inc.callback_data)
    if (b.op == DigestOp.time) != bool(b.arg):
        raise DomainError("unknown_button")
    if b.op in (DigestOp.on, DigestOp.off):
        await _apply(ctx, b.op.value, edit=True)
    elif b.op == DigestOp.time and len(b.arg) == 4 and b.arg.isdigit():
        await _apply(ctx, f"{b.arg[:2]}:{b.arg[2:]}", edit=True)
    elif b.op == DigestOp.now:
        await _preview(ctx)
    else:
        raise DomainError("unknown_button")
