"""A resident's tickets: /my, history, adding information, confirming, rating."""

from __future__ import annotations

from handlers.buttons import (
    AddInfoButton,
    CcOp,
    ConfirmButton,
    CouncilButton,
    Fixed,
    MyPage,
    MyTicketButton,
    RateButton,
    SkipButton,
)
from handlers.cards import card, confirm_buttons, local_time, rating_buttons
from handlers.context import Ctx
from handlers.paging import clamp, nav_row
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Lines, Msg
from services import resident
from services.access import reporter_ticket
from services.errors import DomainError
from services.ticket_rules import Action, EventKind, TicketRole, allowed_actions
from storage.models import TicketEvent, TicketState

router = Router()
STEP_ADD, STEP_COMMENT = "resident.add", "resident.comment"
E = EventKind
# what a reporter's history shows (reminders and overdue marks are for the staff)
HISTORY_KINDS = frozenset(
    {
        E.created,
        E.acknowledged,
        E.assigned,
        E.asked,
        E.staff_message,
        E.resident_message,
        E.resolved,
        E.rejected,
        E.rerouted,
        E.reopened,
        E.confirmed,
        E.rated,
        E.rating_comment,
        E.escalated,
        E.auto_closed,
    }
)


async def _list(ctx: Ctx, page: int, *, edit: bool) -> None:
    size = ctx.config.page_size
    total = await ctx.uow.tickets.count_by_reporter(ctx.account_id)
    if total == 0:
        ctx.reply(Reply(msg("my-empty"), edit=edit))
        return
    page, pages = clamp(page, total, size)
    rows = await ctx.uow.tickets.by_reporter(ctx.account_id, offset=page * size, limit=size)
    buttons = [
        [
            Button(
                msg(
                    "my-line",
                    number=t.number,
                    category=msg(f"category-{t.category}"),
                    state=msg(f"state-{t.state}"),
                ),
                MyTicketButton(t.id or 0),
            )
        ]
        for t in rows
    ]
    nav = nav_row(MyPage, page, pages)
    if nav:
        buttons.append(nav)
    ctx.reply(Reply(msg("my-head", total=total, page=page + 1, pages=pages), buttons=buttons, edit=edit))


@router.command("my")
async def my(ctx: Ctx) -> None:
    await _list(ctx, 0, edit=False)


@router.callback(MyPage)
async def my_page(ctx: Ctx) -> None:
    await _list(ctx, MyPage.unpack(ctx.inc.callback_data).page, edit=True)


def _event_line(ev: TicketEvent, tz: str) -> Msg:
    return msg(
        f"history-{ev.kind.replace('_', '-')}",
        at=local_time(ev.at, tz),
        text=str(ev.data.get("text") or ev.data.get("note") or ""),
    )


def reporter_buttons(state: TicketState, ticket_id: int, rated: bool) -> list[list[Button]]:
    """What ``ticket_rules.allowed_actions`` offers the reporter now."""
    allowed = set(allowed_actions(state, TicketRole.reporter))
    if Action.confirm in allowed:
        return confirm_buttons(ticket_id)
    if Action.rate in allowed and not rated:
        return rating_buttons(ticket_id)
    if allowed & {Action.add_info, Action.answer}:
        return [[Button(msg("btn-add-info"), AddInfoButton(ticket_id))]]
    return []


@router.callback(MyTicketButton)
async def view(ctx: Ctx) -> None:
    t = await reporter_ticket(ctx.uow, ctx.account, MyTicketButton.unpack(ctx.inc.callback_data).ticket)
    assert t.id is not None
    tz = ctx.config.timezone
    events = [e for e in await ctx.uow.tickets.events(t.id) if e.kind in HISTORY_KINDS]
    lines = [_event_line(e, tz) for e in events[-15:]]
    buttons = reporter_buttons(TicketState(t.state), t.id, t.rating is not None)
    buttons.append([Button(msg("btn-council-discuss"), CouncilButton(CcOp.disc, t.id))])  # 议事
    ctx.reply(
        Reply(
            await card(ctx.uow, t, tz, personal=False, unit=True, resident=True),
            photos=list(t.photos),
            ticket_id=t.id,
        )
    )
    # one message per line, joined: a long history is split into several messages (the
    # buttons on the last), never put whole into one Fluent parameter (≤ 2500 characters)
    ctx.reply(Reply(Lines([msg("history"), *lines]), buttons=buttons, ticket_id=t.id))


@router.callback(AddInfoButton)
async def add_info(ctx: Ctx) -> None:
    t = await reporter_ticket(ctx.uow, ctx.account, AddInfoButton.unpack(ctx.inc.callback_data).ticket)
    allowed = allowed_actions(TicketState(t.state), TicketRole.reporter)
    if Action.add_info not in allowed and Action.answer not in allowed:
        raise DomainError("invalid_state", state=t.state, number=t.number)
    await ctx.set_state(STEP_ADD, {"ticket": t.id})
    key = "resident-answer-prompt" if Action.answer in allowed else "resident-add-prompt"
    ctx.reply(Reply(msg(key, number=t.number), buttons=[[Button(msg("btn-cancel"), SkipButton(STEP_ADD))]]))


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


@router.callback(ConfirmButton)
async def confirm(ctx: Ctx) -> None:
    b = ConfirmButton.unpack(ctx.inc.callback_data)
    t = await resident.confirm(ctx.uow, ctx.account, b.ticket, fixed=b.fixed == Fixed.yes)
    # the staff's resolution note stays in the chat: its buttons go, the answer is new
    ctx.out.drop_buttons = True
    if b.fixed == Fixed.yes:
        ctx.reply(Reply(msg("confirm-closed", number=t.number)))
        ctx.reply(Reply(msg("rate-prompt", number=t.number), buttons=rating_buttons(t.id)))
    else:
        ctx.reply(Reply(msg("confirm-reopened", number=t.number, count=t.reopen_count)))


@router.callback(RateButton)
async def rate(ctx: Ctx) -> None:
    b = RateButton.unpack(ctx.inc.callback_data)
    if not 1 <= b.stars <= 5:
        raise DomainError("unknown_button")
    t = await resident.rate(ctx.uow, ctx.account, b.ticket, b.stars)
    await ctx.set_state(STEP_COMMENT, {"ticket": t.id})
    ctx.reply(
        Reply(
            msg("rated", number=t.number, stars=str(b.stars)),
            edit=True,
            buttons=[[Button(msg("btn-no-comment"), SkipButton(STEP_COMMENT))]],
        )
    )


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
