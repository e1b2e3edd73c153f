"""Conversation state, processed updates, outbox, message links and topics."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Executable, bindparam, delete, exists, func, text, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.autocommit import alone
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
from storage.refcache import stamp_column, stamp_read
from storage.repos._util import dialect_name, insert_ignore

# the lock on creating one ticket's forum topic in one chat, held to the end of the transaction
_TOPIC_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:key || ':' || current_schema()))")


class StateWrite(NamedTuple):
    """A conversation step to store (``step`` None: the conversation is over)."""

    account_id: int
    chat_key: str
    step: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class UpdateView:
    """What the dispatcher reads first about an update, in one statement: the sender's account,
    their conversation step and data in this chat, and whether the update was handled before
    (``handled`` None when the sender is unknown: no row answers it)."""

    account: Account | None
    step: str | None
    data: dict[str, Any]
    handled: bool | None
    reply: dict[str, Any] | None


class _Hot:
    """The statements of every update, built once per dialect and executed with parameters
    (building a statement costs more CPU than running it)."""

    def __init__(self, dialect: str) -> None:
        mod: Any = postgresql if dialect == "postgresql" else sqlite
        pu = ProcessedUpdate.__table__  # type: ignore[attr-defined]
        cs = ConversationState.__table__  # type: ignore[attr-defined]
        self.record: Executable = mod.insert(pu).on_conflict_do_nothing()
        # PostgreSQL: the update's record and its conversation step in one statement (the
        # step's write in a WITH clause, made only when the record was: a redelivery handled
        # by another process changes nothing, even when the statement commits by itself)
        self.record_put: Executable | None = None
        self.record_clear: Executable | None = None
        if dialect == "postgresql":
            rec = (
                mod.insert(pu)
                .values(
                    channel=bindparam("channel"),
                    update_id=bindparam("update_id"),
                    processed_at=bindparam("processed_at"),
                    reply=bindparam("reply"),
                )
                .on_conflict_do_nothing()
                .returning(pu.c.update_id)
                .cte("rec")
            )
            recorded = exists(sa_select(rec.c.update_id))
            fields = ("account_id", "chat_key", "step", "data", "updated_at")
            row = sa_select(*(bindparam(f"s_{f}", type_=cs.c[f].type) for f in fields)).where(recorded)
            put = mod.insert(cs).from_select(list(fields), row)
            put = put.on_conflict_do_update(
                index_elements=["account_id", "chat_key"],
                set_={
                    "step": put.excluded.step,
                    "data": put.excluded.data,
                    "updated_at": put.excluded.updated_at,
                },
            )
            gone = delete(cs).where(
                cs.c.account_id == bindparam("s_account_id"),
                cs.c.chat_key == bindparam("s_chat_key"),
                recorded,
            )
            count = sa_select(func.count()).select_from(rec)
            self.record_put = count.add_cte(put.cte("state"))
            self.record_clear = count.add_cte(gone.cte("state"))
        upsert = mod.insert(cs)
        self.put: Executable = upsert.on_conflict_do_update(
            index_elements=["account_id", "chat_key"],
            set_={
                "step": upsert.excluded.step,
                "data": upsert.excluded.data,
                "updated_at": upsert.excluded.updated_at,
            },
        )
        where_update = (pu.c.channel == bindparam("w_channel")) & (pu.c.update_id == bindparam("w_update_id"))
        self.hold: Executable = update(pu).where(where_update).values(reply=bindparam("reply"))
        self.forget: Executable = (
            update(pu)
            .where(
                pu.c.channel == bindparam("w_channel"), pu.c.update_id.in_(bindparam("w_ids", expanding=True))
            )
            .values(reply=None)
        )
        self.held: Executable = select(pu.c.reply).where(where_update)
        self.clear: Executable = delete(cs).where(
            cs.c.account_id == bindparam("account_id"), cs.c.chat_key == bindparam("chat_key")
        )
        self.view: Executable = (
            sa_select(Account, cs.c.step, cs.c.data, pu.c.update_id, pu.c.reply, stamp_column())
            .join(ChannelIdentity, col(ChannelIdentity.account_id) == col(Account.id))
            .outerjoin(cs, (cs.c.account_id == col(Account.id)) & (cs.c.chat_key == bindparam("chat_key")))
            .outerjoin(
                pu, (pu.c.channel == bindparam("channel")) & (pu.c.update_id == bindparam("update_id"))
            )
            .where(
                col(ChannelIdentity.channel) == bindparam("channel"),
                col(ChannelIdentity.external_id) == bindparam("external_id"),
            )
            .limit(1)
        )


_HOT: dict[str, _Hot] = {}


def _hot(session: AsyncSession) -> _Hot:
    name = dialect_name(session)
    hot = _HOT.get(name)
    if hot is None:
        hot = _HOT[name] = _Hot(name)
    return hot


class ConversationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        self._h: _Hot | None = None

    @property
    def hot(self) -> _Hot:
        if self._h is None:
            self._h = _hot(self.s)
        return self._h

    async def _core(self, stmt: Any, params: dict[str, Any], *, flush: bool = False) -> Any:
        """A prebuilt statement on the session's connection (no ORM execution around it).
        ``flush``: the ORM changes pending in the session go first, as session.execute's
        autoflush would do (a statement in the middle of a handler)."""
        if flush and self.s.sync_session.autoflush:
            await self.s.flush()
        conn = await self.s.connection()
        return await conn.execute(stmt, params)

    async def get(self, account_id: int, chat_key: str) -> ConversationState | None:
        q = select(ConversationState).where(
            ConversationState.account_id == account_id, ConversationState.chat_key == chat_key
        )
        return (await self.s.execute(q)).scalars().first()

    async def put(
        self, account_id: int, chat_key: str, step: str, data: dict[str, Any], now: datetime
    ) -> None:
        """One upsert statement (no read first, no ORM object on the hot path)."""
        await self._core(
            self.hot.put,
            {
                "account_id": account_id,
                "chat_key": chat_key,
                "step": step,
                "data": dict(data),
                "updated_at": now,
            },
            flush=True,
        )

    async def account_with_state(
        self, channel: str, external_id: str, chat_key: str
    ) -> tuple[Account | None, str | None, dict[str, Any]]:
        """The account behind a channel identity and its conversation step and data in this
        chat, in one statement: (None, None, {}) for someone never seen."""
        view = await self.update_view(channel, 0, external_id, chat_key)
        return view.account, view.step, view.data

    async def update_view(self, channel: str, update_id: int, external_id: str, chat_key: str) -> UpdateView:
        """The account, its step in this chat and whether this update was handled (and the
        reference data's stamp): one statement, without a transaction on PostgreSQL (one begins
        when the handler writes: storage/autocommit.py)."""
        params = {
            "channel": channel,
            "update_id": update_id,
            "external_id": external_id,
            "chat_key": chat_key,
        }
        row = (await self.s.execute(self.hot.view, params)).first()
        if row is None:
            return UpdateView(None, None, {}, None, None)
        handled = row[3] is not None
        stamp_read(self.s, row[5])  # the reference data's stamp came along (storage/refcache.py)
        return UpdateView(row[0], row[1], dict(row[2] or {}), handled, dict(row[4]) if row[4] else None)

    async def clear(self, account_id: int, chat_key: str) -> None:
        await self._core(self.hot.clear, {"account_id": account_id, "chat_key": chat_key}, flush=True)

    async def mark_processed(self, channel: str, update_id: int, now: datetime) -> bool:
        """Record an update id; False when it was handled before (redelivery)."""
        return await self.record_processed(channel, update_id, now, None)

    async def record_processed(
        self,
        channel: str,
        update_id: int,
        now: datetime,
        reply: dict[str, Any] | None,
        *,
        state: StateWrite | None = None,
        last: bool = False,
    ) -> bool:
        """Record an update id with the replies to keep until they were sent, and ``state``,
        the conversation step it leaves; False when the update was handled before (then the
        step is not written either, on SQLite the caller rolls it back). ``last``: the unit of
        work's last statement before its commit (it may then commit by itself:
        storage/autocommit.py)."""
        params: dict[str, Any] = {
            "channel": channel,
            "update_id": update_id,
            "processed_at": now,
            "reply": reply,
        }
        hot = self.hot
        if state is None:
            stmt = hot.record
        elif hot.record_put is None or hot.record_clear is None:  # SQLite: one after the other
            await self.write_state(state, now)
            stmt = hot.record
        else:
            params |= {"s_account_id": state.account_id, "s_chat_key": state.chat_key}
            if state.step is None:
                stmt = hot.record_clear
            else:
                stmt = hot.record_put
                params |= {"s_step": state.step, "s_data": state.data, "s_updated_at": now}
        # the last statement, when nothing else was stored, needs no transaction
        async with alone(self.s) if last else nullcontext(False):
            result = await self._core(stmt, params)
        return bool(result.rowcount) if stmt is hot.record else bool(result.scalar())

    async def write_state(self, state: StateWrite | None, now: datetime) -> None:
        if state is None:
            return
        if state.step is None:
            await self.clear(state.account_id, state.chat_key)
        else:
            await self.put(state.account_id, state.chat_key, state.step, state.data, now)

    async def hold_reply(self, channel: str, update_id: int, reply: dict[str, Any] | None) -> None:
        """Keep (or with None, forget) the replies to an update until they were sent."""
        await self._core(self.hot.hold, {"w_channel": channel, "w_update_id": update_id, "reply": reply})

    async def forget_replies(self, updates: list[tuple[str, int]], *, alone: bool = False) -> None:
        """The replies to these (channel, update id) were sent: nothing to keep. ``alone``:
        the only work of its unit of work, so on PostgreSQL each statement commits by itself
        (atomic on its own; no BEGIN and COMMIT round trips)."""
        by_channel: dict[str, list[int]] = {}
        for channel, update_id in updates:
            by_channel.setdefault(channel, []).append(update_id)
        if alone and dialect_name(self.s) == "postgresql":
            conn = await self.s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        else:
            conn = await self.s.connection()
        for channel, ids in by_channel.items():
            await conn.execute(self.hot.forget, {"w_channel": channel, "w_ids": ids})

    async def held_reply(self, channel: str, update_id: int) -> dict[str, Any] | None:
        """The replies to an update handled before but (maybe) never sent."""
        value = (
            await self.s.execute(self.hot.held, {"w_channel": channel, "w_update_id": update_id})
        ).scalar()
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

    async def lock_topic(self, ticket_id: int, channel: str, chat_id: str) -> bool:
        """PostgreSQL: wait for, then hold until the transaction ends, the lock on creating
        this ticket's topic in this chat (one creator across processes); True. SQLite: False
        (one process; its write lock is not to be held over a Bot API call)."""
        if dialect_name(self.s) != "postgresql":
            return False
        key = f"gongzhi-topic:{channel}:{chat_id}:{ticket_id}"
        await self.s.execute(_TOPIC_LOCK, {"key": key})
        return True

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
