"""Staff buttons on a ticket card: acknowledge, take, ask, resolve, reject."""
from __future__ import annotations

from handlers.cards import button_id, staff_card
from handlers.context import Ctx
from handlers.router import Router
from handlers.types import Button, Reply, msg
from services import tickets
from services.errors import DomainError
from services.ticket_core import load_for_handler
from services.tickets import REJECT_REASONS
from storage.models import OPEN_STATES, TicketState

router = Router()
S = TicketState
STEP_ASK, STEP_RESOLVE, STEP_DUP = "staff.ask", "staff.resolve", "staff.duplicate"


@router.callback("tk")
async def ticket_button(ctx: Ctx) -> None:
    parts = (ctx.inc.callback_data or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    if len(parts) != (4 if action == "rjr" else 3):
        raise DomainError("unknown_button")
    tid = button_id(parts, 2)
    tz = ctx.config.timezone
    if action == "ack":
        t = await tickets.acknowledge(ctx.uow, ctx.account, tid)
        ctx.answer(msg("done-acknowledged", number=t.number))
        ctx.reply(await staff_card(ctx.uow, t, tz, edit=True))
    elif action == "take":
        t = await tickets.take(ctx.uow, ctx.account, tid)
        ctx.answer(msg("done-taken", number=t.number))
        ctx.reply(await staff_card(ctx.uow, t, tz, edit=True))
    elif action == "view":
        t = await load_for_handler(ctx.uow, ctx.account, tid, tuple(S))
        ctx.reply(await staff_card(ctx.uow, t, tz))
    elif action == "ask":
        t = await load_for_handler(ctx.uow, ctx.account, tid, (S.new, S.acknowledged, S.in_progress))
        if t.reporter_id is None:
            raise DomainError("no_reporter", number=t.number)
        await ctx.set_state(STEP_ASK, {"ticket": tid})
        ctx.reply(Reply(msg("staff-ask-prompt", number=t.number), buttons=[[Button(msg("btn-cancel"), "sk:" + STEP_ASK)]]))
    elif action == "res":
        t = await load_for_handler(ctx.uow, ctx.account, tid, OPEN_STATES)
        await ctx.set_state(STEP_RESOLVE, {"ticket": tid})
        ctx.reply(Reply(msg("staff-resolve-prompt", number=t.number),
                        buttons=[[Button(msg("btn-no-note"), "sk:" + STEP_RESOLVE)]]))
    elif action == "rej":
        t = await load_for_handler(ctx.uow, ctx.account, tid, OPEN_STATES)
        ctx.reply(Reply(msg("staff-reject-prompt", number=t.number), buttons=[
            [Button(msg(f"reject-reason-{r.replace('_', '-')}"), f"tk:rjr:{tid}:{r}")] for r in REJECT_REASONS
        ]))
    elif action == "rjr":
        reason = parts[3] if len(parts) > 3 else ""
        if reason not in REJECT_REASONS:
            raise DomainError("unknown_button")
        if reason == "duplicate":
            t = await load_for_handler(ctx.uow, ctx.account, tid, OPEN_STATES)
            await ctx.set_state(STEP_DUP, {"ticket": tid})
            ctx.reply(Reply(msg("staff-duplicate-prompt", number=t.number), edit=True))
            return
        t = await tickets.reject(ctx.uow, ctx.account, tid, reason)
        ctx.reply(Reply(msg("done-rejected" if reason != "not_responsible" else "done-rerouted",
                            number=t.number), edit=True))
    else:
        raise DomainError("unknown_button")


def _text(ctx: Ctx) -> str:
    text = (ctx.inc.text or "").strip()
    if not text:
        raise DomainError("text_expected")
    if len(text) > ctx.config.max_text:
        raise DomainError("text_too_long", max=ctx.config.max_text, length=len(text))
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
    t = await tickets.reject(ctx.uow, ctx.account, int(ctx.data["ticket"]), "duplicate", _text(ctx)[:40])
    await ctx.clear_state()
    ctx.reply(Reply(msg("done-rejected", number=t.number)))
