"""Keep every copy of a ticket's staff card (each worker's private chat, the
staff group topic) showing the ticket as it is now, with only the buttons
that still apply."""
from __future__ import annotations

import logging

from bot.channel import SendError
from bot.delivery import InteractiveChannel
from handlers.cards import staff_card
from handlers.types import Reply
from locales import LOCALES
from storage.uow import UowFactory

log = logging.getLogger(__name__)


async def refresh_cards(channel: InteractiveChannel, uow_factory: UowFactory, ticket_ids: set[int],
                        *, tz: str, default_locale: str, skip: set[tuple[str, int]]) -> int:
    """Edit the cards of `ticket_ids` except those in `skip` (chat, message id);
    returns how many were edited."""
    todo: list[tuple[str, int, Reply, str]] = []
    async with uow_factory() as uow:
        for tid in sorted(ticket_ids):
            ticket = await uow.tickets.get(tid)
            if ticket is None:
                continue
            reply = await staff_card(uow, ticket, tz)
            for link in await uow.outbox.cards(tid, channel.name):
                if (link.chat_id, link.message_id) in skip:
                    continue
                account = await uow.accounts.get(link.account_id) if link.account_id else None
                locale = account.locale if account and account.locale in LOCALES else default_locale
                todo.append((link.chat_id, link.message_id, reply, str(locale)))
    edited = 0
    for chat_id, message_id, reply, locale in todo:
        try:
            await channel.edit(chat_id, message_id, reply, locale)
            edited += 1
        except SendError as err:  # deleted, too old…: that copy simply stays as it was
            log.info("card %s/%s not refreshed: %s", chat_id, message_id, err.description)
    return edited
