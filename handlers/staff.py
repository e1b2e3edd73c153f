"""Staff buttons on a ticket card: acknowledge, take, ask, resolve, reject / not responsible.

    button           → step (text expected)   → service call
    ack / take       →                         → tickets.acknowledge / take
    ask              → staff.ask (question)    → tickets.ask_resident
    res              → staff.resolve (note)    → tickets.resolve
    rej              → reason buttons (rjr)
    rjr duplicate    → staff.duplicate (№)     → tickets.reject(duplicate)
    rjr invalid      →                         → tickets.reject(invalid)
    rjr not_resp.    → staff.reroute (why)     → confirm (nrc) → tickets.reroute
    view             →                         → the card again

Every prompt first checks that the action is still allowed (``ticket_machine.check``), and
the service call checks again under the row lock.
"""

from __future__ import annotations

from handlers.buttons import CardOp, RejectReason, SkipButton, TicketButton
from handlers.cards import card_photos, staff_card
from handlers.context import Ctx
from handlers.router import Router
from handlers.types import Button, Reply, msg
from services import tickets
from services.access import handled_ticket, sees_personal_data
from services.errors import DomainError
from services.ticket_machine import check
from services.ticket_rules import Action
from storage.models import Ticket

router = Router()
STEP_ASK, STEP_RESOLVE, STEP_DUP, STEP_REROUTE = (
    "staff.ask",
    "staff.resolve",
    "staff.duplicate",
    "staff.reroute",
)
REROUTE_NOTE_MAX = 200


def _cancel(step: str, label: str = "btn-cancel") -> list[list[Button]]:
    return [[Button(msg(label), SkipButton(step))]]


async def _personal(ctx: Ctx, t: Ticket) -> bool:
    """The card in this chat shows personal data only to the handling company's staff."""
    if ctx.inc.chat_type != "private":
        return await sees_personal_data(ctx.uow, t, chat_id=ctx.inc.chat_id)
    return await sees_personal_data(ctx.uow, t, account_id=ctx.account_id)


@router.callback(TicketButton)
async def ticket_button(ctx: Ctx) -> None:
    b = TicketButton.unpack(ctx.inc.callback_data)
    if (b.op == CardOp.rjr) != bool(b.arg):
        raise DomainError("unknown_button")
    tz, uow, me = ctx.config.timezone, ctx.uow, ctx.account
    if b.op == CardOp.ack:
        t = await tickets.acknowledge(uow, me, b.ticket)
        ctx.answer(msg("done-acknowledged", number=t.number))
        ctx.reply(await staff_card(uow, t, tz, personal=await _personal(ctx, t), edit=True))
    elif b.op == CardOp.take:
        t = await tickets.take(uow, me, b.ticket)
        ctx.answer(msg("done-taken", number=t.number))
        ctx.reply(await staff_card(uow, t, tz, personal=await _personal(ctx, t), edit=True))
    elif b.op == CardOp.view:
        t = await handled_ticket(uow, me, b.ticket)
        for photos in card_photos(t):
            ctx.reply(photos)
        ctx.reply(await staff_card(uow, t, tz, personal=await _personal(ctx, t)))
    elif b.op == CardOp.ask:
        t = await check(uow, b.ticket, me, Action.ask)
        if t.reporter_id is None:
            raise DomainError("no_reporter", number=t.number)
        await ctx.set_state(STEP_ASK, {"ticket": b.ticket})
        ctx.reply(Reply(msg("staff-ask-prompt", number=t.number), buttons=_cancel(STEP_ASK)))
    elif b.op == CardOp.res:
        t = await check(uow, b.ticket, me, Action.resolve)
        await ctx.set_state(STEP_RESOLVE, {"ticket": b.ticket})
        ctx.reply(
            Reply(msg("staff-resolve-prompt", number=t.number), buttons=_cancel(STEP_RESOLVE, "btn-no-note"))
        )
    elif b.op == CardOp.rej:
        await _reasons(ctx, b.ticket)
    elif b.op == CardOp.rjr:
        await _reason_chosen(ctx, b.ticket, b.arg)
    elif b.op == CardOp.nrc:
        await _reroute_confirmed(ctx, b.ticket)


