"""吹哨报到: a whistle called on a ticket or a rectification item, the departments it calls
(one ``WhistleCall`` each, with when they reported in and arrived) and the per-type deadline
policy rows (``gongzhi sla whistle``). The lifecycle lives in services/whistle_spec.py."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, json_field, ts_field


class WhistleKind(StrEnum):
    routine = "routine"  # 日常
    hard = "hard"  # 攻坚
    emergency = "emergency"  # 应急


class WhistleState(StrEnum):
    called = "called"
    closed = "closed"


class CallState(StrEnum):
    called = "called"
    reported_in = "reported_in"
    on_site = "on_site"


class Outcome(StrEnum):
    resolved = "resolved"
    partly = "partly"
    not_resolved = "not"


class Whistle(SQLModel, table=True):
    __tablename__ = "whistle"

    id: int | None = Field(default=None, primary_key=True)
    kind: WhistleKind = enum_field(WhistleKind)
    state: WhistleState = enum_field(WhistleState, default=WhistleState.called, index=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    rx_item_id: int | None = Field(default=None, foreign_key="rectification_item.id")
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    caller_id: int = Field(foreign_key="account.id")
    caller_org_id: int = Field(foreign_key="org_node.id", index=True)  # the community or street
    problem: str = Field(max_length=300)
    place: str = Field(max_length=200)
    meet_at: datetime = ts_field(nullable=False)
    called_at: datetime = ts_field(nullable=False, index=True)
    closed_at: datetime | None = ts_field()
    outcome: Outcome | None = enum_field(Outcome, default=None, nullable=True)
    outcome_note: str | None = Field(default=None, max_length=2000)
    outcome_photos: list[str] = json_field(list)


class WhistleCall(SQLModel, table=True):
    """One department called by a whistle."""

    __tablename__ = "whistle_call"
    __table_args__ = (UniqueConstraint("whistle_id", "department_id"),)

    id: int | None = Field(default=None, primary_key=True)
    whistle_id: int = Field(foreign_key="whistle.id", index=True)
    department_id: int = Field(foreign_key="org_node.id", index=True)
    state: CallState = enum_field(CallState, default=CallState.called)
    reported_in_at: datetime | None = ts_field()
    reported_in_by: int | None = Field(default=None, foreign_key="account.id")
    arrived_at: datetime | None = ts_field()
    arrived_by: int | None = Field(default=None, foreign_key="account.id")
    missed_report_in: bool = False
    missed_on_site: bool = False


class WhistlePolicy(SQLModel, table=True):
    """Report-in and on-site deadlines of one whistle type (seeded from the defaults)."""

    __tablename__ = "whistle_policy"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, unique=True)
    report_in_clock: str = Field(default="business", max_length=8)
    report_in_minutes: int = 0
    report_in_business_days: int = 0
    on_site_clock: str = Field(default="business", max_length=8)
    on_site_minutes: int = 0
    on_site_business_days: int = 0
    updated_at: datetime | None = ts_field()
