"""Deliver an Outcome for an incoming update through a channel, and record
which sent messages belong to which ticket (for reply relaying)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any, Protocol

from bot.channel import Channel, SendError, Sent
from handlers.types import Incoming, Outcome, Reply
from locales import Msg, render
from storage.uow import UowFactory

log = logging.getLogger(__name__)


class InteractiveChannel(Channel, Protocol):
    async def edit(self, chat_id: str, message_id: int, reply: Reply, locale: str) -> None: ...

    async def answer_callback(self, callback_id: str, text: Msg | None, alert: bool, locale: str) -> None: ...

    async def drop_buttons(self, chat_id: str, message_id: int) -> None: ...

    async def set_commands(self, chat_id: str, commands: list[tuple[str, Msg]], locale: str) -> None: ...


def fingerprint(reply: Reply, locale: str) -> str:
    """What a message shows (text and buttons, rendered): an edit to the same fingerprint
    would be refused by Telegram ("message is not modified"), so it is skipped."""
    h = hashlib.sha1(render(locale, reply.text).encode())
    for row in reply.buttons:
        for b in row:
            h.update(b"\x00" + render(locale, b.label).encode() + b"\x01" + b.data.encode())
        h.update(b"\x02")
    return h.hexdigest()


async def record_links(
    uow_factory: UowFactory, inc: Incoming, sent: list[Sent], locale: str, account_id: int | None = None
) -> None:
    """Remember which sent replies belong to a ticket (only when some do). ``account_id``: the
    sender's, when the dispatcher knew it (otherwise it is looked up)."""
    links = [s for s in sent if s.reply.ticket_id is not None]
    if not links:
        return
    async with uow_factory() as uow:
        if account_id is None:
            account = await uow.accounts.by_identity(inc.channel, inc.user_id)
            account_id = account.id if account else None
        for s in links:
            assert s.reply.ticket_id is not None
            await uow.outbox.add_link(
                inc.channel,
                inc.chat_id,
                s.message_id,
                s.reply.ticket_id,
                account_id,
                card=s.reply.card,
                fingerprint=fingerprint(s.reply, locale) if s.reply.card else None,
            )
        await uow.commit()


async def _send(
    channel: InteractiveChannel,
    limiter: Any,
    chat_id: str,
    reply: Reply,
    locale: str,
    thread: int | None,
    attempts: int = 3,
) -> list[Sent]:
    """Send within the shared flood limits; wait out a 429 and try again."""
    for attempt in range(attempts):
        try:
            if limiter is None:
                return await channel.send(chat_id, [reply], locale, thread)
            async with limiter.slot(chat_id, group=channel.is_group(chat_id), cost=2 if reply.photos else 1):
                return await channel.send(chat_id, [reply], locale, thread)
        except SendError as err:
            if err.kind == "permanent" or attempt == attempts - 1:
                raise
            wait = err.retry_after if err.kind == "retry_after" and err.retry_after else 0.5 * 2**attempt
            if limiter is not None and err.kind == "retry_after":
                limiter.hold(wait)
            await asyncio.sleep(wait)
    return []


async def deliver(
    channel: InteractiveChannel, uow_factory: UowFactory, inc: Incoming, out: Outcome, limiter: Any = None
) -> None:
    """Answer the button (always, so the client stops its spinner), then edit
    or send the replies in order."""
    if inc.callback_id is not None:
        try:
            await channel.answer_callback(inc.callback_id, out.answer, out.alert, out.locale)
        except SendError as err:
            log.info("callback answer failed: %s", err.description)
    if out.commands is not None:
        try:
            await channel.set_commands(inc.chat_id, out.commands, out.locale)
        except SendError as err:
            log.info("command menu not set: %s", err.description)
    if out.drop_buttons and inc.message_id is not None:
        try:
            await channel.drop_buttons(inc.chat_id, inc.message_id)
        except SendError as err:
            log.info("buttons not removed: %s", err.description)
    sent: list[Sent] = []
    thread = inc.thread_id if not inc.is_private else None
    for reply in out.replies:
        if reply.edit and inc.callback_data is not None and inc.message_id is not None and not reply.photos:
            try:
                await channel.edit(inc.chat_id, inc.message_id, reply, out.locale)
                sent.append(Sent(inc.message_id, reply))
                continue
            except SendError as err:
                # too old or gone: show it as a new message instead
                log.info("edit failed (%s); sending instead", err.description)
        try:
            sent.extend(await _send(channel, limiter, inc.chat_id, reply, out.locale, thread))
        except SendError as err:
            log.warning("reply to %s not delivered: %s", inc.chat_id, err.description)
            break
    await record_links(uow_factory, inc, sent, out.locale, out.account_id)
