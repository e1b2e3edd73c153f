"""The audit log: rows are added, never changed or removed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AuditLog


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(
        self, *, at: datetime, actor_id: int | None, action: str, params: dict[str, Any]
    ) -> AuditLog:
        """Append one row (flushed, so it has its id); it is stored with the transaction."""
        row = AuditLog(at=at, actor_id=actor_id, action=action, params=dict(params))
        self.s.add(row)
        await self.s.flush()
        return row

    async def count(self, *, actor_id: int, actions: Iterable[str], since: datetime) -> int:
        """Rows of `actor_id` with one of `actions` at or after `since`."""
        q = select(func.count()).where(
            col(AuditLog.actor_id) == actor_id,
            col(AuditLog.action).in_(list(actions)),
            col(AuditLog.at) >= since,
        )
        return int((await self.s.execute(q)).scalar_one())

    async def actions(self) -> list[str]:
        """Every row's action, oldest first (tests and `gongzhi privacy`)."""
        q = select(col(AuditLog.action)).order_by(col(AuditLog.id))
        return [str(a) for a in (await self.s.execute(q)).scalars().all()]
