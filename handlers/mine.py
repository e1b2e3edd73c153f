"""A resident's tickets: /my, history, adding information, confirming, rating."""
from __future__ import annotations

from handlers.cards import button_id, card, confirm_buttons, local_time, rating_buttons
from handlers.context import Ctx
from handlers.paging import clamp, nav_row, page_arg
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Msg
from services import resident
from services.errors import DomainError
from services.ticket_core import load_for_reporter
from storage.models import OPEN_STATES, TicketEvent, TicketState

router = Router()
S = TicketState
STEP_ADD, STEP_COMMENT = "resident.add", "resident.comment"
HISTORY_KINDS = ("created", "acknowledged", "assigned", "asked", "staff_message", "resident_message",
                 "resolved", "rejected", "rerouted", "reopened", "confirmed", "rated", "rating_comment",
                 "escalated",
                 "auto_closed")


async def _list(ctx: Ctx, page: int, *, edit: bool) -> None:
    size = ctx.config.page_size
    total = await ctx.uow.tickets.count_by_reporter(ctx.account_id)
    if total == 0:
        ctx.reply(Reply(msg("my-empty"), edit=edit))
        return
    page, pages = clamp(page, total, size)
    rows = await ctx.uow.tickets.by_reporter(ctx.account_id, offset=page * size, limit=size)
    buttons = [[Button(msg("my-line", number=t.number, category=msg(f"category-{t.category}"),
                           state=msg(f"state-{t.state}")), f"mv:{t.id}")] for t in rows]
    nav = nav_row("my", page, pages)
    if nav:
        buttons.append(nav)
    ctx.reply(Reply(msg("my-head", total=total, page=page + 1, pages=pages), buttons=buttons, edit=edit))


@router.command("my")
async def my(ctx: Ctx) -> None:
    await _list(ctx, 0, edit=False)


@router.callback("my")
async def my_page(ctx: Ctx) -> None:
    await _list(ctx, page_arg(ctx), edit=True)


def _event_line(ev: TicketEvent, tz: str) -> Msg:
    return msg(f"history-{ev.kind.replace('_', '-')}", at=local_time(ev.at, tz),
               text=str(ev.data.get("text") or ev.data.get("note") or ""))


def _id(ctx: Ctx, index: int = 1) -> int:
    return button_id((ctx.inc.callback_data or "").split(":"), index)


@router.callback("mv")
async def view(ctx: Ctx) -> None:
    t = await load_for_reporter(ctx.uow, ctx.account, _id(ctx), tuple(S))
    assert t.id is not None
    tz = ctx.config.timezone
    events = [e for e in await ctx.uow.tickets.events(t.id) if e.kind in HISTORY_KINDS]
    lines = [_event_line(e, tz) for e in events[-15:]]
    buttons: list[list[Button]] = []
    if t.state in OPEN_STATES:
        buttons.append([Button(msg("btn-add-info"), f"ma:{t.id}")])
    elif t.state == S.resolved:
        buttons = confirm_buttons(t.id)
    elif t.state == S.closed and t.rating is None:
        buttons = rating_buttons(t.id)
    ctx.reply(Reply(await card(ctx.uow, t, tz, for_staff=False), photos=list(t.photos), ticket_id=t.id))
    ctx.reply(Reply(msg("history", lines=_join(ctx, lines)), buttons=buttons, ticket_id=t.id))


def _join(ctx: Ctx, lines: list[Msg]) -> str:
    from locales import render
    return "\n".join(render(ctx.locale, m) for m in lines)


@router.callback("ma")
async def add_info(ctx: Ctx) -> None:
    t = await load_for_reporter(ctx.uow, ctx.account, _id(ctx), OPEN_STATES + (S.resolved,))
    await ctx.set_state(STEP_ADD, {"ticket": t.id})
    key = "resident-answer-prompt" if t.state == S.waiting_resident else "resident-add-prompt"
    ctx.reply(Reply(msg(key, number=t.number), buttons=[[Button(msg("btn-cancel"), "sk:" + STEP_ADD)]]))


@router.step(STEP_ADD)
async def add_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    text = (ctx.inc.text or "").strip()
    photos = list(ctx.inc.photos)[: ctx.config.max_photos]
    if not text and not photos:
        raise DomainError("text_expected")
    if len(text) > ctx.config.max_text:
        raise DomainError("text_too_long", max=ctx.config.max_text, length=len(text))
    t = await resident.resident_message(ctx.uow, ctx.account, int(ctx.data["ticket"]), text, photos)
    await ctx.clear_state()
    ctx.reply(Reply(msg("resident-added", number=t.number)))


@router.callback("cf")
async def confirm(ctx: Ctx) -> None:
    parts = (ctx.inc.callback_data or "").split(":")
    if len(parts) != 3 or parts[1] not in ("y", "n"):
        raise DomainError("unknown_button")
    t = await resident.confirm(ctx.uow, ctx.account, _id(ctx, 2), fixed=parts[1] == "y")
    if parts[1] == "y":
        ctx.reply(Reply(msg("confirm-closed", number=t.number), edit=True))
        ctx.reply(Reply(msg("rate-prompt", number=t.number), buttons=rating_buttons(t.id)))
    else:
        ctx.reply(Reply(msg("confirm-reopened", number=t.number, count=t.reopen_count), edit=True))


@router.callback("rt")
async def rate(ctx: Ctx) -> None:
    parts = (ctx.inc.callback_data or "").split(":")
    if len(parts) != 3 or parts[2] not in ("1", "2", "3", "4", "5"):
        raise DomainError("unknown_button")
    t = await resident.rate(ctx.uow, ctx.account, _id(ctx), int(parts[2]))
    await ctx.set_state(STEP_COMMENT, {"ticket": t.id})
    ctx.reply(Reply(msg("rated", number=t.number, stars=parts[2]), edit=True,
                    buttons=[[Button(msg("btn-no-comment"), "sk:" + STEP_COMMENT)]]))


@router.step(STEP_COMMENT)
async def comment(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    text = (ctx.inc.text or "").strip()
    if not text:
        raise DomainError("text_expected")
    if len(text) > 1000:
        raise DomainError("text_too_long", max=1000, length=len(text))
    t = await resident.comment_rating(ctx.uow, ctx.account, int(ctx.data["ticket"]), text)
    await ctx.clear_state()
    ctx.reply(Reply(msg("comment-saved", number=t.number)))
