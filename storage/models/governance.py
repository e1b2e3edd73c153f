"""Digest subscriptions and rectification plans (一小区一方案).

A DigestSubscription is one person's setting for one digest kind ("daily" for community
workers and property managers, "weekly" for street officers); people who never changed it
get the defaults of services/digest_schedule.py and a row once the first digest is sent.

A RectificationPlan belongs to one compound and one quarter ("2026Q3"); its items each have a
category, an owner (an org node: company / community / department, or one account), a
deadline (a local date: the item is due at the end of that day in the district's zone) and,
once ticked, who ticked it and when. ``reminded_percent`` and ``escalation_level`` record
what services/rectification_tick.py already did, so each reminder and escalation happens once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import json_field, ts_field


class DigestSubscription(SQLModel, table=True):
    __tablename__ = "digest_subscription"
    __table_args__ = (UniqueConstraint("account_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    kind: str = Field(max_length=8)  # daily | weekly
    enabled: bool = True
    local_time: str = Field(default="08:00", max_length=5)  # HH:MM in the district's zone
    last_sent_on: date | None = None  # local date of the last digest written
    updated_at: datetime | None = ts_field()


class RectificationPlan(SQLModel, table=True):
    __tablename__ = "rectification_plan"
    __table_args__ = (UniqueConstraint("compound_id", "quarter"),)

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    quarter: str = Field(max_length=6)  # e.g. "2026Q3"
    title: str = Field(max_length=200)
    status: str = Field(default="open", max_length=16)  # open | closed
    categories: list[str] = json_field(list)  # the plan's categories, in order
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = ts_field(nullable=False)


class RectificationItem(SQLModel, table=True):
    __tablename__ = "rectification_item"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="rectification_plan.id", index=True)
    category: str = Field(max_length=32)
    title: str = Field(max_length=300)
    owner_org_id: int | None = Field(default=None, foreign_key="org_node.id")
    owner_account_id: int | None = Field(default=None, foreign_key="account.id")
    deadline: date
    created_at: datetime = ts_field(nullable=False)
    done_at: datetime | None = ts_field()
    done_by: int | None = Field(default=None, foreign_key="account.id")
    escalation_level: int = 0
    reminded_percent: int = 0
