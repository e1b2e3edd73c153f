"""Owners' matters and ballots, fund applications, the emergency fund, campaigns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import (
    Account,
    Ballot,
    Campaign,
    CampaignEntry,
    EmergencyFund,
    FundApplication,
    Matter,
    Residency,
    Unit,
)


class OwnersRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # -- who owns what ---------------------------------------------------------------------------
    async def owner_residencies(self, compound_id: int) -> Sequence[tuple[Residency, Unit]]:
        """Confirmed residents of the compound bound to a unit not held by the developer."""
        q = (
            select(Residency, Unit)
            .join(Unit, col(Unit.id) == col(Residency.unit_id))
            .where(
                Residency.compound_id == compound_id,
                col(Residency.unit_confirmed).is_(True),
                col(Unit.developer).is_(False),
            )
            .order_by(col(Residency.id))
        )
        return [(r, u) for r, u in (await self.s.execute(q)).all()]

    async def pending_residencies(self, compound_id: int) -> Sequence[tuple[Residency, Unit, Account]]:
        """Residents who named a unit that nobody confirmed yet."""
        q = (
            select(Residency, Unit, Account)
            .join(Unit, col(Unit.id) == col(Residency.unit_id))
            .join(Account, col(Account.id) == col(Residency.account_id))
            .where(Residency.compound_id == compound_id, col(Residency.unit_confirmed).is_(False))
            .order_by(col(Residency.id))
        )
        return [(r, u, a) for r, u, a in (await self.s.execute(q)).all()]

    async def residents(self, compound_id: int) -> list[int]:
        """Every account living in the compound (named a unit or not)."""
        q = select(Residency.account_id).where(Residency.compound_id == compound_id)
        return [int(r[0]) for r in (await self.s.execute(q.order_by(col(Residency.id)))).all()]

    async def residency_by_id(self, residency_id: int) -> Residency | None:
        return await self.s.get(Residency, residency_id)

    async def units_of_owner(self, compound_id: int, owner_name: str) -> Sequence[Unit]:
        q = select(Unit).where(
            Unit.compound_id == compound_id, Unit.owner_name == owner_name, col(Unit.developer).is_(False)
        )
        return (await self.s.execute(q.order_by(col(Unit.code)))).scalars().all()

    # -- matters and ballots ---------------------------------------------------------------------
    async def matters(self, compound_ids: Sequence[int]) -> Sequence[Matter]:
        q = select(Matter).where(col(Matter.compound_id).in_(list(compound_ids)))
        return (await self.s.execute(q.order_by(col(Matter.id).desc()))).scalars().all()

    async def ballots(self, matter_id: int) -> Sequence[tuple[Ballot, Unit]]:
        q = (
            select(Ballot, Unit)
            .join(Unit, col(Unit.id) == col(Ballot.unit_id))
            .where(Ballot.matter_id == matter_id)
            .order_by(col(Ballot.id))
        )
        return [(b, u) for b, u in (await self.s.execute(q)).all()]

    async def put_ballot(
        self, matter_id: int, unit_id: int, account_id: int, choice: str, at: datetime
    ) -> bool:
        """Record the unit's choice; True when it replaced a different one."""
        q = select(Ballot).where(Ballot.matter_id == matter_id, Ballot.unit_id == unit_id)
        row = (await self.s.execute(q)).scalars().first()
        if row is None:
            self.s.add(
                Ballot(matter_id=matter_id, unit_id=unit_id, account_id=account_id, choice=choice, at=at)
            )
            await self.s.flush()
            return False
        changed = row.choice != choice
        row.account_id, row.choice, row.at = account_id, choice, at
        await self.s.flush()
        return changed

    # -- fund applications and the emergency fund ------------------------------------------------
    async def applications(
        self,
        compound_ids: Sequence[int] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Sequence[FundApplication]:
        q = select(FundApplication)
        if compound_ids is not None:
            q = q.where(col(FundApplication.compound_id).in_(list(compound_ids)))
        if since is not None:
            q = q.where(col(FundApplication.created_at) >= since)
        if until is not None:
            q = q.where(col(FundApplication.created_at) < until)
        return (await self.s.execute(q.order_by(col(FundApplication.id)))).scalars().all()

    async def emergency_fund(self, district_id: int, *, lock: bool = False) -> EmergencyFund | None:
        q = select(EmergencyFund).where(EmergencyFund.district_id == district_id)
        if lock:
            q = q.with_for_update()
        return (await self.s.execute(q.execution_options(populate_existing=True))).scalars().first()

    # -- campaigns -------------------------------------------------------------------------------
    async def campaigns(self, compound_ids: Sequence[int]) -> Sequence[Campaign]:
        q = select(Campaign).where(col(Campaign.compound_id).in_(list(compound_ids)))
        return (await self.s.execute(q.order_by(col(Campaign.id).desc()))).scalars().all()

    async def entries(self, campaign_id: int) -> Sequence[CampaignEntry]:
        q = select(CampaignEntry).where(CampaignEntry.campaign_id == campaign_id)
        return (await self.s.execute(q.order_by(col(CampaignEntry.id)))).scalars().all()

    def add(self, obj: object) -> None:
        self.s.add(obj)

    async def flush(self) -> None:
        await self.s.flush()
