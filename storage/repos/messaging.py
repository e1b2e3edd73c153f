"""Conversation state, processed updates, outbox, message links and topics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import (
    Account,
    ChannelIdentity,
    ConversationState,
    MessageLink,
    Notification,
    NotificationState,
    ProcessedUpdate,
    TicketTopic,
)
from storage.repos._util import dialect_name, insert_ignore


class ConversationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, account_id: int, chat_key: str) -> ConversationState | None:
        q = select(ConversationState).where(
            ConversationState.account_id == account_id, ConversationState.chat_key == chat_key
        )
        return (await self.s.execute(q)).scalars().first()

    async def put(
        self, account_id: int, chat_key: str, step: str, data: dict[str, Any], now: datetime
    ) -> None:
        """One upsert statement (no read first, no ORM object on the hot path)."""
        mod: Any = postgresql if dialect_name(self.s) == "postgresql" else sqlite
        table = ConversationState.__table__  # type: ignore[attr-defined]
        stmt = mod.insert(table).values(
            account_id=account_id, chat_key=chat_key, step=step, data=dict(data), updated_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "chat_key"],
            set_={"step": stmt.excluded.step, "data": stmt.excluded.data, "updated_at": now},
        )
        await self.s.execute(stmt)

    async def account_with_state(
        self, channel: str, external_id: str, chat_key: str
    ) -> tuple[Account | None, str | None, dict[str, Any]]:
        """The account behind a channel identity and its conversation step and data in this
        chat, in one statement: (None, None, {}) for someone never seen."""
        q = (
            select(Account, col(ConversationState.step), col(ConversationState.data))
            .join(ChannelIdentity, col(ChannelIdentity.account_id) == col(Account.id))
            .outerjoin(
                ConversationState,
                (col(ConversationState.account_id) == col(Account.id))
                & (col(ConversationState.chat_key) == chat_key),
            )
            .where(col(ChannelIdentity.channel) == channel, col(ChannelIdentity.external_id) == external_id)
            .limit(1)
        )
        row = (await self.s.execute(q)).first()
        if row is None:
            return None, None, {}
        return row[0], row[1], dict(row[2] or {})

    async def clear(self, account_id: int, chat_key: str) -> None:
        await self.s.execute(
            delete(ConversationState).where(
                col(ConversationState.account_id) == account_id,
                col(ConversationState.chat_key) == chat_key,
            )
        )

    async def mark_processed(self, channel: str, update_id: int, now: datetime) -> bool:
        """Record an update id; False when it was handled before (redelivery)."""
        return await insert_ignore(
            self.s, ProcessedUpdate, {"channel": channel, "update_id": update_id, "processed_at": now}
        )

    async def hold_reply(self, channel: str, update_id: int, reply: dict[str, Any] | None) -> None:
        """Keep (or with None, forget) the replies to an update until they were sent."""
        await self.s.execute(
            update(ProcessedUpdate)
            .where(col(ProcessedUpdate.channel) == channel, col(ProcessedUpdate.update_id) == update_id)
            .values(reply=reply)
        )

    async def forget_replies(self, updates: list[tuple[str, int]]) -> None:
        """The replies to these (channel, update id) were sent: nothing to keep."""
        by_channel: dict[str, list[int]] = {}
        for channel, update_id in updates:
            by_channel.setdefault(channel, []).append(update_id)
        for channel, ids in by_channel.items():
            await self.s.execute(
                update(ProcessedUpdate)
                .where(col(ProcessedUpdate.channel) == channel, col(ProcessedUpdate.update_id).in_(ids))
                .values(reply=None)
            )

    async def held_reply(self, channel: str, update_id: int) -> dict[str, Any] | None:
        """The replies to an update handled before but (maybe) never sent."""
        q = select(ProcessedUpdate.reply).where(
            col(ProcessedUpdate.channel) == channel, col(ProcessedUpdate.update_id) == update_id
        )
        value = (await self.s.execute(q)).scalar()
        return dict(value) if value else None

    async def prune_processed(self, before: datetime) -> int:
        """Forget update ids handled before ``before``; the number of rows deleted."""
        result = await self.s.execute(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def of_ticket(self, ticket_id: int) -> Sequence[Notification]:
        q = (
            select(Notification)
            .where(col(Notification.ticket_id) == ticket_id)
            .order_by(col(Notification.id))
        )
        return (await self.s.execute(q)).scalars().all()

    async def forget_links(self, ticket_id: int, account_id: int) -> int:
        """Drop the links between a person's private messages and a ticket (retention purge):
        replying to those old messages no longer reaches the ticket."""
        stmt = delete(MessageLink).where(
            col(MessageLink.ticket_id) == ticket_id, col(MessageLink.account_id) == account_id
        )
        result = await self.s.execute(stmt)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def enqueue(self, values: dict[str, Any]) -> bool:
        """Insert unless a row with the same dedup_key exists."""
        return await insert_ignore(self.s, Notification, values)

    async def claim(
        self, *, now: datetime, worker: str, limit: int, lease: timedelta, channel: str | None = None
    ) -> list[Notification]:
        """Claim ready rows for this worker: PostgreSQL uses FOR UPDATE SKIP
        LOCKED; SQLite a conditional UPDATE (its writer lock serialises).
        `channel`: only rows for that channel (a sender claims only what it can send)."""
        ready = (
            (col(Notification.state) == NotificationState.pending)
            | (
                (col(Notification.state) == NotificationState.sending)
                & (col(Notification.claimed_until) < now)
            )
        ) & (col(Notification.next_attempt_at) <= now)
        if channel is not None:
            ready = ready & (col(Notification.channel) == channel)
        pick = (
            select(Notification.id)
            .where(ready)
            .order_by(col(Notification.next_attempt_at), col(Notification.id))
            .limit(limit)
        )
        if dialect_name(self.s) == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        ids = [r[0] for r in (await self.s.execute(pick)).all()]
        if not ids:
            return []
        await self.s.execute(
            update(Notification)
            .where(col(Notification.id).in_(ids), ready)
            .values(state=NotificationState.sending, claimed_by=worker, claimed_until=now + lease)
        )
        q = select(Notification).where(
            col(Notification.id).in_(ids),
            Notification.claimed_by == worker,
            Notification.state == NotificationState.sending,
        )
        rows = (await self.s.execute(q.execution_options(populate_existing=True))).scalars().all()
        return sorted(rows, key=lambda n: (n.next_attempt_at, n.id or 0))

    async def get(self, notification_id: int) -> Notification | None:
        return await self.s.get(Notification, notification_id)

    async def update_claimed(self, notification_id: int, worker: str, **values: Any) -> bool:
        """Change a row this worker still holds (state sending, claimed_by worker); False
        when the claim was lost (lease expired and another worker took the row)."""
        result = await self.s.execute(
            update(Notification)
            .where(
                col(Notification.id) == notification_id,
                col(Notification.claimed_by) == worker,
                col(Notification.state) == NotificationState.sending,
            )
            .values(**values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def for_ticket(self, ticket_id: int) -> Sequence[Notification]:
        q = select(Notification).where(Notification.ticket_id == ticket_id)
        return (await self.s.execute(q.order_by(col(Notification.id)))).scalars().all()

    async def add_link(
        self,
        channel: str,
        chat_id: str,
        message_id: int,
        ticket_id: int,
        account_id: int | None,
        *,
        card: bool = False,
        fingerprint: str | None = None,
    ) -> None:
        await insert_ignore(
            self.s,
            MessageLink,
            {
                "channel": channel,
                "chat_id": chat_id,
                "message_id": message_id,
                "ticket_id": ticket_id,
                "account_id": account_id,
                "card": card,
                "fingerprint": fingerprint,
            },
        )
        if fingerprint is not None:  # an edited card: it now shows this
            await self.s.execute(
                update(MessageLink)
                .where(
                    col(MessageLink.channel) == channel,
                    col(MessageLink.chat_id) == chat_id,
                    col(MessageLink.message_id) == message_id,
                )
                .values(fingerprint=fingerprint)
            )

    async def set_fingerprint(self, link_id: int, fingerprint: str) -> None:
        """What a card shows now (after an edit)."""
        await self.s.execute(
            update(MessageLink).where(col(MessageLink.id) == link_id).values(fingerprint=fingerprint)
        )

    async def claim_fingerprint(self, link_id: int, old: str | None, new: str | None) -> bool:
        """Set what a card shows from ``old`` to ``new`` unless someone changed it meanwhile:
        of two refreshes racing for one copy only the one that claims it edits it (a second,
        identical edit would be refused by Telegram as "not modified")."""
        held = col(MessageLink.fingerprint).is_(None) if old is None else col(MessageLink.fingerprint) == old
        result = await self.s.execute(
            update(MessageLink).where(col(MessageLink.id) == link_id, held).values(fingerprint=new)
        )
        return bool(getattr(result, "rowcount", 0))

    async def cards(self, ticket_id: int, channel: str) -> Sequence[MessageLink]:
        """Every staff card the bot has shown for a ticket."""
        q = select(MessageLink).where(
            MessageLink.ticket_id == ticket_id,
            MessageLink.channel == channel,
            col(MessageLink.card).is_(True),
        )
        return (await self.s.execute(q.order_by(col(MessageLink.id)))).scalars().all()

    async def link(self, channel: str, chat_id: str, message_id: int) -> MessageLink | None:
        q = select(MessageLink).where(
            MessageLink.channel == channel,
            MessageLink.chat_id == chat_id,
            MessageLink.message_id == message_id,
        )
        return (await self.s.execute(q)).scalars().first()

    async def topic(self, ticket_id: int, channel: str, chat_id: str) -> TicketTopic | None:
        q = select(TicketTopic).where(
            TicketTopic.ticket_id == ticket_id,
            TicketTopic.channel == channel,
            TicketTopic.chat_id == chat_id,
        )
        return (await self.s.execute(q)).scalars().first()

    async def topic_by_thread(self, channel: str, chat_id: str, thread_id: int) -> TicketTopic | None:
        q = select(TicketTopic).where(
            TicketTopic.channel == channel,
            TicketTopic.chat_id == chat_id,
            TicketTopic.thread_id == thread_id,
        )
        return (await self.s.execute(q)).scalars().first()

    async def add_topic(self, ticket_id: int, channel: str, chat_id: str, thread_id: int) -> None:
        await insert_ignore(
            self.s,
            TicketTopic,
            {
                "ticket_id": ticket_id,
                "channel": channel,
                "chat_id": chat_id,
                "thread_id": thread_id,
            },
        )
