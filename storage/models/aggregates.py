"""What every governance aggregate (whistle, council, owners' matter, fund application,
cost-sharing campaign …) shares: its append-only history, and the deadlines it owes.

``AggregateEvent`` is to those aggregates what ``TicketEvent`` is to tickets: one row per
recorded event, never updated (database triggers refuse it). ``Duty`` is one deadline a
party owes on an aggregate ("department X must report in by …"): services/duties.py opens
and closes them from the aggregates' policy tables and the tick reminds and marks them missed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, json_field, ts_field


class AggregateEvent(SQLModel, table=True):
    __tablename__ = "aggregate_event"
    __table_args__ = (Index("ix_aggregate_event_ref", "aggregate", "aggregate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    aggregate: str = Field(max_length=24)  # "whistle", "matter", …
    aggregate_id: int
    at: datetime = ts_field(nullable=False)
    actor_id: int | None = Field(default=None, foreign_key="account.id")
    kind: str = Field(max_length=32)
    data: dict[str, Any] = json_field(dict)


class DutyState(StrEnum):
    open = "open"
    done = "done"
    missed = "missed"  # the deadline passed; it stays owed until done or cancelled
    cancelled = "cancelled"


class Duty(SQLModel, table=True):
    """A deadline one party owes on an aggregate."""

    __tablename__ = "duty"
    __table_args__ = (Index("ix_duty_ref", "aggregate", "aggregate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    aggregate: str = Field(max_length=24)
    aggregate_id: int
    what: str = Field(max_length=32)  # "report_in", "on_site", "complete", …
    # who owes it: an org node (all its role holders) and/or one account
    holder_org_id: int | None = Field(default=None, foreign_key="org_node.id", index=True)
    holder_account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    state: DutyState = enum_field(DutyState, default=DutyState.open)
    started_at: datetime = ts_field(nullable=False)
    due_at: datetime = ts_field(nullable=False)
    clock: str = Field(default="business", max_length=8)  # "business" | "24x7"
    # the reminder moments, worked out on the duty's calendar when it was opened
    reminders: list[str] = json_field(list)
    done_at: datetime | None = ts_field()
    done_by_id: int | None = Field(default=None, foreign_key="account.id")
    # the tick: moments up to ``checked_at`` are handled; it looks again at ``next_check_at``
    checked_at: datetime | None = ts_field()
    next_check_at: datetime | None = ts_field(index=True)
