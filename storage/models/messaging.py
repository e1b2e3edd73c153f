"""Conversation state, processed updates, the notification outbox and the
bot's own message↔ticket mapping."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, json_field, ts_field


class ConversationState(SQLModel, table=True):
    __tablename__ = "conversation_state"
    __table_args__ = (UniqueConstraint("account_id", "chat_key"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    chat_key: str = Field(max_length=80)
    step: str = Field(max_length=64)
    data: dict[str, Any] = json_field(dict)
    updated_at: datetime = ts_field(nullable=False)


class ProcessedUpdate(SQLModel, table=True):
    __tablename__ = "processed_update"

    channel: str = Field(max_length=16, primary_key=True)
    update_id: int = Field(primary_key=True)
    processed_at: datetime = ts_field(nullable=False, index=True)  # rows expire (prune_processed)
    # the replies committed with the update, until they were sent: a crash between the commit
    # and the send re-sends them when Telegram redelivers the update (handlers/held_reply.py)
    reply: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class NotificationState(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"


class Notification(SQLModel, table=True):
    """Outbox row. `dedup_key` = kind:ticket:recipient:due so writing the same
    notification twice is a no-op (UNIQUE)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_ready", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedup_key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=32)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    # True: post in the ticket's forum topic of chat_id (created on first use)
    in_topic: bool = False
    due_at: datetime = ts_field(nullable=False)
    payload: dict[str, Any] = json_field(dict)
    state: NotificationState = enum_field(NotificationState, default=NotificationState.pending)
    attempts: int = 0
    next_attempt_at: datetime = ts_field(nullable=False)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = ts_field()
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = ts_field()
    created_at: datetime = ts_field(nullable=False)


class MessageLink(SQLModel, table=True):
    """A message the bot sent that belongs to a ticket: replying to it relays."""

    __tablename__ = "message_link"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    message_id: int
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    # a staff ticket card: edited in place whenever the ticket changes
    card: bool = False
    # what the message shows now (bot.delivery.fingerprint): identical edits are skipped
    fingerprint: str | None = Field(default=None, max_length=40)


class TicketTopic(SQLModel, table=True):
    """A forum topic of a staff group dedicated to one ticket."""

    __tablename__ = "ticket_topic"
    __table_args__ = (
        UniqueConstraint("ticket_id", "channel", "chat_id"),
        UniqueConstraint("channel", "chat_id", "thread_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    thread_id: int
