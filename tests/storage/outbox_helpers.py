"""Outbox test helpers: rows written straight into the outbox, a trivial renderer, and
reading the rows back."""

from __future__ import annotations

from sqlmodel import col, select

from bot.outbox import OutboxSender
from handlers.types import Reply
from locales import Msg
from storage.models import Notification, NotificationState
from storage.uow import UnitOfWork, UowFactory

NS = NotificationState


async def numbered(uow: UnitOfWork, n: Notification) -> list[Reply]:
    return [Reply(Msg("deadline-late-minutes", {"minutes": str(n.payload["i"])}))]


async def enqueue(
    f: UowFactory, count: int, chats: list[str], *, channel: str = "telegram", start: int = 0
) -> None:
    async with f() as uow:
        now = uow.clock.now()
        for i in range(start, start + count):
            await uow.outbox.enqueue(
                {
                    "dedup_key": f"test:{i}",
                    "kind": "test",
                    "ticket_id": None,
                    "account_id": None,
                    "channel": channel,
                    "chat_id": chats[i % len(chats)],
                    "in_topic": False,
                    "due_at": now,
                    "payload": {"i": i},
                    "state": NS.pending.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
        await uow.commit()


async def states(f: UowFactory) -> list[Notification]:
    async with f() as uow:
        rows = list(
            (await uow.session.execute(select(Notification).order_by(col(Notification.id)))).scalars().all()
        )
        uow.session.expunge_all()
        return rows


async def drain(sender: OutboxSender) -> None:
    while await sender.drain_once():
        pass
