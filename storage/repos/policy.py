"""Policy rows: SLA targets, escalation deadlines, working hours, routing rules (editable by
operators).

The ``*_row``/``*_rows`` methods read the session (for the CLI, which changes them); the
lookups below them read through the process's reference cache (storage/refcache.py) and hand
out frozen rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import CalendarPolicy, EscalationPolicy, RoutingRule, SlaPolicy
from storage.refcache import RefView, load_all, stamp_written
from storage.repos._util import insert_ignore

M = TypeVar("M", SlaPolicy, EscalationPolicy, CalendarPolicy, RoutingRule)


class PolicyRepo:
    def __init__(self, session: AsyncSession, ref: RefView | None = None) -> None:
        self.s = session
        self.ref = ref

    async def seed_sla(self, values: dict[str, Any]) -> bool:
        """Insert one SLA row unless (category, priority) exists; True when it was new."""
        if new := await insert_ignore(self.s, SlaPolicy, values):
            await stamp_written(self.s)
        return new

    async def seed_level(self, values: dict[str, Any]) -> bool:
        if new := await insert_ignore(self.s, EscalationPolicy, values):
            await stamp_written(self.s)
        return new

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

    # -- cached lookups (frozen rows) ------------------------------------------------------------
    async def _all(self, model: type[M]) -> list[M] | None:
        async def load(s: AsyncSession) -> list[M]:
            return await load_all(s, model)

        return None if self.ref is None else await self.ref.table(model.__tablename__, load)

    async def sla_lookup(self, category: str, priority: str) -> SlaPolicy | None:
        if (rows := await self._all(SlaPolicy)) is None:
            return await self.sla_row(category, priority)
        return next((r for r in rows if r.category == category and r.priority == priority), None)

    async def level_lookup(self, level: int, priorities: Sequence[str]) -> Sequence[EscalationPolicy]:
        if (rows := await self._all(EscalationPolicy)) is None:
            return await self.level_rows_for(level, priorities)
        return [r for r in rows if r.level == level and r.priority in priorities]

    async def calendar_lookup(self, scopes: Sequence[str]) -> dict[str, CalendarPolicy]:
        if (rows := await self._all(CalendarPolicy)) is None:
            return await self.calendar_rows(scopes)
        return {r.scope: r for r in rows if r.scope in scopes}

    async def routing_lookup(self, compound_id: int | None, category: str) -> RoutingRule | None:
        """The rule of (compound, category); compound None = the default rule."""
        if (rows := await self._all(RoutingRule)) is None:
            q = select(RoutingRule).where(
                RoutingRule.category == category,
                (RoutingRule.compound_id == compound_id)
                if compound_id is not None
                else col(RoutingRule.compound_id).is_(None),
            )
            return (await self.s.execute(q)).scalars().first()
        return next((r for r in rows if r.compound_id == compound_id and r.category == category), None)

    def add(self, row: SlaPolicy | EscalationPolicy | CalendarPolicy) -> None:
        self.s.add(row)
