"""Rectification plans and their items (整改台账): writes and the locked re-read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from storage.models import RectificationItem, RectificationPlan


class RectificationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def plan(self, plan_id: int) -> RectificationPlan | None:
        return await self.s.get(RectificationPlan, plan_id)

    async def item(self, item_id: int, *, for_update: bool = False) -> RectificationItem | None:
        """``for_update``: lock the row (PostgreSQL) and re-read it over any cached copy."""
        q = select(RectificationItem).where(RectificationItem.id == item_id)
        if for_update:
            q = q.with_for_update()
        return (await self.s.execute(q.execution_options(populate_existing=for_update))).scalars().first()

    def add(self, obj: RectificationPlan | RectificationItem) -> None:
        self.s.add(obj)
