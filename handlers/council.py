"""议事 in chat. The steps, in one table:

    entry                         step            input                                   next
    /council new, "cc:new"        (kind)          kind button "cc:k::0:<kind>"            (org)
                                  (org)           org button "cc:org:<org>"               cc.details
                                  cc.details      "title; place; YYYY-MM-DD HH:MM[; DEPT,…]"  (scheduled)
    "cc:p:<council>"              cc.propose      free text                               (proposed)
    /my ticket "cc:dt:<ticket>"   (council)       "cc:di:<council>:<ticket>"              (proposed)
    "cc:d:<council>:<item>"       cc.decide       "decision; responsible; YYYY-MM-DD[; LINK]"   (decided)
      (LINK: "ticket PG-2026-000123", "rx_item N" or "matter N")
    "cc:mn:<council>"             cc.minutes      the minutes                             (posted)

/council lists the councils of one's compounds and communities; "cc:v:<id>" shows one.
Accept / merge / decline / post the agenda are single buttons of the organiser.
"""

from __future__ import annotations

import re

from handlers.buttons import CcOp, CouncilButton, SkipButton
from handlers.context import Ctx
from handlers.council_view import view_reply
from handlers.refusals import worded
from handlers.router import Router
from handlers.types import Button, Reply, msg
from services import council, council_people
from services.errors import DomainError
from storage.models import CouncilKind, ItemState, OrgKind

router = Router()
STEP_DETAILS, STEP_PROPOSE, STEP_DECIDE, STEP_MINUTES = "cc.details", "cc.propose", "cc.decide", "cc.minutes"
_SPLIT = re.compile(r"\s*[;；]\s*")


def _cancel(step: str) -> list[list[Button]]:
    return [[Button(msg("btn-cancel"), SkipButton(step))]]


async def show(ctx: Ctx, council_id: int, *, edit: bool = False) -> None:
    v = await council.view(ctx.uow, ctx.account, council_id)
    ctx.reply(await view_reply(ctx.uow, ctx.account_id, v, ctx.config.timezone, edit=edit))


async def _command(ctx: Ctx) -> None:
    arg = (ctx.inc.command or ("", ""))[1].strip()
    if arg == "new":
        await _kinds(ctx)
    elif arg.isdigit():
        await show(ctx, int(arg))
    else:
        rows = await council.visible(ctx.uow, ctx.account)
        buttons = [
            [
                Button(
                    msg(
                        "council-list-line",
                        id=c.id or 0,
                        title=c.title[:30],
                        state=msg(f"council-state-{c.state}"),
                    ),
                    CouncilButton(CcOp.view, c.id or 0),
                )
            ]
            for c in rows
        ]
        ctx.reply(
            Reply(msg("council-list-head", count=len(rows)) if rows else msg("council-none"), buttons=buttons)
        )


async def _organisable(ctx: Ctx) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for g in await ctx.uow.accounts.grants(ctx.account_id):
        node = await ctx.uow.org.get(g.org_id)
        if node is None:
            continue
        if g.role == "community" and node.kind == OrgKind.community:
            out.append((node.id or 0, node.name))
            out += [(c.id or 0, c.name) for c in await council_people.compounds_of(ctx.uow, node)]
        elif g.role == "committee" and node.kind == OrgKind.compound:
            out.append((node.id or 0, node.name))
    return list(dict.fromkeys(out))


async def _kinds(ctx: Ctx) -> None:
    if not await _organisable(ctx):
        raise DomainError("council_not_allowed")
    rows = [
        [Button(msg(f"council-kind-{k.value}"), CouncilButton(CcOp.kind, arg=k.value))] for k in CouncilKind
    ]
    ctx.reply(Reply(msg("council-pick-kind"), buttons=rows))


