"""Keep every copy of a ticket's staff card (each worker's private chat, the staff group
topics) showing the ticket as it is now, with only the buttons that still apply.

A copy held by someone who no longer handles the ticket (the company after "not
responsible", a worker whose role ended) shows where the ticket went, without buttons. An
edit that would not change what a copy shows is skipped (Telegram refuses it), and every
edit passes the shared flood limiter.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from bot.channel import SendError
from bot.delivery import InteractiveChannel, fingerprint
from handlers.cards import moved_card, staff_card
from handlers.rendering import reader_locale
from handlers.types import Reply
from services.access import can_handle, sees_personal_data
from services.escalation import level_node
from storage.models import MessageLink, Ticket
from storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)


async def _still_handles(uow: UnitOfWork, link: MessageLink, ticket: Ticket) -> bool:
    """Whether the holder of this copy still handles the ticket."""
    if link.account_id is not None:
        account = await uow.accounts.get(link.account_id)
        return account is not None and await can_handle(uow, account, ticket)
    org = await uow.org.by_staff_chat(link.chat_id)
    if org is None:
        return False
    if org.id == ticket.queue_org_id:
        return True
    for level in range(1, ticket.escalation_level + 1):
        node = await level_node(uow, ticket, level)
        if node is not None and node.id == org.id:
            return True
    return False


async def _locale(uow: UnitOfWork, link: MessageLink) -> str:
    account = await uow.accounts.get(link.account_id) if link.account_id else None
    return reader_locale(uow, account)


async def refresh_cards(
    channel: InteractiveChannel,
    uow_factory: UowFactory,
    ticket_ids: set[int],
    *,
    skip: set[tuple[str, int]],
    limiter: Any = None,
) -> int:
    """Edit the cards of ``ticket_ids`` except those in ``skip`` (chat, message id);
    returns how many were edited."""
    todo: list[tuple[int, str, int, Reply, str, str, str | None]] = []
    async with uow_factory() as uow:
        tz = uow.config.timezone
        for tid in sorted(ticket_ids):
            ticket = await uow.tickets.get(tid)
            if ticket is None:
                continue
            current: dict[bool, Reply] = {}  # the card with / without personal data
            moved: Reply | None = None
            for link in await uow.outbox.cards(tid, channel.name):
                if (link.chat_id, link.message_id) in skip:
                    continue
                if await _still_handles(uow, link, ticket):
                    personal = await sees_personal_data(
                        uow,
                        ticket,
                        account_id=link.account_id,
                        chat_id=None if link.account_id else link.chat_id,
                    )
                    if personal not in current:
                        current[personal] = await staff_card(uow, ticket, tz, personal=personal)
                    reply = current[personal]
                else:
                    moved = moved or await moved_card(uow, ticket, tz)
                    reply = moved
                locale = await _locale(uow, link)
                fp = fingerprint(reply, locale)
                # claimed before the edit: a concurrent refresh of the same copy skips it
                if fp != link.fingerprint and await uow.outbox.claim_fingerprint(
                    link.id or 0, link.fingerprint, fp
                ):
                    todo.append(
                        (link.id or 0, link.chat_id, link.message_id, reply, locale, fp, link.fingerprint)
                    )
        await uow.commit()
    failed: list[tuple[int, str, str | None]] = []
    for link_id, chat_id, message_id, reply, locale, fp, before in todo:
        slot = (
            limiter.slot(chat_id, group=channel.is_group(chat_id))
            if limiter is not None
            else contextlib.nullcontext()
        )
        try:
            async with slot:
                await channel.edit(chat_id, message_id, reply, locale)
        except SendError as err:  # deleted, too old…: that copy simply stays as it was
            log.info("card %s/%s not refreshed: %s", chat_id, message_id, err.description)
            failed.append((link_id, fp, before))
    if failed:
        async with uow_factory() as uow:
            for link_id, fp, before in failed:
                await uow.outbox.claim_fingerprint(link_id, fp, before)
            await uow.commit()
    return len(todo) - len(failed)
