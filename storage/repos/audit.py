"""The audit log: rows are added, never changed or removed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

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
