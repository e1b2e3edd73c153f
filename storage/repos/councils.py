"""议事 councils, their agenda items and decisions; who lives in the compounds invited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Council, CouncilDecision, CouncilItem, CouncilState, Residency


class CouncilRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, council_id: int) -> Council | None:
        return await self.s.get(Council, council_id)

    async def item(self, item_id: int) -> CouncilItem | None:
        return await self.s.get(CouncilItem, item_id)

    async def decision(self, decision_id: int) -> CouncilDecision | None:
        return await self.s.get(CouncilDecision, decision_id)

    def add(self, obj: Council | CouncilItem | CouncilDecision) -> None:
        self.s.add(obj)

    async def flush(self) -> None:
        await self.s.flush()

    async def items(self, council_id: int) -> Sequence[CouncilItem]:
        q = select(CouncilItem).where(CouncilItem.council_id == council_id)
        return (await self.s.execute(q.order_by(col(CouncilItem.id)))).scalars().all()

    async def decisions(self, council_id: int) -> Sequence[CouncilDecision]:
        q = select(CouncilDecision).where(CouncilDecision.council_id == council_id)
        return (await self.s.execute(q.order_by(col(CouncilDecision.id)))).scalars().all()

    async def for_orgs(
        self, org_ids: Sequence[int], limit: int, *, upcoming_after: datetime | None = None
    ) -> Sequence[Council]:
        """Councils held for these org nodes, newest first (only those not yet held and not
        cancelled with ``upcoming_after``)."""
        q = select(Council).where(col(Council.org_id).in_(list(org_ids)))
        if upcoming_after is not None:
            q = q.where(col(Council.meet_at) >= upcoming_after, Council.state != CouncilState.cancelled)
        return (await self.s.execute(q.order_by(col(Council.meet_at).desc()).limit(limit))).scalars().all()

    async def in_period(self, start: datetime, end: datetime) -> Sequence[Council]:
        q = select(Council).where(col(Council.meet_at) >= start, col(Council.meet_at) < end)
        return (await self.s.execute(q.order_by(col(Council.meet_at), col(Council.id)))).scalars().all()

    async def residents_of(self, compound_ids: Sequence[int]) -> list[int]:
        q = select(Residency.account_id).where(col(Residency.compound_id).in_(list(compound_ids))).distinct()
        return sorted(int(r[0]) for r in (await self.s.execute(q)).all())