async def _reasons(ctx: Ctx, ticket_id: int) -> None:
    t = await check(ctx.uow, ticket_id, ctx.account, Action.reject)
    reasons = [RejectReason.duplicate, RejectReason.invalid]
    try:
        await check(ctx.uow, ticket_id, ctx.account, Action.reroute)
        reasons.insert(0, RejectReason.not_responsible)
    except DomainError:
        pass  # already the community's: "not responsible" is not offered
    ctx.reply(
        Reply(
            msg("staff-reject-prompt", number=t.number),
            buttons=[
                [
                    Button(
                        msg(f"reject-reason-{r.value.replace('_', '-')}"),
                        TicketButton(CardOp.rjr, ticket_id, r.value),
                    )
                ]
                for r in reasons
            ],
        )
    )


async def _reason_chosen(ctx: Ctx, ticket_id: int, reason: str) -> None:
    try:
        why = RejectReason(reason)
    except ValueError:
        raise DomainError("unknown_button") from None
    if why == RejectReason.not_responsible:
        t = await check(ctx.uow, ticket_id, ctx.account, Action.reroute)
        await ctx.set_state(STEP_REROUTE, {"ticket": ticket_id})
        ctx.reply(
            Reply(
                msg("staff-reroute-reason-prompt", number=t.number, max=REROUTE_NOTE_MAX),
                buttons=_cancel(STEP_REROUTE),
                edit=True,
            )
        )
    elif why == RejectReason.duplicate:
        t = await check(ctx.uow, ticket_id, ctx.account, Action.reject)
        await ctx.set_state(STEP_DUP, {"ticket": ticket_id})
        ctx.reply(Reply(msg("staff-duplicate-prompt", number=t.number), buttons=_cancel(STEP_DUP), edit=True))
    else:
        t = await tickets.reject(ctx.uow, ctx.account, ticket_id, why.value)
        ctx.reply(Reply(msg("done-rejected", number=t.number), edit=True))


async def _reroute_confirmed(ctx: Ctx, ticket_id: int) -> None:
    if ctx.step != STEP_REROUTE or ctx.data.get("ticket") != ticket_id or not ctx.data.get("note"):
        raise DomainError("stale_button")
    t = await tickets.reroute(ctx.uow, ctx.account, ticket_id, str(ctx.data["note"]))
    await ctx.clear_state()
    ctx.reply(Reply(msg("done-rerouted", number=t.number), edit=True))


def _text(ctx: Ctx, limit: int | None = None) -> str:
    text = (ctx.inc.text or "").strip()
    if not text:
        raise DomainError("text_expected")
    most = limit or ctx.config.max_text
    if len(text) > most:
        raise DomainError("text_too_long", max=most, length=len(text))
    return text


@router.step(STEP_ASK)
async def ask_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    t = await tickets.ask_resident(ctx.uow, ctx.account, int(ctx.data["ticket"]), _text(ctx))
    await ctx.clear_state()
    ctx.reply(Reply(msg("done-asked", number=t.number)))


@router.step(STEP_RESOLVE)
async def resolve_text(ctx: Ctx) -> None:
    note = None if ctx.skipped else _text(ctx)
    t = await tickets.resolve(ctx.uow, ctx.account, int(ctx.data["ticket"]), note)
    await ctx.clear_state()
    ctx.reply(Reply(msg("done-resolved", number=t.number)))


@router.step(STEP_DUP)
async def duplicate_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    t = await tickets.reject(ctx.uow, ctx.account, int(ctx.data["ticket"]), "duplicate", _text(ctx)[:40])
    await ctx.clear_state()
    ctx.reply(Reply(msg("done-rejected", number=t.number)))


@router.step(STEP_REROUTE)
async def reroute_reason(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    tid = int(ctx.data["ticket"])
    note = _text(ctx, REROUTE_NOTE_MAX)
    t = await check(ctx.uow, tid, ctx.account, Action.reroute)
    await ctx.set_state(STEP_REROUTE, {"ticket": tid, "note": note})
    ctx.reply(
        Reply(
            msg("staff-reroute-confirm", number=t.number, note=note),
            buttons=[
                [
                    Button(msg("btn-confirm-reroute"), TicketButton(CardOp.nrc, tid)),
                    Button(msg("btn-cancel"), SkipButton(STEP_REROUTE)),
                ]
            ],
        )
    )
