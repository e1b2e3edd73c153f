"""Deadline policies: SLA targets per category x priority, escalation-level deadlines and
working hours per district. Seeded from services/sla_defaults.py, editable by operators.

A span is stored as three columns: clock ("business" counts only working hours of the
district's calendar, "24x7" is wall-clock time), minutes and business_days. A NULL clock
means "no such target" (emergencies have an on-site target instead of a resolution one).
"*" in ``category`` / ``priority`` / ``scope`` means "any" (a concrete row wins); it is a
value rather than NULL so that UNIQUE holds and seeding from two processes stays idempotent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import ts_field

ANY = "*"


class SlaPolicy(SQLModel, table=True):
    __tablename__ = "sla_policy"
    __table_args__ = (UniqueConstraint("category", "priority"),)

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(default=ANY, max_length=32)
    priority: str = Field(max_length=16)
    first_response_clock: str = Field(default="business", max_length=8)
    first_response_minutes: int = 0
    first_response_business_days: int = 0
    resolution_clock: str | None = Field(default=None, max_length=8)
    resolution_minutes: int = 0
    resolution_business_days: int = 0
    on_site_clock: str | None = Field(default=None, max_length=8)
    on_site_minutes: int = 0
    on_site_business_days: int = 0
    updated_at: datetime | None = ts_field()


class EscalationPolicy(SQLModel, table=True):
    """How long a ticket may stay open at escalation ``level`` (1 community, 2 street,
    3 district) before it rises to the next one."""

    __tablename__ = "escalation_policy"
    __table_args__ = (UniqueConstraint("level", "priority"),)

    id: int | None = Field(default=None, primary_key=True)
    level: int
    priority: str = Field(default=ANY, max_length=16)
    name: str = Field(default="", max_length=32)
    clock: str = Field(default="business", max_length=8)
    minutes: int = 0
    business_days: int = 0
    updated_at: datetime | None = ts_field()


class CalendarPolicy(SQLModel, table=True):
    """Working hours of a district (``scope`` = the district's org code, "*" = default).
    The time zone comes from the district node; holidays from the ``holidays`` package plus
    the override file."""

    __tablename__ = "calendar_policy"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(default=ANY, max_length=64, unique=True)
    start: str = Field(default="08:30", max_length=5)
    end: str = Field(default="17:30", max_length=5)
    weekdays: str = Field(default="0,1,2,3,4", max_length=20)  # Monday = 0
    updated_at: datetime | None = ts_field()
