"""Replies to the bot's ticket messages, and messages in a ticket's forum
topic, are relayed through the bot's own message↔ticket mapping."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.types import Reply, msg
from services import resident, tickets
from services.access import can_handle
from services.errors import DomainError, NotAllowed


async def route_reply(ctx: Ctx, *, replies_only: bool) -> bool:
    """True when the message belonged to a ticket and was relayed: a reply to
    a ticket message, or (unless `replies_only`) a message in its topic."""
    inc, uow = ctx.inc, ctx.uow
    ticket_id: int | None = None
    if inc.reply_to_message_id is not None:
        link = await uow.outbox.link(inc.channel, inc.chat_id, inc.reply_to_message_id)
        ticket_id = link.ticket_id if link else None
    if ticket_id is None and not replies_only and inc.thread_id is not None and not inc.is_private:
        topic = await uow.outbox.topic_by_thread(inc.channel, inc.chat_id, inc.thread_id)
        ticket_id = topic.ticket_id if topic else None
    if ticket_id is None:
        return False
    text = (inc.text or "").strip()
    photos = list(inc.photos)[: ctx.config.max_photos]
    if not text and not photos:
        raise DomainError("text_expected")
    if len(text) > ctx.config.max_text:
        raise DomainError("text_too_long", max=ctx.config.max_text, length=len(text))
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return False
    if ticket.reporter_id == ctx.account.id:
        await resident.resident_message(uow, ctx.account, ticket_id, text, photos)
        ctx.reply(Reply(msg("resident-added", number=ticket.number)))
    elif await can_handle(uow, ctx.account, ticket):
        await tickets.staff_message(uow, ctx.account, ticket_id, text, photos)
        ctx.reply(Reply(msg("relayed-to-resident", number=ticket.number)))
    else:
        raise NotAllowed(number=ticket.number)
    return True
