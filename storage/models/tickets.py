"""Tickets (工单), their append-only events, routing rules and numbering."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, json_field, ts_field


class TicketState(StrEnum):
    new = "new"
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    waiting_resident = "waiting_resident"
    resolved = "resolved"
    closed = "closed"
    rejected = "rejected"


OPEN_STATES = (
    TicketState.new,
    TicketState.acknowledged,
    TicketState.in_progress,
    TicketState.waiting_resident,
)


class Priority(StrEnum):
    emergency = "emergency"
    urgent = "urgent"
    normal = "normal"


class Queue(StrEnum):
    property = "property"
    community = "community"


class Source(StrEnum):
    chat = "chat"
    hotline = "hotline"
    staff = "staff"


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_queue_state", "queue_org_id", "state"),
        Index("ix_ticket_compound_created", "compound_id", "created_at"),
        # open / overdue counts per compound (digests, services/metrics.py community_counts)
        Index("ix_ticket_compound_state", "compound_id", "state"),
        # hotline ranking per quarter (services/ranking.py)
        Index("ix_ticket_source_created", "source", "created_at"),
        # the retention purge: not yet erased, closed before the cutoff (services/privacy.py)
        Index("ix_ticket_erasable", "erased_at", "closed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True, index=True)
    compound_id: int = Field(foreign_key="org_node.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    category: str = Field(max_length=32, index=True)
    priority: Priority = enum_field(Priority)
    description: str = Field(max_length=4000)
    photos: list[str] = json_field(list)
    latitude: float | None = None
    longitude: float | None = None
    reporter_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    anonymous: bool = False
    source: Source = enum_field(Source, default=Source.chat)
    external_ref: str | None = Field(default=None, max_length=64, unique=True)
    caller_phone: str | None = Field(default=None, max_length=32)
    queue: Queue = enum_field(Queue)
    queue_org_id: int = Field(foreign_key="org_node.id")
    assignee_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    state: TicketState = enum_field(TicketState, default=TicketState.new, index=True)
    escalation_level: int = 0
    reopen_count: int = 0
    created_at: datetime = ts_field(nullable=False)
    updated_at: datetime = ts_field(nullable=False)
    acknowledged_at: datetime | None = ts_field()
    resolved_at: datetime | None = ts_field()
    closed_at: datetime | None = ts_field()
    # when the retention purge erased the personal fields (services/privacy.py)
    erased_at: datetime | None = ts_field()
    waiting_since: datetime | None = ts_field()
    first_response_due: datetime | None = ts_field(index=True)
    resolution_due: datetime | None = ts_field(index=True)
    resolution_note: str | None = Field(default=None, max_length=2000)
    reject_reason: str | None = Field(default=None, max_length=32)
    duplicate_of_id: int | None = Field(default=None, foreign_key="ticket.id")
    rating: int | None = None
    rating_comment: str | None = Field(default=None, max_length=1000)
    # deadlines (services/deadlines.py): the escalation level's own deadline, the moment up to
    # which the tick has handled reminders/breaches, and the next moment it must look again
    level_due: datetime | None = ts_field()
    sla_checked_at: datetime | None = ts_field()
    next_check_at: datetime | None = ts_field(index=True)


class TicketEvent(SQLModel, table=True):
    """Append-only audit: every transition, message and assignment. The database refuses
    DELETE and every UPDATE but an erasure (the retention purge drops personal keys from
    `data` and adds "erased": true; migration 0008)."""

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = ts_field(nullable=False)
    actor_id: int | None = Field(default=None, foreign_key="account.id")
    kind: str = Field(max_length=32)
    data: dict[str, Any] = json_field(dict)


class RoutingRule(SQLModel, table=True):
    """(compound or default, category) → queue, optionally with a priority."""

    __tablename__ = "routing_rule"
    __table_args__ = (UniqueConstraint("compound_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int | None = Field(default=None, foreign_key="org_node.id")
    category: str = Field(max_length=32)
    queue: Queue = enum_field(Queue)
    priority: Priority | None = enum_field(Priority, default=None, nullable=True)


class TicketCounter(SQLModel, table=True):
    __tablename__ = "ticket_counter"

    prefix: str = Field(max_length=8, primary_key=True)
    year: int = Field(primary_key=True)
    value: int = 0
