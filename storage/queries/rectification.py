"""Rectification plans and items of an area (progress in digests, 新三率 on-time share), and
the top complaint categories a new plan starts from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import RectificationItem, RectificationPlan
from storage.queries.common import T


async def items_of(session: AsyncSession, plan_id: int) -> list[RectificationItem]:
    q = select(RectificationItem).where(col(RectificationItem.plan_id) == plan_id)
    return list((await session.execute(q.order_by(col(RectificationItem.id)))).scalars().all())


async def plans_in(session: AsyncSession, compound_ids: Sequence[int]) -> list[RectificationPlan]:
    """Plans of these compounds, newest quarter first."""
    q = select(RectificationPlan).where(col(RectificationPlan.compound_id).in_(list(compound_ids)))
    q = q.order_by(col(RectificationPlan.quarter).desc(), col(RectificationPlan.compound_id))
    return list((await session.execute(q)).scalars().all())


async def top_categories(
    session: AsyncSession, compound_id: int, start: datetime | None, end: datetime | None, limit: int
) -> list[tuple[str, int]]:
    """(category, tickets received in [start, end), or ever when no window is given) of one
    compound, most first."""
    n = func.count().label("n")
    q = select(T.category, n).where(T.compound_id == compound_id)
    if start is not None and end is not None:
        q = q.where(T.created_at >= start, T.created_at < end)
    q = q.group_by(T.category).order_by(n.desc(), T.category).limit(limit)
    return [(str(c), int(k)) for c, k in (await session.execute(q)).all()]


async def plan_for(session: AsyncSession, compound_id: int, quarter: str) -> RectificationPlan | None:
    q = select(RectificationPlan).where(
        col(RectificationPlan.compound_id) == compound_id, col(RectificationPlan.quarter) == quarter
    )
    return (await session.execute(q)).scalars().first()


async def open_items_due(
    session: AsyncSession, max_level: int
) -> list[tuple[RectificationItem, RectificationPlan]]:
    """Open items of open plans that may still get a reminder or an escalation."""
    q = (
        select(RectificationItem, RectificationPlan)
        .join(RectificationPlan, col(RectificationPlan.id) == col(RectificationItem.plan_id))
        .where(
            col(RectificationItem.done_at).is_(None),
            col(RectificationPlan.status) == "open",
            (col(RectificationItem.escalation_level) < max_level)
            | (col(RectificationItem.reminded_percent) < 100),
        )
        .order_by(col(RectificationItem.id))
    )
    return [(i, p) for i, p in (await session.execute(q)).all()]
