"""/queue: the open tickets of the queues a staff member works: overdue ones first (flagged),
then oldest first."""

from __future__ import annotations

from handlers.buttons import CardOp, QueuePage, TicketButton
from handlers.cards import is_overdue, local_time
from handlers.context import Ctx
from handlers.paging import clamp, nav_row
from handlers.router import Router
from handlers.types import Button, Reply, msg
from services import access
from services.errors import DomainError

router = Router()


async def _page(ctx: Ctx, page: int, *, edit: bool) -> None:
    orgs = await access.queue_org_ids(ctx.uow, ctx.account)
    if not orgs:
        raise DomainError("not_staff")
    size = ctx.config.page_size
    total = await ctx.uow.tickets.count_open_in_queues(orgs)
    page, pages = clamp(page, total, size)
    now = ctx.uow.clock.now()
    rows = await ctx.uow.tickets.open_in_queues(orgs, offset=page * size, limit=size, now=now)
    if not rows:
        ctx.reply(Reply(msg("queue-empty"), edit=edit))
        return
    buttons = [
        [
            Button(
                msg(
                    "queue-line-overdue" if is_overdue(t, now) else "queue-line",
                    number=t.number,
                    category=msg(f"category-{t.category}"),
                    state=msg(f"state-{t.state}"),
                ),
                TicketButton(CardOp.view, t.id or 0),
            )
        ]
        for t in rows
    ]
    nav = nav_row(QueuePage, page, pages)
    if nav:
        buttons.append(nav)
    oldest = local_time(min(t.created_at for t in rows), ctx.config.timezone)
    ctx.reply(
        Reply(
            msg("queue-head", total=total, page=page + 1, pages=pages, oldest=oldest),
            buttons=buttons,
            edit=edit,
        )
    )


@router.command("queue")
async def queue(ctx: Ctx) -> None:
    await _page(ctx, 0, edit=False)


@router.callback(QueuePage)
async def queue_page(ctx: Ctx) -> None:
    await _page(ctx, QueuePage.unpack(ctx.inc.callback_data).page, edit=True)