async def _button(ctx: Ctx) -> None:
    b = CouncilButton.unpack(ctx.inc.callback_data)
    uow = ctx.uow
    if b.op == CcOp.new:
        await _kinds(ctx)
    elif b.op == CcOp.kind:
        if b.arg not in {k.value for k in CouncilKind}:
            raise DomainError("unknown_button")
        rows = [
            [Button(msg("council-org-button", name=name), CouncilButton(CcOp.org, oid, arg=b.arg))]
            for oid, name in (await _organisable(ctx))[:20]
        ]
        ctx.reply(Reply(msg("council-pick-org"), buttons=rows, edit=True))
    elif b.op == CcOp.org:
        node = await uow.org.get(b.id)
        if node is None or not await council_people.may_organise(uow, ctx.account, node):
            raise DomainError("council_not_allowed")
        await ctx.set_state(STEP_DETAILS, {"org": node.code, "kind": b.arg})
        ctx.reply(Reply(msg("council-ask-details", org=node.name), buttons=_cancel(STEP_DETAILS), edit=True))
    elif b.op == CcOp.view:
        await show(ctx, b.id)
    elif b.op == CcOp.prop:
        await council.view(uow, ctx.account, b.id)  # refused to strangers
        await ctx.set_state(STEP_PROPOSE, {"council": b.id})
        ctx.reply(Reply(msg("council-ask-item"), buttons=_cancel(STEP_PROPOSE)))
    elif b.op == CcOp.disc:
        await _discuss(ctx, b.id)
    elif b.op == CcOp.disc_in:
        await council.propose(uow, ctx.account, b.id, "", ticket_id=b.item)
        ctx.answer(msg("council-proposed-ok"))
        await show(ctx, b.id, edit=True)
    elif b.op in (CcOp.acc, CcOp.dec, CcOp.into):
        action = {CcOp.acc: "accept", CcOp.dec: "decline", CcOp.into: "merge"}[b.op]
        into = int(b.arg) if b.op == CcOp.into and b.arg.isdigit() else None
        await council.judge(uow, ctx.account, b.id, action, b.item, into)
        await show(ctx, b.id, edit=True)
    elif b.op == CcOp.mrg:
        v = await council.view(uow, ctx.account, b.id)
        targets = [i for i in v.items if i.state == ItemState.accepted and i.id != b.item]
        if not targets:
            raise DomainError("council_bad_merge")
        rows = [
            [
                Button(
                    msg("council-merge-into", id=i.id or 0, text=i.text[:30]),
                    CouncilButton(CcOp.into, b.id, b.item, str(i.id)),
                )
            ]
            for i in targets[:20]
        ]
        ctx.reply(Reply(msg("council-pick-merge"), buttons=rows))
    elif b.op == CcOp.agenda:
        await council.post_agenda(uow, ctx.account, b.id)
        await show(ctx, b.id, edit=True)
    elif b.op == CcOp.decide:
        v = await council.view(uow, ctx.account, b.id)
        if "organiser" not in v.roles:
            raise DomainError("council_not_allowed")
        await ctx.set_state(STEP_DECIDE, {"council": b.id, "item": b.item})
        ctx.reply(Reply(msg("council-ask-decision"), buttons=_cancel(STEP_DECIDE)))
    elif b.op == CcOp.minutes:
        v = await council.view(uow, ctx.account, b.id)
        if "organiser" not in v.roles:
            raise DomainError("council_not_allowed")
        await ctx.set_state(STEP_MINUTES, {"council": b.id})
        ctx.reply(Reply(msg("council-ask-minutes"), buttons=_cancel(STEP_MINUTES)))
    else:
        d = await council.complete_decision(uow, ctx.account, b.id)
        ctx.answer(msg("council-decision-done-ok"))
        ctx.reply(Reply(msg("council-decision-done-card", text=d.text[:120]), edit=True))


async def _discuss(ctx: Ctx, ticket_id: int) -> None:
    ticket = await ctx.uow.tickets.get(ticket_id)
    if ticket is None or ticket.reporter_id != ctx.account_id:
        raise DomainError("ticket_not_found")
    upcoming = [
        c for c in await council.visible(ctx.uow, ctx.account, upcoming_only=True) if c.state == "scheduled"
    ]
    if not upcoming:
        raise DomainError("council_none_upcoming")
    rows = [
        [
            Button(
                msg(
                    "council-list-line",
                    id=c.id or 0,
                    title=c.title[:30],
                    state=msg(f"council-state-{c.state}"),
                ),
                CouncilButton(CcOp.disc_in, c.id or 0, ticket_id),
            )
        ]
        for c in upcoming
    ]
    ctx.reply(Reply(msg("council-pick-for-ticket", number=ticket.number), buttons=rows))


@router.command("council")
async def council_command(ctx: Ctx) -> None:
    with worded("council_stale", "council_refused"):
        await _command(ctx)


@router.callback(CouncilButton)
async def council_button(ctx: Ctx) -> None:
    with worded("council_stale", "council_refused"):
        await _button(ctx)
