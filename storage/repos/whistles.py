"""吹哨 whistles, the departments they call, and the whistle deadline policy rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Duty, Whistle, WhistleCall, WhistlePolicy
from storage.repos._util import insert_ignore


class WhistleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, whistle_id: int) -> Whistle | None:
        return await self.s.get(Whistle, whistle_id)

    def add_call(self, call: WhistleCall) -> None:
        self.s.add(call)

    async def calls(self, whistle_id: int) -> Sequence[WhistleCall]:
        q = select(WhistleCall).where(WhistleCall.whistle_id == whistle_id)
        return (await self.s.execute(q.order_by(col(WhistleCall.id)))).scalars().all()

    async def call(self, whistle_id: int, department_id: int) -> WhistleCall | None:
        q = select(WhistleCall).where(
            WhistleCall.whistle_id == whistle_id, WhistleCall.department_id == department_id
        )
        return (await self.s.execute(q)).scalars().first()

    async def of_ticket(self, ticket_id: int) -> Sequence[Whistle]:
        q = select(Whistle).where(Whistle.ticket_id == ticket_id).order_by(col(Whistle.id))
        return (await self.s.execute(q)).scalars().all()

    async def recent_for(
        self, org_ids: Sequence[int], department_ids: Sequence[int], limit: int
    ) -> Sequence[Whistle]:
        """Whistles called by these org nodes or calling these departments, newest first."""
        called = select(WhistleCall.whistle_id).where(
            col(WhistleCall.department_id).in_(list(department_ids))
        )
        q = (
            select(Whistle)
            .where(col(Whistle.caller_org_id).in_(list(org_ids)) | col(Whistle.id).in_(called))
            .order_by(col(Whistle.id).desc())
            .limit(limit)
        )
        return (await self.s.execute(q)).scalars().all()

    async def in_period(self, start: datetime, end: datetime) -> Sequence[Whistle]:
        q = select(Whistle).where(col(Whistle.called_at) >= start, col(Whistle.called_at) < end)
        return (await self.s.execute(q.order_by(col(Whistle.id)))).scalars().all()

    async def calls_of(self, whistle_ids: Sequence[int]) -> Sequence[WhistleCall]:
        if not whistle_ids:
            return []
        q = select(WhistleCall).where(col(WhistleCall.whistle_id).in_(list(whistle_ids)))
        return (await self.s.execute(q.order_by(col(WhistleCall.id)))).scalars().all()

    async def duties_of(self, whistle_ids: Sequence[int]) -> Sequence[Duty]:
        if not whistle_ids:
            return []
        q = select(Duty).where(Duty.aggregate == "whistle", col(Duty.aggregate_id).in_(list(whistle_ids)))
        return (await self.s.execute(q.order_by(col(Duty.id)))).scalars().all()

    # -- policy rows ----------------------------------------------------------------------------
    async def policy(self, kind: str) -> WhistlePolicy | None:
        q = select(WhistlePolicy).where(WhistlePolicy.kind == kind)
        return (await self.s.execute(q)).scalars().first()

    async def policies(self) -> Sequence[WhistlePolicy]:
        return (await self.s.execute(select(WhistlePolicy).order_by(col(WhistlePolicy.id)))).scalars().all()

    async def seed_policy(self, values: dict[str, Any]) -> bool:
        return await insert_ignore(self.s, WhistlePolicy, values)

    def add_policy(self, row: WhistlePolicy) -> None:
        self.s.add(row)
