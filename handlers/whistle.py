"""吹哨 in chat. The steps, in one table:

    entry                          step            input                      next
    card button "wh:nt:<ticket>"   wh.kind         type button "wh:k::...:T"  wh.depts
    /whistle PG-2026-000123        wh.depts        toggle "wh:d::<dept>", go  wh.problem
    plan item button "wh:nr:<id>"  wh.problem      one line of text           wh.place
                                   wh.place        "place; YYYY-MM-DD HH:MM"  (called)
    close button "wh:cl:<id>"      (outcome)       "wh:o:<id>:0:<outcome>"    wh.note
                                   wh.note         photos, then a note / skip (closed)

/whistle N shows whistle N's record; /whistle alone lists the recent ones. The department
card's buttons report in ("wh:in:<id>:<dept>") and mark on site ("wh:on:<id>:<dept>").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.buttons import SkipButton, WhistleButton, WhOp
from handlers.context import Ctx
from handlers.refusals import worded
from handlers.router import Router
from handlers.types import Button, Reply, msg
from handlers.whistle_view import kind_label, record_reply
from services import orgtime, whistle
from services.errors import DomainError
from storage.models import Outcome, WhistleKind

router = Router()
STEP_KIND, STEP_DEPTS, STEP_PROBLEM, STEP_PLACE, STEP_NOTE = (
    "wh.kind",
    "wh.depts",
    "wh.problem",
    "wh.place",
    "wh.note",
)
_PLACE = re.compile(r"^(?P<place>.+?)\s*[;；]\s*(?P<when>\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2}|\d{1,2}:\d{2})$")


async def _target(ctx: Ctx) -> whistle.Target:
    d = ctx.data
    if d.get("rx_item"):
        return await whistle.target_of_item(ctx.uow, int(d["rx_item"]))
    return await whistle.target_of_ticket(ctx.uow, int(d["ticket"]))


async def _start(ctx: Ctx, data: dict[str, Any]) -> None:
    await ctx.set_state(STEP_KIND, data)
    await whistle.options(ctx.uow, ctx.account, await _target(ctx))  # refused for anyone else
    rows = [[Button(kind_label(k.value), WhistleButton(WhOp.kind, arg=k.value))] for k in WhistleKind]
    rows.append([Button(msg("btn-cancel"), SkipButton(STEP_KIND))])
    ctx.reply(Reply(msg("whistle-pick-kind"), buttons=rows))


async def _depts_reply(ctx: Ctx, *, edit: bool) -> Reply:
    _, departments = await whistle.options(ctx.uow, ctx.account, await _target(ctx))
    chosen = set(ctx.data.get("depts", []))
    rows = [
        [
            Button(
                msg("btn-whistle-dept-on" if d.id in chosen else "btn-whistle-dept-off", department=d.name),
                WhistleButton(WhOp.dep, dept=d.id or 0),
            )
        ]
        for d in departments[:20]
    ]
    rows.append([Button(msg("btn-whistle-depts-done"), WhistleButton(WhOp.go))])
    rows.append([Button(msg("btn-cancel"), SkipButton(STEP_DEPTS))])
    return Reply(msg("whistle-pick-departments", count=len(chosen)), buttons=rows, edit=edit)


async def _command(ctx: Ctx) -> None:
    arg = (ctx.inc.command or ("", ""))[1].strip()
    tz = ctx.config.timezone
    if arg.isdigit():
        ctx.reply(await record_reply(ctx.uow, ctx.account, int(arg), tz))
    elif arg:
        ticket = await ctx.uow.tickets.by_number(arg.upper())
        if ticket is None:
            raise DomainError("ticket_not_found")
        await _start(ctx, {"ticket": ticket.id})
    else:
        rows = await whistle.visible(ctx.uow, ctx.account)
        if not rows:
            ctx.reply(Reply(msg("whistle-none")))
            return
        buttons = [
            [
                Button(
                    msg(
                        "whistle-list-line",
                        id=r.id or 0,
                        kind=kind_label(r.kind),
                        problem=r.problem[:30],
                        state=msg(f"whistle-state-{r.state}"),
                    ),
                    WhistleButton(WhOp.view, r.id or 0),
                )
            ]
            for r in rows
        ]
        ctx.reply(Reply(msg("whistle-list-head", count=len(rows)), buttons=buttons))


def _expect(ctx: Ctx, step: str) -> None:
    if ctx.step != step:
        raise DomainError("stale_button")


async def _button(ctx: Ctx) -> None:
    b = WhistleButton.unpack(ctx.inc.callback_data)
    uow, tz = ctx.uow, ctx.config.timezone
    if b.op == WhOp.new_t:
        await _start(ctx, {"ticket": b.id})
    elif b.op == WhOp.new_r:
        await _start(ctx, {"rx_item": b.id})
    elif b.op == WhOp.kind:
        _expect(ctx, STEP_KIND)
        if b.arg not in {k.value for k in WhistleKind}:
            raise DomainError("unknown_button")
        await ctx.set_state(STEP_DEPTS, {**ctx.data, "kind": b.arg, "depts": []})
        ctx.reply(await _depts_reply(ctx, edit=True))
    elif b.op == WhOp.dep:
        _expect(ctx, STEP_DEPTS)
        chosen = list(ctx.data.get("depts", []))
        chosen = [d for d in chosen if d != b.dept] if b.dept in chosen else [*chosen, b.dept]
        await ctx.set_state(STEP_DEPTS, {**ctx.data, "depts": chosen})
        ctx.reply(await _depts_reply(ctx, edit=True))
    elif b.op == WhOp.go:
        _expect(ctx, STEP_DEPTS)
        if not ctx.data.get("depts"):
            raise DomainError("whistle_bad_departments")
        await ctx.set_state(STEP_PROBLEM)
        ctx.reply(
            Reply(
                msg("whistle-ask-problem"),
                buttons=[[Button(msg("btn-cancel"), SkipButton(STEP_PROBLEM))]],
                edit=True,
            )
        )
    elif b.op in (WhOp.rin, WhOp.arr):
        await _department_step(ctx, b)
    elif b.op == WhOp.cls:
        rec = await whistle.record(uow, ctx.account, b.id)
        if "caller" not in rec.roles:
            raise DomainError("whistle_refused")
        if rec.whistle.state != "called":
            raise DomainError("whistle_stale")
        rows = [
            [Button(msg(f"whistle-outcome-{o.value}"), WhistleButton(WhOp.out, b.id, arg=o.value))]
            for o in Outcome
        ]
        ctx.reply(Reply(msg("whistle-pick-outcome", id=b.id), buttons=rows))
    elif b.op == WhOp.out:
        if b.arg not in {o.value for o in Outcome}:
            raise DomainError("unknown_button")
        rec = await whistle.record(uow, ctx.account, b.id)  # only the caller closes (issue 10, access)
        if "caller" not in rec.roles:
            raise DomainError("whistle_refused")
        if rec.whistle.state != "called":
            raise DomainError("whistle_stale")
        await ctx.set_state(STEP_NOTE, {"whistle": b.id, "outcome": b.arg, "photos": []})
        ctx.reply(
            Reply(
                msg("whistle-ask-note"),
                buttons=[[Button(msg("btn-whistle-no-note"), SkipButton(STEP_NOTE))]],
                edit=True,
            )
        )
    else:
        ctx.reply(await record_reply(uow, ctx.account, b.id, tz))


async def _department_step(ctx: Ctx, b: WhistleButton) -> None:
    if b.op == WhOp.rin:
        await whistle.report_in(ctx.uow, ctx.account, b.id, b.dept)
    else:
        await whistle.arrive(ctx.uow, ctx.account, b.id, b.dept)
    ctx.answer(msg("whistle-reported-in-ok" if b.op == WhOp.rin else "whistle-arrived-ok"))
    ctx.reply(await record_reply(ctx.uow, ctx.account, b.id, ctx.config.timezone, edit=True))


@router.step(STEP_KIND)
@router.step(STEP_DEPTS)
async def _buttons_only(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    raise DomainError("use_buttons")


@router.step(STEP_PROBLEM)
async def problem_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    text = (ctx.inc.text or "").strip().splitlines()
    if not text or not text[0].strip():
        raise DomainError("whistle_missing_text")
    if len(text[0]) > whistle.MAX_PROBLEM:
        raise DomainError("text_too_long", length=len(text[0]), max=whistle.MAX_PROBLEM)
    await ctx.set_state(STEP_PLACE, {**ctx.data, "problem": text[0].strip()})
    ctx.reply(Reply(msg("whistle-ask-place"), buttons=[[Button(msg("btn-cancel"), SkipButton(STEP_PLACE))]]))


@router.step(STEP_PLACE)
async def place_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    raw = (ctx.inc.text or "").strip()
    m = _PLACE.match(raw)
    target = await _target(ctx)
    tz = await orgtime.org_zone(ctx.uow, target.compound_id)
    meet = None if m is None else _when(m.group("when"), tz, ctx.uow.clock.now())
    if m is None or meet is None:
        raise DomainError("whistle_bad_time", text=raw[:40])
    row = await whistle.blow(
        ctx.uow,
        ctx.account,
        target,
        kind=str(ctx.data["kind"]),
        department_ids=[int(d) for d in ctx.data.get("depts", [])],
        problem=str(ctx.data["problem"]),
        place=m.group("place"),
        meet_at=meet,
    )
    await ctx.clear_state()
    ctx.reply(Reply(msg("whistle-called-ok", id=row.id or 0)))
    ctx.reply(await record_reply(ctx.uow, ctx.account, row.id or 0, tz))


def _when(text: str, tz: str, now: datetime) -> datetime | None:
    zone = ZoneInfo(tz)
    try:
        if "-" in text:
            return datetime.strptime(" ".join(text.split()), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
        hm = datetime.strptime(text, "%H:%M")
    except ValueError:
        return None
    return now.astimezone(zone).replace(hour=hm.hour, minute=hm.minute, second=0, microsecond=0)


@router.step(STEP_NOTE)
async def note_step(ctx: Ctx) -> None:
    photos = [*ctx.data.get("photos", []), *ctx.inc.photos][: ctx.config.max_photos]
    if not ctx.skipped and ctx.inc.photos and not ctx.inc.text:
        await ctx.set_state(STEP_NOTE, {**ctx.data, "photos": photos})
        ctx.reply(Reply(msg("whistle-photo-kept", count=len(photos))))
        return
    note = "" if ctx.skipped else (ctx.inc.text or "").strip()
    wid = int(ctx.data["whistle"])
    with worded("whistle_stale", "whistle_refused"):
        await whistle.close(ctx.uow, ctx.account, wid, str(ctx.data["outcome"]), note, photos)
    await ctx.clear_state()
    ctx.reply(Reply(msg("whistle-closed-ok", id=wid)))
    ctx.reply(await record_reply(ctx.uow, ctx.account, wid, ctx.config.timezone))


@router.command("whistle")
async def whistle_command(ctx: Ctx) -> None:
    with worded("whistle_stale", "whistle_refused"):
        await _command(ctx)


@router.callback(WhistleButton)
async def whistle_button(ctx: Ctx) -> None:
    with worded("whistle_stale", "whistle_refused"):
        await _button(ctx)
