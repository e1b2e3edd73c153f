"""Policy rows: SLA targets, escalation deadlines, working hours (editable by operators)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import CalendarPolicy, EscalationPolicy, SlaPolicy
from storage.repos._util import insert_ignore


class PolicyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def seed_sla(self, values: dict[str, Any]) -> bool:
        """Insert one SLA row unless (category, priority) exists; True when it was new."""
        return await insert_ignore(self.s, SlaPolicy, values)

    async def seed_level(self, values: dict[str, Any]) -> bool:
        return await insert_ignore(self.s, EscalationPolicy, values)

    async def sla_rows(self) -> Sequence[SlaPolicy]:
        q = select(SlaPolicy).order_by(col(SlaPolicy.priority), col(SlaPolicy.category))
        return (await self.s.execute(q)).scalars().all()

    async def level_rows(self) -> Sequence[EscalationPolicy]:
        q = select(EscalationPolicy).order_by(col(EscalationPolicy.level), col(EscalationPolicy.priority))
        return (await self.s.execute(q)).scalars().all()

    async def sla_row(self, category: str, priority: str) -> SlaPolicy | None:
        q = select(SlaPolicy).where(SlaPolicy.category == category, SlaPolicy.priority == priority)
        return (await self.s.execute(q)).scalars().first()

    async def level_row(self, level: int, priority: str) -> EscalationPolicy | None:
        q = select(EscalationPolicy).where(
            EscalationPolicy.level == level, EscalationPolicy.priority == priority
        )
        return (await self.s.execute(q)).scalars().first()

    async def level_rows_for(self, level: int, priorities: Sequence[str]) -> Sequence[EscalationPolicy]:
        q = select(EscalationPolicy).where(
            EscalationPolicy.level == level, col(EscalationPolicy.priority).in_(list(priorities))
        )
        return (await self.s.execute(q)).scalars().all()

    async def calendar_rows(self, scopes: Sequence[str]) -> dict[str, CalendarPolicy]:
        q = select(CalendarPolicy).where(col(CalendarPolicy.scope).in_(list(scopes)))
        return {r.scope: r for r in (await self.s.execute(q)).scalars().all()}

    def add(self, row: SlaPolicy | EscalationPolicy | CalendarPolicy) -> None:
        self.s.add(row)
